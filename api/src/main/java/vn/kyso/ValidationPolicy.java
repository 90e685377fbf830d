package vn.kyso;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a verifier trusts and how hard it looks: the trust anchors (chosen by the caller: the
 * built-in {@link TrustAnchors#vietnam()}, their own, or both; nothing is trusted unless given),
 * where revocation status may come from, the validation time, and whether legacy algorithms
 * still in circulation fail or only warn.
 *
 * <p>Immutable; build with {@link #builder()}.
 */
public final class ValidationPolicy {

    /** Where revocation status may come from. */
    public enum Revocation {
        /** Do not check (offline tooling only; reported as not checked). */
        NONE,
        /** Only OCSP responses and CRLs embedded in the document. */
        EMBEDDED_ONLY,
        /** Embedded data first, then the OCSP responder and CRL named in the certificate. */
        EMBEDDED_THEN_ONLINE
    }

    private final List<X509Certificate> trustAnchors;
    private final List<X509Certificate> intermediates;
    private final Revocation revocation;
    private final boolean strictAlgorithms;
    private final Instant validationTime;
    private final Duration networkTimeout;
    private final RevocationCache revocationCache;

    private ValidationPolicy(Builder b) {
        this(b.trustAnchors, b.intermediates, b.revocation, b.strictAlgorithms, b.validationTime, b.networkTimeout,
                b.revocationCache);
    }

    private ValidationPolicy(ValidationPolicy base, RevocationCache cache) {
        this(base.trustAnchors, base.intermediates, base.revocation, base.strictAlgorithms, base.validationTime,
                base.networkTimeout, cache);
    }

    private ValidationPolicy(List<X509Certificate> trustAnchors, List<X509Certificate> intermediates,
            Revocation revocation, boolean strictAlgorithms, Instant validationTime, Duration networkTimeout,
            RevocationCache revocationCache) {
        this.trustAnchors = List.copyOf(trustAnchors);
        this.intermediates = List.copyOf(intermediates);
        this.revocation = revocation;
        this.strictAlgorithms = strictAlgorithms;
        this.validationTime = validationTime;
        this.networkTimeout = networkTimeout;
        this.revocationCache = revocationCache;
    }

    /** This policy with {@code cache} for the revocation data fetched online (a run's own, see {@link Kyso#verifyAll}). */
    ValidationPolicy withRevocationCache(RevocationCache cache) {
        return new ValidationPolicy(this, Objects.requireNonNull(cache, "cache must not be null"));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Trust anchors (root or intermediate certificates), as given; may be empty (nothing is trusted). */
    public List<X509Certificate> trustAnchors() {
        return trustAnchors;
    }

    /**
     * CA certificates that may complete a chain but are not trusted by themselves, for signatures
     * that carry only the signer's certificate (Vietnamese XML signatures do): e.g. the Cipher
     * Committee's "CA phục vụ các cơ quan Nhà nước G2" below its root. Empty by default, in which
     * case missing issuers come only from the document or, online, from caIssuers.
     */
    public List<X509Certificate> intermediates() {
        return intermediates;
    }

    public Revocation revocation() {
        return revocation;
    }

    /**
     * When true, SHA-1 and RSA keys under 2048 bits fail the signature; when false (the default,
     * as such files are still in circulation) they pass with a weak-algorithm warning.
     */
    public boolean strictAlgorithms() {
        return strictAlgorithms;
    }

    /**
     * The time "now" for validation; empty means the current time. A signature without a trusted
     * timestamp is judged at this time (certificate validity, chain, revocation), whatever signing
     * time it claims.
     */
    public Optional<Instant> validationTime() {
        return Optional.ofNullable(validationTime);
    }

    /**
     * Bound on the network time of verifying one document: the caIssuers, OCSP and CRL fetches
     * of all its signatures share it (each gets what is left), so certificates naming slow or
     * dead URLs cannot hold a verification longer. Default 10 seconds.
     */
    public Duration networkTimeout() {
        return networkTimeout;
    }

    /**
     * Where OCSP responses and CRLs fetched online are kept while fresh and found again, so that
     * files under the same CA cost one fetch; empty (each verification fetches its own) unless
     * given. {@link Kyso#verifyAll} uses a cache of its own per call when none is given.
     */
    public Optional<RevocationCache> revocationCache() {
        return Optional.ofNullable(revocationCache);
    }

    /** Builds a {@link ValidationPolicy}; defaults: no anchors, embedded then online revocation, lenient algorithms. */
    public static final class Builder {
        private List<X509Certificate> trustAnchors = List.of();
        private List<X509Certificate> intermediates = List.of();
        private Revocation revocation = Revocation.EMBEDDED_THEN_ONLINE;
        private boolean strictAlgorithms;
        private Instant validationTime;
        private Duration networkTimeout = Duration.ofSeconds(10);
        private RevocationCache revocationCache;

        private Builder() {
        }

        /** Shares {@code cache} among the verifications under this policy; see {@link ValidationPolicy#revocationCache()}. */
        public Builder revocationCache(RevocationCache cache) {
            this.revocationCache = Objects.requireNonNull(cache, "cache must not be null");
            return this;
        }

        /** Adds a set's anchors and intermediates to those already given, e.g. {@link TrustAnchors#vietnam()}. */
        public Builder trust(TrustAnchors set) {
            Objects.requireNonNull(set, "set must not be null");
            this.trustAnchors = concat(trustAnchors, set.anchors());
            this.intermediates = concat(intermediates, set.intermediates());
            return this;
        }

        private static List<X509Certificate> concat(List<X509Certificate> a, List<X509Certificate> b) {
            List<X509Certificate> out = new java.util.ArrayList<>(a);
            b.stream().filter(c -> !out.contains(c)).forEach(out::add);
            return List.copyOf(out);
        }

        /** Sets the trust anchors, replacing any given before. */
        public Builder trustAnchors(List<X509Certificate> anchors) {
            this.trustAnchors = List.copyOf(Objects.requireNonNull(anchors, "anchors must not be null"));
            return this;
        }

        /** CA certificates that may complete chains without being trusted; see {@link ValidationPolicy#intermediates()}. */
        public Builder intermediates(List<X509Certificate> intermediates) {
            this.intermediates = List.copyOf(Objects.requireNonNull(intermediates, "intermediates must not be null"));
            return this;
        }

        public Builder revocation(Revocation revocation) {
            this.revocation = Objects.requireNonNull(revocation, "revocation must not be null");
            return this;
        }

        public Builder strictAlgorithms(boolean strict) {
            this.strictAlgorithms = strict;
            return this;
        }

        public Builder validationTime(Instant time) {
            this.validationTime = Objects.requireNonNull(time, "time must not be null");
            return this;
        }

        public Builder networkTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout must not be null");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("networkTimeout must be positive");
            }
            this.networkTimeout = timeout;
            return this;
        }

        public ValidationPolicy build() {
            return new ValidationPolicy(this);
        }
    }
}
