package vn.kyso.xml;

import java.nio.charset.StandardCharsets;
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

/** The format contract from testkit, run against xades with an e-invoice signed by its seller (the default profile). */
class XadesFormatContractTest extends SignatureFormatContract {
    private static TestPki pki;
    private static Path keys;
    private static Signer signer;

    @BeforeAll
    static void start() throws Exception {
        pki = TestPki.start();
        keys = Files.createTempDirectory("kyso-xades-keys");
        signer = SigningFixtures.signer(pki.invoiceSeller(), keys);
    }

    @AfterAll
    static void stop() {
        signer.close();
        pki.close();
    }

    @Override
    protected SignatureFormat format() {
        return new XadesFormat();
    }

    @Override
    protected Document unsignedDocument() {
        return Document.of(SigningFixtures.invoice(3).getBytes(StandardCharsets.UTF_8), "hd.xml");
    }

    @Override
    protected Signer signer() {
        return signer;
    }

    @Override
    protected ValidationPolicy policy() {
        return XadesFormatTest.policy(pki);
    }

    @Override
    protected byte[] tamper(byte[] signed) {
        String text = new String(signed, StandardCharsets.UTF_8);
        return text.replace("<SHDon>123</SHDon>", "<SHDon>124</SHDon>").getBytes(StandardCharsets.UTF_8);
    }
}
