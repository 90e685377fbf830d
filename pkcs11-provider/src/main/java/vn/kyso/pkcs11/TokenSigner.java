package vn.kyso.pkcs11;

import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.EnumSet;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import sun.security.pkcs11.wrapper.CK_MECHANISM;
import sun.security.pkcs11.wrapper.PKCS11;
import sun.security.pkcs11.wrapper.PKCS11Exception;
import vn.kyso.CredentialCallback;
import vn.kyso.CredentialRequest;
import vn.kyso.DeviceKind;
import vn.kyso.KysoException;
import vn.kyso.SignRequest;
import vn.kyso.SignatureAlgorithm;
import vn.kyso.UserRejectedException;
import vn.kyso.spi.DigestSigner;
import vn.kyso.spi.DigestSigning;

/**
 * One logged-in key on a token. Calls are serialized on the session: PKCS#11 sessions are not
 * safe for concurrent use, and a token signs one thing at a time anyway.
 */
final class TokenSigner extends DigestSigner {
    private final PKCS11 p11;
    private final long session;
    private final long key;
    private final String token;
    private final Consumer<TokenSigner> onClose;
    private final SecureRandom random = new SecureRandom();
    /** Null unless the key is CKA_ALWAYS_AUTHENTICATE: then each signing needs the signature PIN. */
    private final CredentialCallback signaturePin;
    private char[] batchPin;

    TokenSigner(PKCS11 p11, long session, long key, String token, List<X509Certificate> chain, long[] mechanisms,
            CredentialCallback signaturePin, Consumer<TokenSigner> onClose) {
        super(chain, supported(chain.get(0), mechanisms), Pkcs11Module.ID, DeviceKind.USB_TOKEN);
        this.p11 = p11;
        this.session = session;
        this.key = key;
        this.token = token;
        this.signaturePin = signaturePin;
        this.onClose = onClose;
    }

    /**
     * For a key that asks its PIN at every signing, asks the signature PIN once for the whole
     * request and logs in context-specifically before each C_Sign; the PIN is cleared afterwards
     * and never retried.
     */
    @Override
    protected synchronized List<byte[]> signDigests(SignatureAlgorithm algorithm, SignRequest request)
            throws KysoException {
        if (signaturePin == null) {
            return super.signDigests(algorithm, request);
        }
        char[] pin = signaturePin.secret(new CredentialRequest(Pkcs11Module.ID, token,
                CredentialRequest.Kind.SIGNATURE_PIN, -1));
        if (pin == null) {
            throw new UserRejectedException(Pkcs11Module.ID, "signature PIN entry for token " + token
                    + " was cancelled; nothing was signed");
        }
        batchPin = pin;
        try {
            return super.signDigests(algorithm, request);
        } finally {
            Arrays.fill(pin, '\0');
            batchPin = null;
        }
    }

    private static Set<SignatureAlgorithm> supported(X509Certificate cert, long[] mechanisms) {
        Set<SignatureAlgorithm> out = EnumSet.noneOf(SignatureAlgorithm.class);
        boolean rawRsa = false;
        for (long m : mechanisms) {
            rawRsa |= m == Pkcs11Module.CKM_RSA_X_509;
        }
        if (cert.getPublicKey() instanceof RSAPublicKey) {
            out.addAll(EnumSet.of(SignatureAlgorithm.RSA_SHA256, SignatureAlgorithm.RSA_SHA384, SignatureAlgorithm.RSA_SHA512));
            if (rawRsa) {
                out.addAll(EnumSet.of(SignatureAlgorithm.RSA_PSS_SHA256, SignatureAlgorithm.RSA_PSS_SHA384,
                        SignatureAlgorithm.RSA_PSS_SHA512));
            }
        } else if (cert.getPublicKey() instanceof ECPublicKey) {
            out.addAll(EnumSet.of(SignatureAlgorithm.ECDSA_SHA256, SignatureAlgorithm.ECDSA_SHA384,
                    SignatureAlgorithm.ECDSA_SHA512));
        }
        return out;
    }

    /** One C_SignInit and C_Sign pair, serialized: a PKCS#11 session serves one operation at a time. */
    @Override
    protected synchronized byte[] signDigest(SignatureAlgorithm algorithm, byte[] digest) throws KysoException {
        try {
            if (algorithm.keyKind() == SignatureAlgorithm.KeyKind.EC) {
                init(Pkcs11Module.CKM_ECDSA);
                return DigestSigning.ecdsaRawToDer(p11.C_Sign(session, digest));
            }
            if (algorithm.isPss()) {
                int bits = ((RSAPublicKey) certificate().getPublicKey()).getModulus().bitLength();
                byte[] em = DigestSigning.pssEncode(algorithm.digest(), digest, bits, random);
                byte[] block = new byte[(bits + 7) / 8];
                System.arraycopy(em, 0, block, block.length - em.length, em.length);
                init(Pkcs11Module.CKM_RSA_X_509);
                return p11.C_Sign(session, block);
            }
            init(Pkcs11Module.CKM_RSA_PKCS);
            return p11.C_Sign(session, DigestSigning.digestInfo(algorithm.digest(), digest));
        } catch (PKCS11Exception e) {
            throw Pkcs11Module.error(e, token, batchPin != null ? "signing with the signature PIN" : "signing");
        }
    }

    private void init(long mechanism) throws PKCS11Exception {
        p11.C_SignInit(session, new CK_MECHANISM(mechanism), key);
        if (batchPin != null) {
            try {
                p11.C_Login(session, Pkcs11Module.CKU_CONTEXT_SPECIFIC, batchPin);
            } catch (PKCS11Exception e) {
                endOperation();
                throw e;
            }
        }
    }

    /**
     * Ends the signing operation left active by a refused signature PIN: a C_Sign call always
     * terminates it (PKCS#11 v2.40, 5.11), here with an error that is expected and ignored.
     */
    private void endOperation() {
        try {
            p11.C_Sign(session, new byte[1]);
        } catch (PKCS11Exception expected) {
            // CKR_USER_NOT_LOGGED_IN: the operation is over, which is all that was wanted
        }
    }

    @Override
    protected synchronized void release() {
        try {
            p11.C_Logout(session);
        } catch (PKCS11Exception ignored) {
            // already logged out, or the token is gone
        }
        try {
            p11.C_CloseSession(session);
        } catch (PKCS11Exception ignored) {
            // the token is gone; nothing is left to release
        }
        onClose.accept(this);
    }

    @Override
    public String toString() {
        return "pkcs11 signer on token " + token + " for " + certificate().getSubjectX500Principal().getName();
    }
}
