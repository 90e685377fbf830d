package vn.kyso.testkit;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** PEM text (RFC 7468) for certificates and PKCS#8 private keys. */
final class Pem {

    private static final Base64.Encoder ENCODER =
            Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));

    private Pem() {
    }

    /** Wraps DER bytes in a PEM block with the given label, lines of 64 characters, LF endings. */
    static String encode(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n"
                + ENCODER.encodeToString(der) + "\n"
                + "-----END " + label + "-----\n";
    }
}
