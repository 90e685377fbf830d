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
 *     if (s.report().indication() == Indication.TOTAL_PASSED) {
 *         Element invoice = s.element("DLHDon").orElseThrow();   // the signed one, as verified
 *     }
 * }
 * }</pre>
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
     * One signature: its report and the elements its references covered, in reference order
     * (the document element for a whole-document reference), so {@code elements().get(i)} is
     * what {@code report().covers().get(i)} names.
     *
     * @param elements empty unless every digest and the signature value verified
     */
    public record Signed(SignatureReport report, List<Element> elements) {
        public Signed {
            Objects.requireNonNull(report, "report must not be null");
            elements = List.copyOf(elements);
        }

        /** The first covered element with this local name (namespace ignored), e.g. {@code "DLHDon"}. */
        public Optional<Element> element(String localName) {
            Objects.requireNonNull(localName, "localName must not be null");
            return elements.stream().filter(e -> localName.equals(e.getLocalName())).findFirst();
        }
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
     * @return never null, one {@link Signed} per ds:Signature in document order
     * @throws DocumentMalformedException when the file is not well-formed XML, carries a DTD,
     *     is too large or deep, or has no signature
     * @throws IOException when a file-backed document cannot be read
     */
    public static VerifiedXml verify(Document document, ValidationPolicy policy) throws KysoException, IOException {
        XmlVerifier.Verified verified = XmlVerifier.verifyAll(document, policy);
        List<Signed> signed = new ArrayList<>();
        for (XmlVerifierSignature.Result r : verified.results()) {
            signed.add(new Signed(r.report(), r.covered()));
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
