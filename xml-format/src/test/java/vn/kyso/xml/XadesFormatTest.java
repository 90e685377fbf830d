package vn.kyso.xml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import vn.kyso.Signer;
import vn.kyso.testkit.TestPki;
import vn.kyso.testkit.TestPkiExtension;

@ExtendWith(TestPkiExtension.class)
class XadesFormatTest {
    @TempDir
    Path dir;

    @Test
    void sellerSignatureVerifiesInSantuarioAndXmlsec1(TestPki pki) throws Exception {
        try (Signer seller = TestXml.signer(pki.invoiceSeller(), dir)) {
            byte[] signed = TestXml.sign(TestXml.invoice(2), seller, TestXml.options(XmlOptions.Profile.INVOICE_SELLER));
            System.out.println(new String(signed, StandardCharsets.UTF_8));
            String id = TestXml.signatureIds(signed).get(0);
            assertTrue(TestXml.santuario(signed, id, pki.invoiceSeller().certificate(), "DLHDon", "Object"));
            TestXml.Xmlsec x = TestXml.xmlsec1(signed, id, pki.roots(), List.of(pki.vnptCa().certificate()), dir,
                    "Id", "DLHDon");
            assertTrue(x.ok(), x.output());
        }
    }
}
