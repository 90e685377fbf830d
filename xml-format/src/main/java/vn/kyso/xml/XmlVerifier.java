package vn.kyso.xml;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.apache.xml.security.utils.Constants;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;
import vn.kyso.Document;
import vn.kyso.DocumentMalformedException;
import vn.kyso.Finding;
import vn.kyso.KysoException;
import vn.kyso.SignatureReport;
import vn.kyso.ValidationPolicy;
import vn.kyso.VerificationReport;
import vn.kyso.internal.validation.NetworkBudget;

/**
 * Verifies every ds:Signature of an XML document on its own: secure parsing (no DTD, no entities,
 * bounded size and depth, the content of signature value elements capped by {@link ValueCaps}), Santuario secure validation, references resolved and Id attributes
 * registered only after the wrapping checks of {@link SignedTargets}, the producer quirk, the
 * whitespace diagnosis, weak-algorithm flags, XAdES properties and timestamps, the seller
 * tax-code check, then chain, revocation and verdict through the shared validation module; last,
 * the document-wide check of {@link DocumentData} that every element a reader takes for the
 * document's data is the one its owner's signature covers.
 */
final class XmlVerifier {
    static final String SOURCE = "xades";
    static final long MAX_BYTES = 64L << 20;
    static final int MAX_SIGNATURES = 100;
    /** The deepest element nesting verified (root = 1); signing refuses deeper documents through the same bound. */
    static final int MAX_DEPTH = XmlLimits.MAX_DEPTH;

    static {
        org.apache.xml.security.Init.init();
    }

    /** The report and, per signature, what it covered, in the DOM parsed for this verification. */
    record Verified(VerificationReport report, List<XmlVerifierSignature.Result> results) {
    }

    /**
     * What every signature of one document is checked against, and the network time all of them
     * share (so a document of many signatures naming dead URLs waits once, not once per signature).
     */
    record Scope(IdIndex ids, ValidationPolicy policy, NetworkBudget network) {
    }

    private XmlVerifier() {
    }

    static VerificationReport verify(Document document, ValidationPolicy policy) throws KysoException, IOException {
        return verifyAll(document, policy).report();
    }

    static Verified verifyAll(Document document, ValidationPolicy policy) throws KysoException, IOException {
        Objects.requireNonNull(document, "document must not be null");
        Objects.requireNonNull(policy, "policy must not be null");
        if (document.size() > MAX_BYTES) {
            throw new DocumentMalformedException(SOURCE, document.name() + " is larger than " + (MAX_BYTES >> 20)
                    + " MB; XML signatures this large are not verified in memory");
        }
        org.w3c.dom.Document dom;
        try (InputStream in = document.open()) {
            // no element of an in-memory document smaller than the smallest cap can exceed its cap
            boolean small = document.file().isEmpty() && document.size() <= ValueCaps.SMALL;
            dom = parse(small ? in : ValueCaps.guard(in, document::open), document.name());
        } catch (ValueCaps.Exceeded e) {
            throw tooLarge(document.name(), e);
        }
        IdIndex index = IdIndex.of(dom);
        List<Element> signatures = index.signatures();
        if (signatures.isEmpty()) {
            // a readable document that nobody signed: reported as such (outcome UNSIGNED), not as unreadable
            return new Verified(new VerificationReport(SOURCE, document.name(), List.of()), List.of());
        }
        if (signatures.size() > MAX_SIGNATURES) {
            throw new DocumentMalformedException(SOURCE, document.name() + " has " + signatures.size()
                    + " signatures, more than the " + MAX_SIGNATURES + " verified in one document; split it");
        }
        Scope scope = new Scope(index, policy, NetworkBudget.of(policy.networkTimeout()));
        Map<String, Integer> idCounts = new HashMap<>();
        for (Element s : signatures) {
            idCounts.merge(s.getAttribute("Id"), 1, Integer::sum);
        }
        List<XmlVerifierSignature.Result> results = new ArrayList<>();
        int n = 0;
        for (Element signature : signatures) {
            n++;
            String id = signature.getAttribute("Id");
            if (id.isEmpty()) {
                id = "signature-" + n + " (" + path(signature) + ")";
            } else if (idCounts.get(id) > 1) {
                id = id + " (" + path(signature) + ")";
            }
            results.add(XmlVerifierSignature.check(signature, id, scope));
        }
        DocumentData.judge(index, results);
        List<SignatureReport> reports = results.stream().map(XmlVerifierSignature.Result::report).toList();
        return new Verified(new VerificationReport(SOURCE, document.name(), reports), List.copyOf(results));
    }

