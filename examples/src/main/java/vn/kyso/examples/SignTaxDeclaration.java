package vn.kyso.examples;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import vn.kyso.Document;
import vn.kyso.Kyso;
import vn.kyso.KysoException;
import vn.kyso.SignOptions;
import vn.kyso.Signer;
import vn.kyso.VerificationReport;
import vn.kyso.ValidationPolicy;
import vn.kyso.xml.XmlOptions;

/**
 * An accounting application signs the VAT declaration exported by HTKK before sending it to
 * eTax, and checks an e-invoice it received: the profile names the shape the tax authority
 * expects (signature in {@code CKyDTu}, lowercase {@code id}, C14N with comments), nothing else
 * needs configuring.
 */
public final class SignTaxDeclaration {
    private SignTaxDeclaration() {
    }

    /** Signs the declaration {@code xml} into {@code signedXml}; the output appears whole or not at all. */
    public static void sign(Kyso kyso, Signer signer, Path xml, Path signedXml) throws KysoException, IOException {
        SignOptions options = SignOptions.builder()
                .formatOptions(XmlOptions.of(XmlOptions.Profile.TAX_DECLARATION))
                .documentType("Tờ khai thuế")
                .displayText("Ký tờ khai thuế " + xml.getFileName())
                .build();
        kyso.format("xades").sign(Document.of(xml), signer, options, signedXml);
    }

    /**
     * Verifies every signature of a received e-invoice (seller, buyer, tax authority) against
     * the Vietnamese roots the application trusts; the report also says whether the seller's tax
     * code in the certificate matches the invoice's {@code NBan/MST}.
     */
    public static VerificationReport verifyInvoice(Kyso kyso, Path invoice, List<java.security.cert.X509Certificate> roots)
            throws KysoException, IOException {
        return kyso.format("xades").verify(Document.of(invoice),
                ValidationPolicy.builder().trustAnchors(roots).build());
    }
}
