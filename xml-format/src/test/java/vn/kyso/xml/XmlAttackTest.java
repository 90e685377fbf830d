package vn.kyso.xml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.w3c.dom.Attr;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;
import vn.kyso.Document;
import vn.kyso.DocumentMalformedException;
import vn.kyso.Indication;
import vn.kyso.KysoException;
import vn.kyso.SignatureReport;
import vn.kyso.SubIndication;
import vn.kyso.ValidationPolicy;
import vn.kyso.testkit.TestPki;

/**
 * Hostile input: entity tricks, oversize and over-deep documents, and properties over mutations of
 * a signed invoice — a changed signed value is always a hash failure, a whitespace-only change is
 * always named as reformatting, and nothing but a report or a KysoException ever comes out.
 */
class XmlAttackTest {
    private static TestPki pki;
    private static String signed;
    private static ValidationPolicy policy;

    @BeforeContainer
    static void signOnce() throws Exception {
        pki = TestPki.start();
        signed = TestXml.seller(pki.invoiceSeller(), TestXml.Seller.common());
        policy = XmlVerifierTest.offline(pki);
    }

    @AfterContainer
    static void stop() {
        pki.close();
    }

    private static SignatureReport verify(String xml) throws Exception {
        return XmlVerifier.verify(Document.of(TestXml.utf8(xml), "hd.xml"), policy).signatures().get(0);
    }

    @Example
    void theUntouchedInvoicePasses() throws Exception {
        assertEquals(Indication.TOTAL_PASSED, verify(signed).indication());
    }

    @Example
    void externalEntitiesAndDtdsAreRefusedWithoutReadingOrFetchingAnything() {
        pki.services().resetCounters();
        String crl = pki.services().crlUri(pki.vnptCa()).toString();
        List<String> hostile = List.of(
                "<?xml version=\"1.0\"?><!DOCTYPE a [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><a>&x;</a>",
                "<?xml version=\"1.0\"?><!DOCTYPE a SYSTEM \"" + crl + "\"><a/>",
                "<?xml version=\"1.0\"?><!DOCTYPE a [<!ENTITY % p SYSTEM \"" + crl + "\"> %p;]><a/>",
                signed.replaceFirst("<HDon>", "<!DOCTYPE HDon [<!ENTITY t \"9000000\">]><HDon>"));
        for (String xml : hostile) {
            DocumentMalformedException e = assertThrows(DocumentMalformedException.class, () -> verify(xml));
            assertTrue(e.getMessage().contains("DTD"), e.getMessage());
        }
        assertEquals(0, pki.services().crlRequests());
    }

    @Example
    void billionLaughsIsRefusedBeforeAnyExpansion() {
        StringBuilder dtd = new StringBuilder("<!DOCTYPE lolz [<!ENTITY lol0 \"lol\">");
        for (int i = 1; i <= 10; i++) {
            dtd.append("<!ENTITY lol").append(i).append(" \"");
            dtd.append(("&lol" + (i - 1) + ";").repeat(10)).append("\">");
        }
        String xml = "<?xml version=\"1.0\"?>" + dtd + "]><lolz>&lol10;</lolz>";
        assertThrows(DocumentMalformedException.class, () -> verify(xml));
    }

    @Example
    void xincludeIsNotProcessed() throws Exception {
        String xml = "<a xmlns:xi=\"http://www.w3.org/2001/XInclude\"><xi:include href=\"file:///etc/hostname\" parse=\"text\"/></a>";
        org.w3c.dom.Document dom = XmlVerifier.parse(new ByteArrayInputStream(TestXml.utf8(xml)), "x.xml");
        assertEquals("include", ((Element) dom.getDocumentElement().getFirstChild()).getLocalName());
        assertEquals("", dom.getDocumentElement().getTextContent());
    }

    @Example
    void aDocumentNestedTooDeepIsRefused() {
        int depth = 20_000;
        String xml = "<a>".repeat(depth) + "</a>".repeat(depth);
        DocumentMalformedException e = assertThrows(DocumentMalformedException.class, () -> verify(xml));
        assertTrue(e.getMessage().contains(String.valueOf(XmlVerifier.MAX_DEPTH)), e.getMessage());
    }

