package vn.kyso.remotesim;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import vn.kyso.DeviceKind;
import vn.kyso.KysoException;
import vn.kyso.SignRequest;
import vn.kyso.SignatureAlgorithm;
import vn.kyso.Signer;
import vn.kyso.SigningFailedException;
import vn.kyso.SigningTimeoutException;
import vn.kyso.spi.DigestSigning;

/**
 * A key held by a remote service (PKI SIM, cloud signing): signing sends the digests and the
 * display text, the person confirms on the phone, and the values come back later. Asynchronous
 * at heart; {@link #sign(SignRequest)} waits for {@link #signAsync} with a deadline. Every value
 * is checked against its digest and the certificate before it is returned.
 */
final class RemoteSigner implements Signer {
    private final RemoteService service;
    private final RemoteService.Credential credential;
    private final RemoteSettings settings;
    private final Set<SignatureAlgorithm> algorithms;
    private final PendingSet pending;
    private final Consumer<RemoteSigner> onClose;
    private final AtomicBoolean closed = new AtomicBoolean();

    RemoteSigner(RemoteService service, RemoteService.Credential credential, RemoteSettings settings, PendingSet pending,
            Consumer<RemoteSigner> onClose) {
        this.service = service;
        this.credential = credential;
        this.settings = settings;
        this.pending = pending;
        this.onClose = onClose;
        this.algorithms = supported(credential.chain().get(0).getPublicKey());
    }

    /** PKCS#1 v1.5 RSA or ECDSA over SHA-2: what remote services sign (none offers PSS). */
    static Set<SignatureAlgorithm> supported(PublicKey key) {
        if (key instanceof RSAPublicKey) {
            return EnumSet.of(SignatureAlgorithm.RSA_SHA256, SignatureAlgorithm.RSA_SHA384, SignatureAlgorithm.RSA_SHA512);
        }
        if (key instanceof ECPublicKey) {
            return EnumSet.of(SignatureAlgorithm.ECDSA_SHA256, SignatureAlgorithm.ECDSA_SHA384, SignatureAlgorithm.ECDSA_SHA512);
        }
        return EnumSet.noneOf(SignatureAlgorithm.class);
    }

    static String newTransactionId() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    @Override
    public X509Certificate certificate() {
        return credential.chain().get(0);
    }

    @Override
    public List<X509Certificate> chain() {
        return credential.chain();
    }

    @Override
    public Set<SignatureAlgorithm> algorithms() {
        return algorithms;
    }

    @Override
    public String providerId() {
        return RemoteSimProvider.ID;
    }

    @Override
    public DeviceKind deviceKind() {
        return DeviceKind.PKI_SIM;
    }

