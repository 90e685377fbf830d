package vn.kyso.xml;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.w3c.dom.Element;
import vn.kyso.Document;
import vn.kyso.DocumentMalformedException;
import vn.kyso.KysoException;
import vn.kyso.SignatureReport;
import vn.kyso.ValidationPolicy;
import vn.kyso.VerificationReport;

/**
 * Verifies every XML signature of a document and hands back, with each signature's report, the
 * elements its references covered, taken from the very DOM that was verified. An application
 * reads the signed invoice data ({@code DLHDon}), the tax-authority code ({@code MCCQT}) or the
 * declaration ({@code HSoKhaiThue}) from these elements instead of looking them up again by name
 * or Id in the file, which is what signature wrapping attacks exploit.
 *
 * <pre>{@code
 * VerifiedXml verified = VerifiedXml.verify(Document.of(path), policy);
 * for (VerifiedXml.Signed s : verified.signatures()) {
 *     if (s.report().indication() == Indication.TOTAL_PASSED && s.slot().equals("NBan")) {
 *         Element invoice = s.element("DLHDon").orElseThrow();   // the seller's, as verified
 *         String total = VerifiedXml.text((Element) invoice.getElementsByTagName("TgTTTBSo").item(0));
 *     }
 * }
 * }</pre>
 *
 * <p>Who signed is told by where the signature sits ({@link Signed#slot()}, {@link Signed#path()}),
 * not by its Id, which the signer or an attacker chooses: only a signature in {@code NBan} is the
 * seller's. Read values with {@link #text(Element)}: a comment or a CDATA section can split an
 * element's text into several nodes.
 *
 * <p>The elements belong to a DOM parsed for this call alone: the input is never modified, and
 * changing the elements changes nothing else. Only the elements themselves are signed — not their
 * ancestors or siblings, and for a whole-document reference ({@code URI=""}) not the signature
 * itself. A DOM is not thread-safe: read it from one thread at a time. The report says whether
 * the signature is trusted; the elements only say what it covers.
 */
public final class VerifiedXml {
    private final VerificationReport report;
    private final List<Signed> signatures;

    /**
     * One signature: its report, the elements its references covered, in reference order (the
     * document element for a whole-document reference), so {@code elements().get(i)} is what
     * {@code report().covers().get(i)} names, and where the signature sits.
     *
     * @param elements empty unless every digest and the signature value verified and no wrapping was found
     * @param path the path of the signature's parent from the root, e.g. {@code HDon/DSCKS/NBan}
     * @param slot the profile slot the signature sits in ({@code NBan}, {@code NMua}, {@code CQT},
     *     {@code NNT}, {@code CKSNNT}, {@code CKyDTu}), {@code CCKSKhac} for the other-signatures
     *     slot, or empty when it is in none of them; only a signature in {@code NBan} is the seller's
     */
    public record Signed(SignatureReport report, List<Element> elements, String path, String slot) {
        public Signed {
            Objects.requireNonNull(report, "report must not be null");
            Objects.requireNonNull(path, "path must not be null");
            Objects.requireNonNull(slot, "slot must not be null");
            elements = List.copyOf(elements);
        }

        /** The first covered element with this local name (namespace ignored), e.g. {@code "DLHDon"}. */
        public Optional<Element> element(String localName) {
            Objects.requireNonNull(localName, "localName must not be null");
            return elements.stream().filter(e -> localName.equals(e.getLocalName())).findFirst();
        }

        /** The path from the root of each covered element, e.g. {@code HDon/DLHDon}, parallel to {@link #elements()}. */
        public List<String> paths() {
            return elements.stream().map(SignaturePlace::path).toList();
        }
    }

    /**
     * The text of {@code element} as its signature covers it: every text and CDATA node below it
     * concatenated in document order, comments and processing instructions left out, and nothing
     * from a ds:Signature nested inside (an enveloped signature is not part of what it signs).
     * Read values this way rather than from the first text child, which a comment or a CDATA
     * section can cut short ({@code <MST>0312<!---->345678</MST>} is {@code 0312345678}).
     *
     * @param element never null
     * @return never null
     */
    public static String text(Element element) {
        Objects.requireNonNull(element, "element must not be null");
        StringBuilder out = new StringBuilder();
        java.util.Deque<org.w3c.dom.Node> todo = new java.util.ArrayDeque<>();
        todo.push(element);
        while (!todo.isEmpty()) {
            org.w3c.dom.Node n = todo.pop();
            short type = n.getNodeType();
            if (type == org.w3c.dom.Node.TEXT_NODE || type == org.w3c.dom.Node.CDATA_SECTION_NODE) {
                out.append(n.getNodeValue());
            } else if (type == org.w3c.dom.Node.ELEMENT_NODE
                    && (n == element || !XmlVerifier.isDsig((Element) n, "Signature"))) {
                for (org.w3c.dom.Node c = n.getLastChild(); c != null; c = c.getPreviousSibling()) {
                    todo.push(c);
                }
            }
        }
        return out.toString();
    }

    private VerifiedXml(VerificationReport report, List<Signed> signatures) {
        this.report = report;
        this.signatures = signatures;
    }

    /**
     * Verifies {@code document} as the "xades" format does and keeps what each signature covered.
     *
     * @param document never null; not modified
     * @param policy trust anchors, revocation and algorithm strictness; never null
     * @return never null, one {@link Signed} per ds:Signature in document order (none for a
     *     document that carries no signature)
     * @throws DocumentMalformedException when the file is not well-formed XML, carries a DTD,
     *     or is too large or deep
     * @throws IOException when a file-backed document cannot be read
     */
    public static VerifiedXml verify(Document document, ValidationPolicy policy) throws KysoException, IOException {
        XmlVerifier.Verified verified = XmlVerifier.verifyAll(document, policy);
        List<Signed> signed = new ArrayList<>();
        for (XmlVerifierSignature.Result r : verified.results()) {
            signed.add(new Signed(r.report(), r.covered(), r.place().path(),
                    r.place().slot() == null ? "" : r.place().slot()));
        }
        return new VerifiedXml(verified.report(), List.copyOf(signed));
    }

    /** The whole report, as {@code kyso.format("xades").verify(...)} returns it; never null. */
    public VerificationReport report() {
        return report;
    }

    /** One entry per signature, in document order; never null, immutable. */
    public List<Signed> signatures() {
        return signatures;
    }
}
