package vn.kyso.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import vn.kyso.InMemoryUsageReporter;
import vn.kyso.Indication;
import vn.kyso.Kyso;
import vn.kyso.VerificationReport;
import vn.kyso.testkit.TestPki;
import vn.kyso.testkit.TestPkiExtension;

/** Every example runs here against the test PKI and its live services, so none of them rots. */
@ExtendWith(TestPkiExtension.class)
class ExamplesTest {

    @TempDir
    Path dir;

    private Path blankPdf() throws Exception {
        try (PDDocument doc = new PDDocument()) {
            doc.addPage(new PDPage());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            doc.save(out);
            return Files.write(dir.resolve("to-sign.pdf"), out.toByteArray());
        }
    }

    @Test
    void anOutgoingDocumentIsSignedWithATimestampAndAnIncomingOneVerified(TestPki pki) throws Exception {
        char[] password = "123456".toCharArray();
        Path keyFile = Files.write(dir.resolve("seal.p12"), pki.organization().toPkcs12(password));
        InMemoryUsageReporter usage = new InMemoryUsageReporter();
        Kyso kyso = Kyso.builder().usageReporter(usage).build();
        Path signed = dir.resolve("signed.pdf");

        SignOutgoingDocument.sign(kyso, blankPdf(), signed, keyFile, password, pki.services().tsaUri());
        VerificationReport report = VerifyIncomingDocument.verify(kyso, signed, pki.roots());

        assertEquals(Indication.TOTAL_PASSED, report.signatures().get(0).indication(), report.toText());
        assertTrue(report.signatures().get(0).timestampTime().isPresent());
        assertEquals("Công văn", usage.events().get(0).documentType());
    }

    @Test
    void anIncomingDocumentFromAnUntrustedIssuerIsNotPassed(TestPki pki) throws Exception {
        char[] password = "123456".toCharArray();
        Path keyFile = Files.write(dir.resolve("other.p12"), pki.ecPerson().toPkcs12(password));
        Kyso kyso = Kyso.discover();
        Path signed = dir.resolve("signed.pdf");
        SignOutgoingDocument.sign(kyso, blankPdf(), signed, keyFile, password, pki.services().tsaUri());
        VerificationReport report = VerifyIncomingDocument.verify(kyso, signed,
                java.util.List.of(pki.cipherRoot().certificate()));
        assertFalse(report.allPassed());
        assertEquals(Indication.INDETERMINATE, report.signatures().get(0).indication());
    }
}
