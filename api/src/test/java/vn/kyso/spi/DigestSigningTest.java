package vn.kyso.spi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import vn.kyso.DigestAlgorithm;
import vn.kyso.TestKeys;

class DigestSigningTest {

    @Test
    void pssEncodingVerifiesWithTheJdkPssVerifier() throws Exception {
        var keys = TestKeys.rsa();
        byte[] data = "tờ khai thuế".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        for (DigestAlgorithm d : new DigestAlgorithm[] {DigestAlgorithm.SHA256, DigestAlgorithm.SHA512}) {
            byte[] digest = MessageDigest.getInstance(d.jcaName()).digest(data);
            RSAPublicKey pub = (RSAPublicKey) keys.getPublic();
            byte[] em = DigestSigning.pssEncode(d, digest, pub.getModulus().bitLength(), new java.security.SecureRandom());
            RSAPrivateKey priv = (RSAPrivateKey) keys.getPrivate();
            BigInteger s = new BigInteger(1, em).modPow(priv.getPrivateExponent(), priv.getModulus());
            Signature v = Signature.getInstance("RSASSA-PSS");
            v.setParameter(new PSSParameterSpec(d.jcaName(), "MGF1", new MGF1ParameterSpec(d.jcaName()), d.length(), 1));
            v.initVerify(pub);
            v.update(data);
            assertTrue(v.verify(fixedLength(s, (pub.getModulus().bitLength() + 7) / 8)), "PSS over " + d);
        }
    }

    private static byte[] fixedLength(BigInteger value, int length) {
        byte[] raw = value.toByteArray();
        byte[] out = new byte[length];
        int n = Math.min(raw.length, length);
        System.arraycopy(raw, raw.length - n, out, length - n, n);
        return out;
    }

    @Test
    void digestInfoRejectsADigestOfAnotherLength() {
        assertThrows(IllegalArgumentException.class, () -> DigestSigning.digestInfo(DigestAlgorithm.SHA256, new byte[20]));
    }

    @Test
    void derToRawRejectsGarbage() {
        assertThrows(IllegalArgumentException.class, () -> DigestSigning.ecdsaDerToRaw(new byte[] {0x30, 0x05, 0x02}, 32));
        assertThrows(IllegalArgumentException.class, () -> DigestSigning.ecdsaDerToRaw(new byte[0], 32));
    }

    @Property(tries = 300)
    void rawAndDerEcdsaEncodingsRoundTrip(@ForAll @Size(64) byte[] raw) {
        byte[] der = DigestSigning.ecdsaRawToDer(raw);
        assertArrayEquals(raw, DigestSigning.ecdsaDerToRaw(der, 32));
    }
}
