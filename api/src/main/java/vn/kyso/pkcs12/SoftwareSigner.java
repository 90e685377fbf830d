package vn.kyso.pkcs12;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import javax.crypto.Cipher;
import vn.kyso.DeviceKind;
import vn.kyso.SignRequest;
import vn.kyso.SignatureAlgorithm;
import vn.kyso.Signer;
import vn.kyso.SigningFailedException;
import vn.kyso.spi.DigestSigning;

/** Signs digests with a private key held in memory. */
final class SoftwareSigner implements Signer {
    private final PrivateKey key;
    private final List<X509Certificate> chain;
    private final Set<SignatureAlgorithm> algorithms;
    private final Consumer<SoftwareSigner> onClose;
    private final SecureRandom random = new SecureRandom();
    private volatile boolean closed;

    SoftwareSigner(PrivateKey key, List<X509Certificate> chain, Consumer<SoftwareSigner> onClose) {
        this.key = key;
        this.chain = List.copyOf(chain);
        this.onClose = onClose;
        this.algorithms = supported(chain.get(0));
    }

    static Set<SignatureAlgorithm> supported(X509Certificate certificate) {
        Set<SignatureAlgorithm> out = EnumSet.noneOf(SignatureAlgorithm.class);
        if (certificate.getPublicKey() instanceof RSAPublicKey) {
            out.addAll(EnumSet.of(SignatureAlgorithm.RSA_SHA256, SignatureAlgorithm.RSA_SHA384,
                    SignatureAlgorithm.RSA_SHA512, SignatureAlgorithm.RSA_PSS_SHA256,
                    SignatureAlgorithm.RSA_PSS_SHA384, SignatureAlgorithm.RSA_PSS_SHA512));
        } else if (certificate.getPublicKey() instanceof ECPublicKey) {
            out.addAll(EnumSet.of(SignatureAlgorithm.ECDSA_SHA256, SignatureAlgorithm.ECDSA_SHA384,
                    SignatureAlgorithm.ECDSA_SHA512));
        }
        return Set.copyOf(out);
    }

    @Override
    public X509Certificate certificate() {
        return chain.get(0);
    }

    @Override
    public List<X509Certificate> chain() {
        return chain;
    }

    @Override
    public Set<SignatureAlgorithm> algorithms() {
        return algorithms;
    }

    @Override
    public String providerId() {
        return Pkcs12SignerProvider.ID;
    }

    @Override
    public DeviceKind deviceKind() {
        return DeviceKind.FILE;
    }

    @Override
    public List<byte[]> sign(SignRequest request) throws SigningFailedException {
        java.util.Objects.requireNonNull(request, "request must not be null");
        if (closed) {
            throw new IllegalStateException("signer for " + certificate().getSubjectX500Principal()
                    + " is closed: open a new one from its key source");
        }
        SignatureAlgorithm algorithm = request.algorithm();
        if (!algorithms.contains(algorithm)) {
            throw new IllegalArgumentException("this " + key.getAlgorithm() + " key cannot sign " + algorithm
                    + "; it supports " + algorithms);
        }
        List<byte[]> values = new ArrayList<>(request.size());
        try {
            for (byte[] digest : request.digests()) {
                values.add(signOne(algorithm, digest));
            }
        } catch (GeneralSecurityException e) {
            throw new SigningFailedException(providerId(), "the software key failed to sign: " + e.getMessage(), e);
        }
        return values;
    }

    private byte[] signOne(SignatureAlgorithm algorithm, byte[] digest) throws GeneralSecurityException {
        switch (algorithm.keyKind()) {
            case EC -> {
                Signature s = Signature.getInstance("NONEwithECDSA");
                s.initSign(key);
                s.update(digest);
                return s.sign();
            }
            case RSA -> {
                if (algorithm.isPss()) {
                    int bits = ((RSAPublicKey) certificate().getPublicKey()).getModulus().bitLength();
                    byte[] em = DigestSigning.pssEncode(algorithm.digest(), digest, bits, random);
                    Cipher raw = Cipher.getInstance("RSA/ECB/NoPadding");
                    raw.init(Cipher.ENCRYPT_MODE, key);
                    return raw.doFinal(leftPad(em, (bits + 7) / 8));
                }
                Signature s = Signature.getInstance("NONEwithRSA");
                s.initSign(key);
                s.update(DigestSigning.digestInfo(algorithm.digest(), digest));
                return s.sign();
            }
            default -> throw new IllegalStateException("unreachable");
        }
    }

    private static byte[] leftPad(byte[] in, int length) {
        if (in.length >= length) {
            return in;
        }
        byte[] out = new byte[length];
        System.arraycopy(in, 0, out, length - in.length, in.length);
        return out;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            onClose.accept(this);
        }
    }

    @Override
    public String toString() {
        return "pkcs12 signer for " + certificate().getSubjectX500Principal().getName();
    }
}
