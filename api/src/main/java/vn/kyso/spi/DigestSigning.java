package vn.kyso.spi;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import vn.kyso.DigestAlgorithm;

/**
 * Encodings a provider needs to sign a digest with a device that only does raw operations:
 * the PKCS#1 DigestInfo, EMSA-PSS (RFC 8017, section 9.1.1) and the two ECDSA signature
 * encodings. Stateless.
 */
public final class DigestSigning {
    private static final byte[] SHA1_PREFIX = hex("3021300906052b0e03021a05000414");
    private static final byte[] SHA256_PREFIX = hex("3031300d060960864801650304020105000420");
    private static final byte[] SHA384_PREFIX = hex("3041300d060960864801650304020205000430");
    private static final byte[] SHA512_PREFIX = hex("3051300d060960864801650304020305000440");

    private DigestSigning() {
    }

    /** The DER DigestInfo that RSA PKCS#1 v1.5 signs (what CKM_RSA_PKCS and NONEwithRSA expect). */
    public static byte[] digestInfo(DigestAlgorithm algorithm, byte[] digest) {
        byte[] prefix = switch (algorithm) {
            case SHA1 -> SHA1_PREFIX;
            case SHA256 -> SHA256_PREFIX;
            case SHA384 -> SHA384_PREFIX;
            case SHA512 -> SHA512_PREFIX;
        };
        if (digest.length != algorithm.length()) {
            throw new IllegalArgumentException("digest has " + digest.length + " bytes, " + algorithm.jcaName()
                    + " needs " + algorithm.length());
        }
        byte[] out = Arrays.copyOf(prefix, prefix.length + digest.length);
        System.arraycopy(digest, 0, out, prefix.length, digest.length);
        return out;
    }

    /**
     * EMSA-PSS encodes a digest for a raw RSA private-key operation, with MGF1 over the same
     * hash and a salt as long as the digest (the parameters CMS and XML signatures announce).
     *
     * @param modulusBits the RSA key size in bits
     */
    public static byte[] pssEncode(DigestAlgorithm algorithm, byte[] digest, int modulusBits, SecureRandom random) {
        int hLen = algorithm.length();
        int emBits = modulusBits - 1;
        int emLen = (emBits + 7) / 8;
        if (emLen < 2 * hLen + 2) {
            throw new IllegalArgumentException("RSA key of " + modulusBits + " bits is too small for PSS with "
                    + algorithm.jcaName());
        }
        byte[] salt = new byte[hLen];
        random.nextBytes(salt);
        MessageDigest md = newDigest(algorithm);
        md.update(new byte[8]);
        md.update(digest);
        byte[] h = md.digest(salt);
        byte[] db = new byte[emLen - hLen - 1];
        db[db.length - hLen - 1] = 1;
        System.arraycopy(salt, 0, db, db.length - hLen, hLen);
        byte[] mask = mgf1(algorithm, h, db.length);
        for (int i = 0; i < db.length; i++) {
            db[i] ^= mask[i];
        }
        db[0] &= (byte) (0xFF >>> (8 * emLen - emBits));
        byte[] em = new byte[emLen];
        System.arraycopy(db, 0, em, 0, db.length);
        System.arraycopy(h, 0, em, db.length, hLen);
        em[emLen - 1] = (byte) 0xBC;
        return em;
    }