    /**
     * The parser settings, fixed once: namespace-aware with DTDs, external entities and XInclude
     * refused and the element depth bounded. Configuring a factory is costly (the JDK builds a
     * whole parser to validate each setFeature call, and newInstance looks the implementation up):
     * done per document it was a quarter of verifying a small invoice. Never changed after this
     * initializer; builders are taken from it under its lock, as JAXP factories are not
     * guaranteed thread-safe.
     */
    private static final DocumentBuilderFactory PARSERS = parsers();

    private static DocumentBuilderFactory parsers() {
        try {
            // the JDK's own parser, whatever JAXP implementation the class path brings (Tika and POI bring
            // Xerces, which rejects the JDK-only depth limit below): the limits are the JDK's to enforce
            DocumentBuilderFactory f = DocumentBuilderFactory.newDefaultInstance();
            f.setNamespaceAware(true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            f.setAttribute("jdk.xml.maxElementDepth", String.valueOf(MAX_DEPTH));
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            // every node is visited (the ID walk, canonicalization): building them lazily only adds work
            f.setFeature("http://apache.org/xml/features/dom/defer-node-expansion", false);
            return f;
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK's XML parser lacks a required safety feature", e);
        }
    }

    /** Parses with {@link #PARSERS}' settings; errors become DocumentMalformedException. */
    static org.w3c.dom.Document parse(InputStream in, String name) throws DocumentMalformedException {
        try {
            DocumentBuilder b;
            synchronized (PARSERS) {
                b = PARSERS.newDocumentBuilder();
            }
            b.setErrorHandler(null);
            return b.parse(in);
        } catch (SAXException e) {
            ValueCaps.Exceeded exceeded = exceeded(e);
            if (exceeded != null) {
                throw tooLarge(name, exceeded);
            }
            throw new DocumentMalformedException(SOURCE, name + " is not well-formed XML, carries a DTD or nests deeper"
                    + " than " + MAX_DEPTH + " elements (refused for safety): " + e.getMessage()
                    + "; send the original signed file", e);
        } catch (ParserConfigurationException | IOException | IllegalArgumentException e) {
            ValueCaps.Exceeded exceeded = exceeded(e);
            if (exceeded != null) {
                throw tooLarge(name, exceeded);
            }
            throw new DocumentMalformedException(SOURCE, "cannot read " + name + ": " + e.getMessage(), e);
        }
    }

    private static ValueCaps.Exceeded exceeded(Throwable e) {
        Throwable t = e;
        for (int i = 0; t != null && i < 8; i++) {
            if (t instanceof ValueCaps.Exceeded x) {
                return x;
            }
            t = t instanceof SAXException s && s.getException() != null ? s.getException() : t.getCause();
        }
        return null;
    }

    private static DocumentMalformedException tooLarge(String name, ValueCaps.Exceeded e) {
        return new DocumentMalformedException(SOURCE, name + " has a " + e.element + " element holding more than "
                + (e.cap >> 10) + " KB, far beyond any real signature; refused before reading it into memory", e);
    }

    /** The ds:Reference children of the signature's ds:SignedInfo, in order. */
    static List<Element> references(Element signature) {
        List<Element> out = new ArrayList<>();
        Element signedInfo = dsigChild(signature, "SignedInfo");
        if (signedInfo != null) {
            for (Node r = signedInfo.getFirstChild(); r != null; r = r.getNextSibling()) {
                if (r instanceof Element re && isDsig(re, "Reference")) {
                    out.add(re);
                }
            }
        }
        return out;
    }

    private static String path(Element e) {
        StringBuilder sb = new StringBuilder();
        for (Node p = e.getParentNode(); p instanceof Element pe; p = p.getParentNode()) {
            sb.insert(0, sb.length() == 0 ? pe.getLocalName() : pe.getLocalName() + "/");
        }
        return sb.toString();
    }

    static Finding wrapping(String id, String vi, String en) {
        return Finding.error("SIGNATURE_WRAPPING",
                "Nghi tấn công bọc chữ ký: phần tử được ký '" + id + "' " + vi,
                "Suspected signature wrapping: signed element '" + id + "' " + en);
    }

    static boolean isDsig(Element e, String local) {
        return Constants.SignatureSpecNS.equals(e.getNamespaceURI()) && local.equals(e.getLocalName());
    }

    /** The first child of {@code parent} that is the dsig element {@code local}, or null. */
    static Element dsigChild(Element parent, String local) {
        if (parent == null) {
            return null;
        }
        for (Node c = parent.getFirstChild(); c != null; c = c.getNextSibling()) {
            if (c instanceof Element e && isDsig(e, local)) {
                return e;
            }
        }
        return null;
    }
}
