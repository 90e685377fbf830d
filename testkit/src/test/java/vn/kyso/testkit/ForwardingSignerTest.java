package vn.kyso.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import vn.kyso.CredentialCallback;
import vn.kyso.KeySource;
import vn.kyso.Kyso;
import vn.kyso.KysoException;
import vn.kyso.SignRequest;
import vn.kyso.SignatureAlgorithm;
import vn.kyso.Signer;

@ExtendWith(TestPkiExtension.class)
class ForwardingSignerTest {

    @TempDir
    Path dir;

    @Test
    void everythingReachesTheDelegateAndClosingLeavesItOpen(TestPki pki) throws Exception {
        char[] password = "123456".toCharArray();
        Path file = Files.write(dir.resolve("k.p12"), pki.person().toPkcs12(password));
        try (KeySource keys = Kyso.discover().connect("pkcs12", Map.of("file", file.toString()),
                CredentialCallback.of(password)); Signer real = keys.open(keys.keys().get(0).id())) {
            AtomicInteger calls = new AtomicInteger();
            Signer counting = new ForwardingSigner(real) {
                @Override
                public List<byte[]> sign(SignRequest request) throws KysoException {
                    calls.incrementAndGet();
                    return super.sign(request);
                }
            };
            assertEquals(real.certificate(), counting.certificate());
            assertEquals(real.chain(), counting.chain());
            assertEquals(real.algorithms(), counting.algorithms());
            assertEquals(real.providerId(), counting.providerId());
            assertEquals(real.deviceKind(), counting.deviceKind());
            byte[] digest = new byte[32];
            assertArrayEquals(real.sign(SignatureAlgorithm.RSA_SHA256, digest, ""),
                    counting.sign(SignatureAlgorithm.RSA_SHA256, digest, ""), "RSA PKCS#1 v1.5 is deterministic");
            assertEquals(1, calls.get());
            counting.close();
            real.sign(SignatureAlgorithm.RSA_SHA256, digest, "");
        }
        assertThrows(NullPointerException.class, () -> new ForwardingSigner(null) { });
    }
}
