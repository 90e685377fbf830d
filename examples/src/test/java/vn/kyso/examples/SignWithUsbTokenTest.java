package vn.kyso.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.kyso.Indication;
import vn.kyso.Kyso;
import vn.kyso.VerificationReport;
import vn.kyso.testkit.SoftHsm2;
import vn.kyso.testkit.TestPki;

/** The token example against a real PKCS#11 module: a SoftHSM2 token holding the leader's key. */
class SignWithUsbTokenTest {
    private static final String TOKEN = "token-giam-doc";
    private static final String PIN = "123456";
    private static TestPki pki;

    @TempDir
    Path dir;

    @BeforeAll
    static void token() throws Exception {
        pki = TestPki.start();
        SoftHsm2 hsm = SoftHsm2.fromEnvironment();
        hsm.initToken(TOKEN, PIN);
        hsm.importKey(TOKEN, PIN, pki.person(), "01", false);
        hsm.importCertificate(TOKEN, PIN, pki.person().issuer(), null, "CA");
    }

    @AfterAll
    static void stop() {
        pki.close();
    }

    private Path letter() throws Exception {
        try (PDDocument doc = new PDDocument()) {
            doc.addPage(new PDPage());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            doc.save(out);
            return Files.write(dir.resolve("cong-van.pdf"), out.toByteArray());
        }
    }

    @Test
    void theLeaderSignsOnTheTokenAfterOnePinPromptAndTheLetterVerifies() throws Exception {
        Kyso kyso = Kyso.discover();
        List<String> prompts = new ArrayList<>();
        Path signed = dir.resolve("cong-van.signed.pdf");
        String problem = SignWithUsbToken.sign(kyso, TOKEN, SoftHsm2.MODULE.toString(), letter(), signed, prompt -> {
            prompts.add(prompt);
            return PIN.toCharArray();
        });
        assertNull(problem);
        assertEquals(List.of("Nhập mã PIN của token " + TOKEN), prompts);
        VerificationReport report = VerifyIncomingDocument.verify(kyso, signed, pki.roots());
        assertEquals(Indication.TOTAL_PASSED, report.signatures().get(0).indication(), report.toText());
        assertEquals(pki.person().certificate(), report.signatures().get(0).signerCertificate().orElseThrow());
    }

    @Test
    void aWrongPinACancelledPromptAndAMissingTokenEachBecomeASentenceAndWriteNothing() throws Exception {
        Kyso kyso = Kyso.discover();
        Path signed = dir.resolve("never.pdf");
        Path letter = letter();
        String module = SoftHsm2.MODULE.toString();

        String wrong = SignWithUsbToken.sign(kyso, TOKEN, module, letter, signed, p -> "999999".toCharArray());
        assertTrue(wrong.startsWith("Sai mã PIN"), wrong);
        String cancelled = SignWithUsbToken.sign(kyso, TOKEN, module, letter, signed, p -> null);
        assertEquals("Đã hủy ký.", cancelled);
        String absent = SignWithUsbToken.sign(kyso, "token-khong-co", module, letter, signed, p -> PIN.toCharArray());
        assertEquals("Chưa cắm token token-khong-co: cắm token vào máy rồi ký lại.", absent);
        String noDriver = SignWithUsbToken.sign(kyso, TOKEN, dir.resolve("vnptca_p11_v10.so").toString(), letter,
                signed, p -> PIN.toCharArray());
        assertTrue(noDriver.startsWith("Máy chưa cài phần mềm của token"), noDriver);
        assertFalse(Files.exists(signed), "a failed signing writes no file");
    }
}
