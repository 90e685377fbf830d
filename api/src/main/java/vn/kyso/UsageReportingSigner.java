package vn.kyso;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place usage is reported: wraps a signer, reports each attempt's outcome, rethrows failures unchanged. */
final class UsageReportingSigner implements Signer {
    private static final Logger LOG = LoggerFactory.getLogger(UsageReportingSigner.class);

    private final Signer delegate;
    private final UsageReporter reporter;
    private final Clock clock;
    private final String fingerprint;
    private final String holder;

    UsageReportingSigner(Signer delegate, UsageReporter reporter, Clock clock) {
        this.delegate = delegate;
        this.reporter = reporter;
        this.clock = clock;
        this.fingerprint = fingerprint(delegate.certificate());
        this.holder = Certificates.commonName(delegate.certificate());
    }

    static String fingerprint(X509Certificate certificate) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("cannot fingerprint certificate", e);
        }
    }

    @Override
    public List<byte[]> sign(SignRequest request) throws KysoException {
        Instant start = clock.instant();
        try {
            List<byte[]> values = delegate.sign(request);
            report(request, UsageEvent.Outcome.SIGNED, null, start);
            return values;
        } catch (KysoException | RuntimeException e) {
            report(request, outcomeOf(e), e, start);
            throw e;
        }
    }

    @Override
    public CompletionStage<List<byte[]>> signAsync(SignRequest request) {
        Instant start = clock.instant();
        return delegate.signAsync(request).whenComplete((values, error) ->
                report(request, error == null ? UsageEvent.Outcome.SIGNED : outcomeOf(error), error, start));
    }

    private static Throwable unwrap(Throwable e) {
        return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    }

    private static UsageEvent.Outcome outcomeOf(Throwable e) {
        Throwable cause = unwrap(e);
        if (cause instanceof UserRejectedException) {
            return UsageEvent.Outcome.REJECTED;
        }
        if (cause instanceof SigningTimeoutException) {
            return UsageEvent.Outcome.TIMED_OUT;
        }
        return UsageEvent.Outcome.FAILED;
    }

    private void report(SignRequest request, UsageEvent.Outcome outcome, Throwable error, Instant start) {
        if (request == null) {
            return;
        }
        try {
            Instant end = clock.instant();
            reporter.report(new UsageEvent(fingerprint, holder, end, request.documentType(), request.formatId(),
                    delegate.providerId(), delegate.deviceKind(), outcome,
                    outcome == UsageEvent.Outcome.SIGNED ? request.size() : 0, Duration.between(start, end),
                    error == null ? "" : unwrap(error).getClass().getSimpleName()));
        } catch (RuntimeException e) {
            LOG.warn("usage reporter {} failed; signing goes on", reporter.getClass().getName(), e);
        }
    }

    @Override
    public X509Certificate certificate() {
        return delegate.certificate();
    }

    @Override
    public List<X509Certificate> chain() {
        return delegate.chain();
    }

    @Override
    public Set<SignatureAlgorithm> algorithms() {
        return delegate.algorithms();
    }

    @Override
    public String providerId() {
        return delegate.providerId();
    }

    @Override
    public DeviceKind deviceKind() {
        return delegate.deviceKind();
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public String toString() {
        return delegate.toString();
    }
}