    @Example
    void anOversizeFileIsRefusedBeforeItIsRead() throws Exception {
        Path big = Files.createTempFile("kyso-big", ".xml");
        try {
            try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
                f.setLength(XmlVerifier.MAX_BYTES + 1);
            }
            DocumentMalformedException e = assertThrows(DocumentMalformedException.class,
                    () -> XmlVerifier.verify(Document.of(big), policy));
            assertTrue(e.getMessage().contains("larger than"), e.getMessage());
        } finally {
            Files.delete(big);
        }
    }

    @Example
    void tooManySignaturesAreRefused() {
        String xml = "<a>" + "<Signature xmlns=\"http://www.w3.org/2000/09/xmldsig#\"/>".repeat(XmlVerifier.MAX_SIGNATURES + 1)
                + "</a>";
        assertThrows(DocumentMalformedException.class, () -> verify(xml));
    }

    @Example
    void hmacSignatureMethodsAreRefused() throws Exception {
        SignatureReport r = verify(signed.replace(TestXml.RSA_SHA256, "http://www.w3.org/2001/04/xmldsig-more#hmac-sha256"));
        assertTrue(r.has("UNSUPPORTED_SIGNATURE_METHOD"), r.findings().toString());
        assertEquals(Indication.TOTAL_FAILED, r.indication());
    }

    @Example
    void algorithmsForbiddenBySantuarioSecureValidationAreRefused() throws Exception {
        SignatureReport md5 = verify(signed.replaceFirst(TestXml.SHA256, "http://www.w3.org/2001/04/xmldsig-more#md5"));
        assertEquals(Indication.TOTAL_FAILED, md5.indication());
        assertTrue(md5.has("SIGNATURE_UNREADABLE"), md5.findings().toString());
        SignatureReport rsaMd5 = verify(signed.replace(TestXml.RSA_SHA256, "http://www.w3.org/2001/04/xmldsig-more#rsa-md5"));
        assertEquals(Indication.TOTAL_FAILED, rsaMd5.indication());
        assertEquals(SubIndication.FORMAT_FAILURE, rsaMd5.subIndication().orElseThrow());
    }

    // ---- properties ----

    /** The text nodes and attributes under DLHDon and the signed SigningTime Object, in document order. */
    private static List<Node> signedValues(org.w3c.dom.Document dom) {
        List<Node> out = new ArrayList<>();
        collect(TestXml.first(dom, "HDon/DLHDon"), out);
        collect((Element) dom.getElementsByTagNameNS(TestXml.DSIG, "Object").item(0), out);
        return out;
    }

    private static void collect(Element e, List<Node> out) {
        NamedNodeMap attributes = e.getAttributes();
        for (int i = 0; i < attributes.getLength(); i++) {
            Attr a = (Attr) attributes.item(i);
            if (!"http://www.w3.org/2000/xmlns/".equals(a.getNamespaceURI())) {
                out.add(a);
            }
        }
        for (Node c = e.getFirstChild(); c != null; c = c.getNextSibling()) {
            if (c.getNodeType() == Node.TEXT_NODE && !c.getNodeValue().isBlank()) {
                out.add(c);
            } else if (c instanceof Element ce) {
                collect(ce, out);
            }
        }
    }

    @Provide
    Arbitrary<String> values() {
        return Arbitraries.strings().withChars("aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạ0123456789 .,-&<>\"'")
                .ofMinLength(1).ofMaxLength(24);
    }

    @Property(tries = 120)
    void anyChangeToASignedTextOrAttributeValueIsDetected(@ForAll @IntRange(min = 0, max = 10_000) int pick,
            @ForAll("values") String value) throws Exception {
        org.w3c.dom.Document dom = TestXml.parse(signed);
        List<Node> values = signedValues(dom);
        Node target = values.get(pick % values.size());
        net.jqwik.api.Assume.that(!target.getNodeValue().equals(value));
        boolean idChanged = target instanceof Attr a && a.getName().equals("Id");
        target.setNodeValue(value);
        SignatureReport r = verify(TestXml.serialize(dom));
        assertNotEquals(Indication.TOTAL_PASSED, r.indication(), target + " -> " + value);
        assertEquals(idChanged ? SubIndication.SIGNED_DATA_NOT_FOUND : SubIndication.HASH_FAILURE,
                r.subIndication().orElseThrow(), target + " -> " + value + ": " + r.findings());
    }

    /** Where to put whitespace: which element under DLHDon (by document order) and before which child. */
    record Insertion(int element, int position, String whitespace) {
    }

    @Provide
    Arbitrary<List<Insertion>> insertions() {
        Arbitrary<String> ws = Arbitraries.strings().withChars(" \t\n\r").ofMinLength(1).ofMaxLength(8);
        return Combinators.combine(Arbitraries.integers().between(0, 10_000), Arbitraries.integers().between(0, 10_000), ws)
                .as(Insertion::new).list().ofMinSize(1).ofMaxSize(6);
    }

    @Property(tries = 60)
    void anyWhitespaceOnlyChangeInsideTheSignedElementIsReportedAsReformatting(
            @ForAll("insertions") List<Insertion> insertions) throws Exception {
        org.w3c.dom.Document dom = TestXml.parse(signed);
        List<Element> elements = new ArrayList<>();
        Element dlhdon = TestXml.first(dom, "HDon/DLHDon");
        elements.add(dlhdon);
        var all = dlhdon.getElementsByTagName("*");
        for (int i = 0; i < all.getLength(); i++) {
            elements.add((Element) all.item(i));
        }
        for (Insertion in : insertions) {
            Element e = elements.get(in.element() % elements.size());
            int children = e.getChildNodes().getLength();
            Node before = e.getChildNodes().item(in.position() % (children + 1));
            e.insertBefore(dom.createTextNode(in.whitespace()), before);
        }
        SignatureReport r = verify(TestXml.serialize(dom));
        assertEquals(Indication.TOTAL_FAILED, r.indication());
        assertTrue(r.has("REFORMATTED_AFTER_SIGNING"), insertions + ": " + r.findings());
    }

    /** One mutation of the file's bytes. */
    record Mutation(int kind, int position, int length, byte value) {
    }

    @Provide
    Arbitrary<List<Mutation>> mutations() {
        Arbitrary<Byte> bytes = Arbitraries.of((byte) '<', (byte) '>', (byte) '&', (byte) '"', (byte) '/', (byte) '=',
                (byte) ' ', (byte) 'x', (byte) '#', (byte) 0, (byte) 0xC3, (byte) 0xFF, (byte) ':');
        return Combinators.combine(Arbitraries.integers().between(0, 4), Arbitraries.integers().between(0, 1 << 20),
                Arbitraries.integers().between(1, 64), bytes).as(Mutation::new).list().ofMinSize(1).ofMaxSize(4);
    }

    private static byte[] mutate(byte[] in, List<Mutation> mutations) {
        byte[] b = in;
        for (Mutation m : mutations) {
            if (b.length == 0) {
                break;
            }
            int p = m.position() % b.length;
            int n = Math.min(m.length(), b.length - p);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            switch (m.kind()) {
                case 0 -> {
                    b = b.clone();
                    b[p] = (byte) (b[p] ^ m.value() ^ 0x20);
                    continue;
                }
                case 1 -> {
                    out.write(b, 0, p);
                    out.write(b, p + n, b.length - p - n);
                }
                case 2 -> {
                    out.write(b, 0, p);
                    for (int i = 0; i < n; i++) {
                        out.write(m.value());
                    }
                    out.write(b, p, b.length - p);
                }
                case 3 -> {
                    out.write(b, 0, p + n);
                    out.write(b, p, b.length - p);
                }
                default -> out.write(b, 0, p);
            }
            b = out.toByteArray();
        }
        return b;
    }

    @Property(tries = 200)
    void mutatedFilesGiveAReportOrAKysoExceptionAndNothingElse(@ForAll("mutations") @Size(min = 1, max = 4)
            List<Mutation> mutations) throws Exception {
        reportOrKysoException(mutate(TestXml.utf8(signed), mutations));
    }

    private static void reportOrKysoException(byte[] bytes) throws Exception {
        try {
            var report = XmlVerifier.verify(Document.of(bytes, "mutated.xml"), policy);
            assertTrue(report.signatures().size() >= 1);
        } catch (KysoException expected) {
            assertTrue(expected.getMessage().startsWith("[xades]"), expected.getMessage());
        }
    }

    /** One structural change inside the ds:Signature: which element (by document order) and what to do to it. */
    record Edit(int element, int kind, int choice) {
    }

    private static final List<String> ALGORITHMS = List.of("", "urn:x", TestXml.SHA1, TestXml.RSA_SHA1,
            TestXml.C14N_COMMENTS, "http://www.w3.org/2001/10/xml-exc-c14n#", "http://www.w3.org/2000/09/xmldsig#enveloped-signature",
            "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256", "http://www.w3.org/2007/05/xmldsig-more#sha256-rsa-MGF1",
            "http://www.w3.org/2000/09/xmldsig#dsa-sha1", "http://www.w3.org/2001/04/xmldsig-more#rsa-md5");

    @Provide
    Arbitrary<List<Edit>> edits() {
        return Combinators.combine(Arbitraries.integers().between(0, 10_000), Arbitraries.integers().between(0, 5),
                Arbitraries.integers().between(0, 10_000)).as(Edit::new).list().ofMinSize(1).ofMaxSize(3);
    }

    @Property(tries = 200)
    void structurallyBrokenSignaturesGiveAReportOrAKysoExceptionAndNothingElse(@ForAll("edits") List<Edit> edits)
            throws Exception {
        org.w3c.dom.Document dom = TestXml.parse(signed);
        Element signature = (Element) dom.getElementsByTagNameNS(TestXml.DSIG, "Signature").item(0);
        for (Edit edit : edits) {
            List<Element> inside = new ArrayList<>();
            var all = signature.getElementsByTagName("*");
            for (int i = 0; i < all.getLength(); i++) {
                inside.add((Element) all.item(i));
            }
            if (inside.isEmpty()) {
                break;
            }
            Element e = inside.get(edit.element() % inside.size());
            switch (edit.kind()) {
                case 0 -> e.getParentNode().removeChild(e);
                case 1 -> e.getParentNode().insertBefore(e.cloneNode(true), e.getNextSibling());
                case 2 -> e.setAttribute("Algorithm", ALGORITHMS.get(edit.choice() % ALGORITHMS.size()));
                case 3 -> e.setTextContent(edit.choice() % 2 == 0 ? "" : "AAAA" + edit.choice());
                case 4 -> e.setAttribute("URI", List.of("", "#", "#_593651", "#Obj-seller", "#seller", "#x(")
                        .get(edit.choice() % 6));
                default -> signature.appendChild(e.cloneNode(true));
            }
        }
        byte[] bytes = TestXml.utf8(TestXml.serialize(dom));
        reportOrKysoException(bytes);
    }
}
