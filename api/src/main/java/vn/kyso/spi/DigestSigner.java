package vn.kyso.spi;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import vn.kyso.DeviceKind;
import vn.kyso.KysoException;
import vn.kyso.SignRequest;
import vn.kyso.SignatureAlgorithm;
import vn.kyso.Signer;

/**
 * A base for providers whose key signs one digest at a time: it keeps the chain and the
 * algorithms, refuses misuse (closed signer, an algorithm the key cannot make) the same way
 * for every provider, and signs a batch digest by digest under the one authorization the
 * provider already holds.
 *
 * <p>Subclasses implement {@link #signDigest} and {@link #release}; both are called at most
 * concurrently as the subclass allows (serialize inside {@code signDigest} if the device needs it).
 */
public abstract class DigestSigner implements Signer {
    private final List<X509Certificate> chain;
    private final Set<SignatureAlgorithm> algorithms;
    private final String providerId;
    private final DeviceKind deviceKind;
    private volatile boolean closed;

    protected DigestSigner(List<X509Certificate> chain, Set<SignatureAlgorithm> algorithms, String providerId,
            DeviceKind deviceKind) {
        this.chain = List.copyOf(chain);
        if (this.chain.isEmpty()) {
            throw new IllegalArgumentException("a signer needs its certificate");
        }
        this.algorithms = Set.copyOf(algorithms);
        this.providerId = Objects.requireNonNull(providerId, "providerId must not be null");
        this.deviceKind = Objects.requireNonNull(deviceKind, "deviceKind must not be null");
    }

    /** Signs one digest whose length already matches {@code algorithm}. */
    protected abstract byte[] signDigest(SignatureAlgorithm algorithm, byte[] digest) throws KysoException;

    /** Releases the key (logout, session close); called once, by the first {@link #close()}. */
    protected abstract void release();

    @Override
    public final List<byte[]> sign(SignRequest request) throws KysoException {
        Objects.requireNonNull(request, "request must not be null");
        if (closed) {
            throw new IllegalStateException("the " + providerId + " signer for "
                    + certificate().getSubjectX500Principal().getName() + " is closed: open a new one from its key source");
        }
        SignatureAlgorithm algorithm = request.algorithm();
        if (!algorithms.contains(algorithm)) {
            throw new IllegalArgumentException("this " + providerId + " key cannot sign " + algorithm
                    + "; it supports " + algorithms);
        }
        return signDigests(algorithm, request);
    }

    /**
     * Signs every digest of a checked request, in order. The default calls {@link #signDigest}
     * for each; a device that needs one authorization per request (a signature PIN) overrides
     * this to ask for it once around the loop.
     */
    protected List<byte[]> signDigests(SignatureAlgorithm algorithm, SignRequest request) throws KysoException {
        List<byte[]> values = new ArrayList<>(request.size());
        for (byte[] digest : request.digests()) {
            values.add(signDigest(algorithm, digest));
        }
        return values;
    }

    @Override
    public final X509Certificate certificate() {
        return chain.get(0);
    }

    @Override
    public final List<X509Certificate> chain() {
        return chain;
    }

    @Override
    public final Set<SignatureAlgorithm> algorithms() {
        return algorithms;
    }

    @Override
    public final String providerId() {
        return providerId;
    }

    @Override
    public final DeviceKind deviceKind() {
        return deviceKind;
    }

    @Override
    public final void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        release();
    }

    @Override
    public String toString() {
        return providerId + " signer for " + certificate().getSubjectX500Principal().getName();
    }
}
