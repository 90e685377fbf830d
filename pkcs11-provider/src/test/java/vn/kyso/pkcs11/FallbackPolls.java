package vn.kyso.pkcs11;

import java.util.Map;
import vn.kyso.CredentialCallback;
import vn.kyso.KeySource;
import vn.kyso.SignatureAlgorithm;
import vn.kyso.Signer;
import vn.kyso.TokenAbsentException;

/**
 * Run by {@link Pkcs11DriverTest} in a JVM that does not open the JDK's PKCS#11 wrapper (as
 * kyso's library users may run): a hundred empty polls, then the token already there still signs.
 * Arguments: the driver path, the token label, its PIN.
 */
final class FallbackPolls {
    private FallbackPolls() {
    }

    public static void main(String[] args) throws Exception {
        Pkcs11SignerProvider provider = new Pkcs11SignerProvider();
        try (KeySource waiting = provider.connect(Map.of("library", args[0], "token", "kyso-khong-bao-gio-cam"),
                CredentialCallback.none())) {
            for (int poll = 0; poll < 100; poll++) {
                try {
                    waiting.keys();
                    throw new AssertionError("poll " + poll + " found a token that is not there");
                } catch (TokenAbsentException expected) {
                    // polled again below
                }
            }
        }
        try (KeySource token = provider.connect(Map.of("library", args[0], "token", args[1]),
                CredentialCallback.of(args[2].toCharArray()));
                Signer signer = token.open(token.keys().get(0).id())) {
            if (signer.sign(SignatureAlgorithm.RSA_SHA256, new byte[32], "").length == 0) {
                throw new AssertionError("an empty signature");
            }
        }
        System.out.println("signed after 100 empty polls");
    }
}
