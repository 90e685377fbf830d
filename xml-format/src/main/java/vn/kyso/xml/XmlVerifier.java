package vn.kyso.xml;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.apache.xml.security.signature.XMLSignature;
import org.apache.xml.security.utils.Constants;
import org.w3c.dom.Attr;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;
import vn.kyso.Document;
import vn.kyso.DocumentMalformedException;
import vn.kyso.Finding;
import vn.kyso.Indication;
import vn.kyso.KysoException;
import vn.kyso.SignatureReport;
import vn.kyso.SubIndication;
import vn.kyso.ValidationPolicy;
import vn.kyso.VerificationReport;

/**
 * Verifies every ds:Signature of an XML document on its own: secure parsing (no DTD, no entities),
 * Santuario secure validation, safe Id registration (only referenced values, duplicates refused as
 * signature wrapping), reference placement, weak-algorithm flags and the seller tax-code check.
 */
final class XmlVerifier {
    private static final String SOURCE = "xades";

    static {
        org.apache.xml.security.Init.init();
    }

    private XmlVerifier() {
    }

    static VerificationReport verify(Document document, ValidationPolicy policy) throws KysoException, IOException {
        org.w3c.dom.Document dom = parse(document.readAllBytes(), document.name());
        NodeList found = dom.getElementsByTagNameNS(Constants.SignatureSpecNS, "Signature");
        List<Element> signatures = new ArrayList<>();
        for (int i = 0; i < found.getLength(); i++) {
            signatures.add((Element) found.item(i));
        }
        if (signatures.isEmpty()) {
            throw new DocumentMalformedException(SOURCE, document.name()
                    + " has no XML signature (ds:Signature); sign it first or check the file");
        }
        List<SignatureReport> reports = new ArrayList<>();
        int n = 0;
        for (Element signature : signatures) {
            n++;
            reports.add(XmlVerifierSignature.check(dom, signature, n, policy));
        }
        return new VerificationReport(SOURCE, document.name(), reports);
    }

    /** Parses with DTDs and external entities refused; errors become DocumentMalformedException. */
    static org.w3c.dom.Document parse(byte[] bytes, String name) throws DocumentMalformedException {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            DocumentBuilder b = f.newDocumentBuilder();
            b.setErrorHandler(null);
            return b.parse(new ByteArrayInputStream(bytes));
        } catch (SAXException e) {
            throw new DocumentMalformedException(SOURCE, name + " is not well-formed XML or carries a DTD"
                    + " (refused for safety): " + e.getMessage() + "; send the original signed file", e);
        } catch (ParserConfigurationException | IOException e) {
            throw new DocumentMalformedException(SOURCE, "cannot read " + name + ": " + e.getMessage(), e);
        }
    }

    static Finding wrapping(String id, String why) {
        return Finding.error("SIGNATURE_WRAPPING",
                "Nghi tấn công bọc chữ ký: phần tử được ký '" + id + "' " + why,
                "Suspected signature wrapping: signed element '" + id + "' " + why);
    }

    static boolean isDsig(Element e, String local) {
        return Constants.SignatureSpecNS.equals(e.getNamespaceURI()) && local.equals(e.getLocalName());
    }

    static Attr idAttribute(Element e) {
        Attr a = e.getAttributeNodeNS(null, "Id");
        if (a == null) {
            a = e.getAttributeNodeNS(null, "id");
        }
        if (a == null) {
            a = e.getAttributeNodeNS(null, "ID");
        }
        return a;
    }
}