    /** Converts a raw ECDSA signature r||s (PKCS#11 CKM_ECDSA, XML Signature) to DER SEQUENCE {r, s}. */
    public static byte[] ecdsaRawToDer(byte[] raw) {
        if (raw.length == 0 || raw.length % 2 != 0) {
            throw new IllegalArgumentException("raw ECDSA signature must have an even, non-zero length");
        }
        int half = raw.length / 2;
        byte[] r = new BigInteger(1, Arrays.copyOfRange(raw, 0, half)).toByteArray();
        byte[] s = new BigInteger(1, Arrays.copyOfRange(raw, half, raw.length)).toByteArray();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        writeInteger(body, r);
        writeInteger(body, s);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x30);
        writeLength(out, body.size());
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }

    /**
     * Converts a DER ECDSA signature to raw r||s, each padded to {@code fieldBytes} (32 for
     * P-256, 48 for P-384).
     */
    public static byte[] ecdsaDerToRaw(byte[] der, int fieldBytes) {
        int[] pos = {0};
        expect(der, pos, 0x30);
        int seqLen = readLength(der, pos);
        if (pos[0] + seqLen != der.length) {
            throw new IllegalArgumentException("malformed DER ECDSA signature: bad sequence length");
        }
        byte[] out = new byte[2 * fieldBytes];
        for (int k = 0; k < 2; k++) {
            expect(der, pos, 0x02);
            int len = readLength(der, pos);
            if (len <= 0 || pos[0] + len > der.length) {
                throw new IllegalArgumentException("malformed DER ECDSA signature: bad integer length");
            }
            BigInteger v = new BigInteger(1, Arrays.copyOfRange(der, pos[0], pos[0] + len));
            pos[0] += len;
            byte[] mag = v.toByteArray();
            int start = mag.length > 1 && mag[0] == 0 ? 1 : 0;
            int n = mag.length - start;
            if (n > fieldBytes) {
                throw new IllegalArgumentException("ECDSA integer longer than the field size " + fieldBytes);
            }
            System.arraycopy(mag, start, out, (k + 1) * fieldBytes - n, n);
        }
        return out;
    }

    private static void expect(byte[] der, int[] pos, int tag) {
        if (pos[0] >= der.length || (der[pos[0]] & 0xFF) != tag) {
            throw new IllegalArgumentException("malformed DER ECDSA signature: expected tag " + tag);
        }
        pos[0]++;
    }

    private static int readLength(byte[] der, int[] pos) {
        if (pos[0] >= der.length) {
            throw new IllegalArgumentException("malformed DER ECDSA signature: truncated");
        }
        int b = der[pos[0]++] & 0xFF;
        if (b < 0x80) {
            return b;
        }
        int n = b & 0x7F;
        if (n == 0 || n > 2 || pos[0] + n > der.length) {
            throw new IllegalArgumentException("malformed DER ECDSA signature: bad length");
        }
        int len = 0;
        for (int i = 0; i < n; i++) {
            len = (len << 8) | (der[pos[0]++] & 0xFF);
        }
        return len;
    }

    private static void writeInteger(ByteArrayOutputStream out, byte[] value) {
        out.write(0x02);
        writeLength(out, value.length);
        out.writeBytes(value);
    }

    private static void writeLength(ByteArrayOutputStream out, int len) {
        if (len < 0x80) {
            out.write(len);
        } else if (len < 0x100) {
            out.write(0x81);
            out.write(len);
        } else {
            out.write(0x82);
            out.write(len >> 8);
            out.write(len);
        }
    }

    private static byte[] mgf1(DigestAlgorithm algorithm, byte[] seed, int length) {
        MessageDigest md = newDigest(algorithm);
        byte[] out = new byte[length];
        int done = 0;
        for (int counter = 0; done < length; counter++) {
            md.update(seed);
            md.update(new byte[] {(byte) (counter >>> 24), (byte) (counter >>> 16), (byte) (counter >>> 8),
                (byte) counter});
            byte[] block = md.digest();
            int n = Math.min(block.length, length - done);
            System.arraycopy(block, 0, out, done, n);
            done += n;
        }
        return out;
    }

    private static MessageDigest newDigest(DigestAlgorithm algorithm) {
        try {
            return MessageDigest.getInstance(algorithm.jcaName());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm.jcaName() + " is missing from this JVM", e);
        }
    }

    private static byte[] hex(String s) {
        return java.util.HexFormat.of().parseHex(s);
    }
}