    @Override
    public List<byte[]> sign(SignRequest request) throws KysoException {
        CompletableFuture<List<byte[]>> stage = signAsync(request).toCompletableFuture();
        long bound = settings.confirmationTimeout().plus(settings.requestTimeout()).toMillis() + 5_000;
        try {
            return stage.get(bound, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof KysoException k) {
                throw k;
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            throw new SigningFailedException(RemoteSimProvider.ID, "signing failed: " + cause, cause);
        } catch (TimeoutException e) {
            stage.cancel(false);
            throw new SigningTimeoutException(RemoteSimProvider.ID, "no answer from the signing service within "
                    + bound / 1000 + " s: try again later", e);
        } catch (InterruptedException e) {
            stage.cancel(false);
            Thread.currentThread().interrupt();
            throw new SigningFailedException(RemoteSimProvider.ID, "interrupted while waiting for the confirmation; "
                    + "the request was cancelled", e);
        }
    }

    /**
     * Sends the request and returns at once. Cancelling the returned stage's future tells the
     * service to drop the prompt. Fails with {@link IllegalStateException} when closed and
     * {@link IllegalArgumentException} for an algorithm the key cannot make or a display text
     * the phone cannot show, both thrown before anything is sent.
     */
    @Override
    public CompletionStage<List<byte[]>> signAsync(SignRequest request) {
        Objects.requireNonNull(request, "request must not be null");
        if (closed.get()) {
            throw new IllegalStateException("the remote-sim signer for " + certificate().getSubjectX500Principal().getName()
                    + " is closed: open a new one from its key source");
        }
        SignatureAlgorithm algorithm = request.algorithm();
        if (!algorithms.contains(algorithm)) {
            throw new IllegalArgumentException("this remote-sim key cannot sign " + algorithm + "; it supports " + algorithms);
        }
        String text = request.displayText();
        if (text.length() > service.displayLimit()) {
            throw new IllegalArgumentException("the display text has " + text.length() + " characters; the phone of this "
                    + settings.dialect() + " service shows at most " + service.displayLimit() + ": shorten it");
        }
        List<byte[]> digests = request.digests();
        RemoteService.Job job = new RemoteService.Job(credential, algorithm, digests, text, fileType(request.formatId()),
                newTransactionId(), System.nanoTime() + settings.confirmationTimeout().toNanos());
        CompletableFuture<List<byte[]>> result = new CompletableFuture<>();
        if (!pending.add(result)) {
            throw new IllegalStateException("the remote-sim key source is closed");
        }
        service.sign(job, result::isDone).whenComplete((values, error) -> {
            if (error != null) {
                Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                result.completeExceptionally(cause);
                return;
            }
            try {
                result.complete(checked(algorithm, digests, values));
            } catch (KysoException e) {
                result.completeExceptionally(e);
            }
        });
        result.whenComplete((values, error) -> {
            pending.remove(result);
            if (error instanceof CancellationException || error != null && pending.isClosed()) {
                // cancelled by the caller, or the source is closing: the phone need not ask any more
                service.cancel(job);
            }
        });
        return result;
    }

    /**
     * The values, each verified against its digest and the certificate; a CMS container that
     * signs the hash itself is opened, any other value that does not verify is refused.
     */
    private List<byte[]> checked(SignatureAlgorithm algorithm, List<byte[]> digests, List<byte[]> values)
            throws KysoException {
        if (values instanceof VerifiedValues) {
            return values;
        }
        if (values.size() != digests.size()) {
            throw new SigningFailedException(RemoteSimProvider.ID, "the signing service returned " + values.size()
                    + " values for " + digests.size() + " digests; nothing was signed");
        }
        List<byte[]> out = new java.util.ArrayList<>(values.size());
        for (int i = 0; i < values.size(); i++) {
            byte[] value = values.get(i);
            String which = digests.size() > 1 ? "for document " + (i + 1) + " " : "";
            if (verifies(algorithm, digests.get(i), value)) {
                out.add(value);
                continue;
            }
            ServiceContainers.Opened opened = ServiceContainers.open(value);
            if (opened.kind() == ServiceContainers.Kind.CMS_OVER_THE_HASH && verifies(algorithm, digests.get(i), opened.raw())) {
                out.add(opened.raw());
                continue;
            }
            if (opened.kind() == ServiceContainers.Kind.CMS_OVER_ITS_OWN_ATTRIBUTES) {
                throw new SigningFailedException(RemoteSimProvider.ID, "the signing service returned " + which
                        + "a CMS/PKCS#7 container signing attributes of its own instead of the hash; kyso's PDF and XML "
                        + "formats sign their own attributes and cannot embed it, so nothing was signed: ask the service "
                        + "for raw signatures (sign_type \"hash\" with a raw PKCS#1 value) or use another dialect");
            }
            throw new SigningFailedException(RemoteSimProvider.ID, "the signing service returned a value " + which
                    + "that does not verify against the digest and the certificate"
                    + (opened.kind() == ServiceContainers.Kind.NOT_CMS ? "" : " (a CMS/PKCS#7 container whose signature "
                    + "does not either)") + "; it was refused and nothing was signed: report it to the service operator");
        }
        return out;
    }

    private boolean verifies(SignatureAlgorithm algorithm, byte[] digest, byte[] value) {
        return verifies(certificate().getPublicKey(), algorithm, digest, value);
    }

    /** Whether every value of {@code job} is a raw signature of its digest under the credential's key. */
    static boolean allVerify(RemoteService.Job job, List<byte[]> values) {
        if (values.size() != job.digests().size()) {
            return false;
        }
        PublicKey key = job.credential().chain().get(0).getPublicKey();
        for (int i = 0; i < values.size(); i++) {
            if (!verifies(key, job.algorithm(), job.digests().get(i), values.get(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean verifies(PublicKey key, SignatureAlgorithm algorithm, byte[] digest, byte[] value) {
        try {
            Signature verifier;
            byte[] input;
            if (algorithm.keyKind() == SignatureAlgorithm.KeyKind.RSA) {
                verifier = Signature.getInstance("NONEwithRSA");
                input = DigestSigning.digestInfo(algorithm.digest(), digest);
            } else {
                verifier = Signature.getInstance("NONEwithECDSA");
                input = digest;
            }
            verifier.initVerify(key);
            verifier.update(input);
            return verifier.verify(value);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    private static String fileType(String formatId) {
        return switch (formatId) {
            case "pades" -> "pdf";
            case "xades", "xmldsig" -> "xml";
            default -> "other";
        };
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            onClose.accept(this);
        }
    }

    @Override
    public String toString() {
        return "remote-sim signer for " + certificate().getSubjectX500Principal().getName();
    }
}
