package vn.kyso.pdf;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import vn.kyso.Document;
import vn.kyso.SignatureFormat;
import vn.kyso.Signer;
import vn.kyso.ValidationPolicy;
import vn.kyso.testkit.SignatureFormatContract;
import vn.kyso.testkit.TestPki;

/** The format contract from testkit, run against pades with the test PKI and its live OCSP. */
class PadesFormatContractTest extends SignatureFormatContract {
    private static TestPki pki;
    private static Path keys;
    private static Signer signer;

    @BeforeAll
    static void start() throws Exception {
        pki = TestPki.start();
        keys = Files.createTempDirectory("kyso-pades-keys");
        signer = TestPdfs.signer(pki.person(), keys);
    }

    @AfterAll
    static void stop() {
        signer.close();
        pki.close();
    }

    @Override
    protected SignatureFormat format() {
        return new PadesFormat();
    }

    @Override
    protected Document unsignedDocument() throws Exception {
        return Document.of(TestPdfs.letter(1, "Cong van so 2806/SCT-VP"), "letter.pdf");
    }

    @Override
    protected Signer signer() {
        return signer;
    }

    @Override
    protected ValidationPolicy policy() {
        return ValidationPolicy.builder().trustAnchors(pki.roots()).build();
    }

    @Override
    protected byte[] tamper(byte[] signed) {
        String text = new String(signed, java.nio.charset.StandardCharsets.ISO_8859_1);
        int at = text.indexOf("/MediaBox");
        signed[at + 1] = 'X';
        return signed;
    }
}
