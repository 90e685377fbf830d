package vn.kyso.testkit;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import vn.kyso.DeviceKind;
import vn.kyso.KysoException;
import vn.kyso.SignRequest;
import vn.kyso.SignatureAlgorithm;
import vn.kyso.Signer;

/**
 * A {@link Signer} that passes everything to a real one, for tests that need to watch or disturb
 * signing: count the calls a batch makes, corrupt the returned value as a faulty device would,
 * change the input while the "phone" waits. Override {@link #sign(SignRequest)}.
 *
 * <p>{@link #close()} does not close the delegate: the test that opened it closes it.
 */
public abstract class ForwardingSigner implements Signer {
    private final Signer delegate;

    /** @param delegate the signer that does the work; never null */
    protected ForwardingSigner(Signer delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate must not be null");
    }

    /** The signer this one forwards to. */
    protected final Signer delegate() {
        return delegate;
    }

    @Override
    public List<byte[]> sign(SignRequest request) throws KysoException {
        return delegate.sign(request);
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
        // the test owns the delegate's life cycle
    }
}
