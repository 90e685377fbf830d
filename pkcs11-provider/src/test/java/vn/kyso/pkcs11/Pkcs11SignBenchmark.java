package vn.kyso.pkcs11;

import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Security;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.security.cert.X509Certificate;
import vn.kyso.CredentialCallback;
import vn.kyso.KeySource;
import vn.kyso.SignRequest;
import vn.kyso.SignatureAlgorithm;
import vn.kyso.Signer;

/**
 * Benchmark main (not a test): signatures per second through the pkcs11 provider against the
 * JDK's own SunPKCS11 Signature on the same SoftHSM2 key, and a batch of 100 under one login.
 * Run each mode ("kyso", "jdk") in its own JVM, with SOFTHSM2_CONF set (see BENCHMARKS.md).
 */
public final class Pkcs11SignBenchmark {
    private Pkcs11SignBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        try {
            String mode = args.length > 0 ? args[0] : "kyso";
            int n = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
            SoftHsm.tokens();
            if (mode.equals("jdk")) {
                X509Certificate cert = SoftHsm.tokens().organization().certificate();
                System.out.printf("SunPKCS11 Signature SHA256withRSA on the same key: %.0f signatures/s%n",
                        sunPkcs11(cert, "Công văn 2806/SCT-VP".getBytes(java.nio.charset.StandardCharsets.UTF_8), n));
                return;
            }
            byte[] message = "Công văn 2806/SCT-VP".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            byte[] digest = SignatureAlgorithm.RSA_SHA256.digest().digest(message);
            try (KeySource source = new Pkcs11SignerProvider().connect(Map.of("library", SoftHsm.MODULE.toString(),
                    "token", SoftHsm.CLERK_TOKEN), CredentialCallback.of(SoftHsm.PIN.toCharArray()));
                    Signer signer = source.open(source.keys().get(0).id())) {
                for (int i = 0; i < n / 4; i++) {
                    signer.sign(SignatureAlgorithm.RSA_SHA256, digest, "");
                }
                long t0 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    signer.sign(SignatureAlgorithm.RSA_SHA256, digest, "");
                }
                double kyso = n / ((System.nanoTime() - t0) / 1e9);
                System.out.printf("kyso pkcs11 provider, RSA-2048 PKCS#1 v1.5: %.0f signatures/s%n", kyso);

                List<byte[]> hundred = new ArrayList<>(Collections.nCopies(100, digest));
                long b0 = System.nanoTime();
                signer.sign(SignRequest.batch(SignatureAlgorithm.RSA_SHA256, hundred, "Ký 100 văn bản"));
                System.out.printf("batch of 100 under one login: %.1f ms%n", (System.nanoTime() - b0) / 1e6);

            }
        } finally {
            SoftHsm.tokens().close(); // its TSA/OCSP servers would keep the JVM alive
        }
    }

    private static double sunPkcs11(java.security.cert.X509Certificate cert, byte[] message, int n) throws Exception {
        Provider base = Security.getProvider("SunPKCS11");
        for (int index = 0; index < 4; index++) {
            Provider p;
            try {
                p = base.configure("--name=bench" + index + "\nlibrary=" + SoftHsm.MODULE + "\nslotListIndex=" + index + "\n");
            } catch (Exception e) {
                continue;
            }
            KeyStore store = KeyStore.getInstance("PKCS11", p);
            try {
                store.load(null, SoftHsm.PIN.toCharArray());
            } catch (Exception e) {
                continue;
            }
            for (String alias : Collections.list(store.aliases())) {
                if (cert.equals(store.getCertificate(alias)) && store.isKeyEntry(alias)) {
                    PrivateKey key = (PrivateKey) store.getKey(alias, null);
                    Signature s = Signature.getInstance("SHA256withRSA", p);
                    for (int i = 0; i < n / 4; i++) {
                        s.initSign(key);
                        s.update(message);
                        s.sign();
                    }
                    long t0 = System.nanoTime();
                    for (int i = 0; i < n; i++) {
                        s.initSign(key);
                        s.update(message);
                        s.sign();
                    }
                    return n / ((System.nanoTime() - t0) / 1e9);
                }
            }
        }
        throw new IllegalStateException("SunPKCS11 did not find the key");
    }
}
