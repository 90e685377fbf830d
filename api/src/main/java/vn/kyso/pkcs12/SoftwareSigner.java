package vn.kyso.pkcs12;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import javax.crypto.Cipher;
import vn.kyso.DeviceKind;
import vn.kyso.SignatureAlgorithm;
import vn.kyso.SigningFailedException;
import vn.kyso.spi.DigestSigner;
import vn.kyso.spi.DigestSigning;

/** Signs digests with a private key held in memory. */
final class SoftwareSigner extends DigestSigner {
    private final PrivateKey key;
    private final Consumer<SoftwareSigner> onClose;
    private final SecureRandom random = new SecureRandom();

    SoftwareSigner(PrivateKey key, List<X509Certificate> chain, Consumer<SoftwareSigner> onClose) {
        super(chain, supported(chain.get(0)), Pkcs12SignerProvider.ID, DeviceKind.FILE);
        this.key = key;
        this.onClose = onClose;
    }

    static Set<SignatureAlgorithm> supported(X509Certificate certificate) {
        if (certificate.getPublicKey() instanceof RSAPublicKey) {
            return EnumSet.of(SignatureAlgorithm.RSA_SHA256, SignatureAlgorithm.RSA_SHA384, SignatureAlgorithm.RSA_SHA512,
                    SignatureAlgorithm.RSA_PSS_SHA256, SignatureAlgorithm.RSA_PSS_SHA384, SignatureAlgorithm.RSA_PSS_SHA512);
        }
        if (certificate.getPublicKey() instanceof ECPublicKey) {
            return EnumSet.of(SignatureAlgorithm.ECDSA_SHA256, SignatureAlgorithm.ECDSA_SHA384,
                    SignatureAlgorithm.ECDSA_SHA512);
        }
        return EnumSet.noneOf(SignatureAlgorithm.class);
    }

    @Override
    protected byte[] signDigest(SignatureAlgorithm algorithm, byte[] digest) throws SigningFailedException {
        try {
            if (algorithm.keyKind() == SignatureAlgorithm.KeyKind.EC) {
                Signature s = Signature.getInstance("NONEwithECDSA");
                s.initSign(key);
                s.update(digest);
                return s.sign();
            }
            if (algorithm.isPss()) {
                int bits = ((RSAPublicKey) certificate().getPublicKey()).getModulus().bitLength();
                byte[] em = DigestSigning.pssEncode(algorithm.digest(), digest, bits, random);
                byte[] block = new byte[(bits + 7) / 8];
                System.arraycopy(em, 0, block, block.length - em.length, em.length);
                Cipher raw = Cipher.getInstance("RSA/ECB/NoPadding");
                raw.init(Cipher.ENCRYPT_MODE, key);
                return raw.doFinal(block);
            }
            Signature s = Signature.getInstance("NONEwithRSA");
            s.initSign(key);
            s.update(DigestSigning.digestInfo(algorithm.digest(), digest));
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new SigningFailedException(providerId(), "the software key failed to sign: " + e.getMessage(), e);
        }
    }

    @Override
    protected void release() {
        onClose.accept(this);
    }
}
