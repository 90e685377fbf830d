package vn.kyso.xml;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.apache.xml.security.c14n.Canonicalizer;
import org.apache.xml.security.keys.content.X509Data;
import org.apache.xml.security.signature.ObjectContainer;
import org.apache.xml.security.signature.XMLSignature;
import org.apache.xml.security.transforms.Transforms;
import org.apache.xml.security.utils.Constants;
import org.apache.xml.security.utils.ElementProxy;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.IssuerSerial;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import vn.kyso.DigestAlgorithm;
import vn.kyso.internal.validation.Net;
import vn.kyso.testkit.TestIdentity;

/**
 * Signed XML in the shapes Vietnamese systems produce (../shared/domain/xml-in-the-wild.md),
 * built with Santuario DOM and the test PKI, so the verifier is tested on what is in
 * circulation and not only on what kyso writes.
 */
final class TestXml {
    static final String DSIG = Constants.SignatureSpecNS;
    static final String XADES = "http://uri.etsi.org/01903/v1.3.2#";
    static final String C14N = Canonicalizer.ALGO_ID_C14N_OMIT_COMMENTS;
    static final String C14N_COMMENTS = Canonicalizer.ALGO_ID_C14N_WITH_COMMENTS;
    static final String SHA256 = "http://www.w3.org/2001/04/xmlenc#sha256";
    static final String SHA1 = "http://www.w3.org/2000/09/xmldsig#sha1";
    static final String RSA_SHA256 = XMLSignature.ALGO_ID_SIGNATURE_RSA_SHA256;
    static final String RSA_SHA1 = XMLSignature.ALGO_ID_SIGNATURE_RSA_SHA1;
    static final String SIGNING_TIME = "2025-07-10T17:54:31";
    static final String DLHDON_ID = "_593651";

    static {
        org.apache.xml.security.Init.init();
    }

    private TestXml() {
    }

    /** An e-invoice (Circular 78/2021 shape) whose seller has tax code {@code mst}, with empty signature slots. */
    static String invoice(String mst) {
        return "<HDon><DLHDon Id=\"" + DLHDON_ID + "\"><TTChung><PBan>2.0.1</PBan>"
                + "<THDon>HÓA ĐƠN GIÁ TRỊ GIA TĂNG</THDon><KHMSHDon>1</KHMSHDon><KHHDon>C25TAA</KHHDon>"
                + "<SHDon>123</SHDon><NLap>2025-07-10</NLap><DVTTe>VND</DVTTe></TTChung>"
                + "<NDHDon><NBan><Ten>Công ty Cổ phần Giải pháp Kỳ Số</Ten><MST>" + mst + "</MST>"
                + "<DChi>Thành phố Hồ Chí Minh</DChi></NBan><NMua><Ten>Sở Công Thương tỉnh Đồng Nai</Ten>"
                + "<MST>3600123456</MST></NMua><DSHHDVu><HHDVu><STT>1</STT><THHDVu>Dịch vụ ký số</THHDVu>"
                + "<DVTinh>gói</DVTinh><SLuong>1</SLuong><DGia>1000000</DGia><ThTien>1000000</ThTien></HHDVu></DSHHDVu>"
                + "<TToan><TgTCThue>1000000</TgTCThue><TgTThue>100000</TgTThue><TgTTTBSo>1100000</TgTTTBSo></TToan>"
                + "</NDHDon></DLHDon><DSCKS><NBan></NBan><NMua></NMua><CCKSKhac></CCKSKhac><CQT></CQT></DSCKS></HDon>";
    }

    /** {@link #invoice(String)} with {@code rows} goods lines, for measuring larger files. */
    static String invoice(String mst, int rows) {
        StringBuilder lines = new StringBuilder();
        for (int i = 1; i <= rows; i++) {
            lines.append("<HHDVu><TChat>1</TChat><STT>").append(i).append("</STT><MHHDVu>KS-").append(i)
                    .append("</MHHDVu><THHDVu>Dịch vụ ký số gói ").append(i).append("</THHDVu><DVTinh>gói</DVTinh>")
                    .append("<SLuong>1</SLuong><DGia>1000000</DGia><TLCKhau>0</TLCKhau><STCKhau>0</STCKhau>")
                    .append("<ThTien>1000000</ThTien><TSuat>10%</TSuat></HHDVu>");
        }
        return invoice(mst).replace("<DSHHDVu>", "<DSHHDVu>" + lines);
    }

    /** A tax declaration as HTKK writes it: lowercase id, a comment, and the open/close CKyDTu pair. */
    static String taxDeclaration() {
        return "<HSoThueDTu xmlns=\"http://kekhaithue.gdt.gov.vn/TKhaiThue\">"
                + "<HSoKhaiThue id=\"_NODE_TO_SIGN\"><!-- HTKK 5.3.0 --><TTinChung><TTinDVu><maDVu>HTKK</maDVu>"
                + "<tenDVu>HỖ TRỢ KÊ KHAI THUẾ</tenDVu></TTinDVu><TTinTKhaiThue><TKhaiThue><maTKhai>842</maTKhai>"
                + "<tenTKhai>TỜ KHAI THUẾ GIÁ TRỊ GIA TĂNG (Mẫu số 01/GTGT)</tenTKhai><KyKKhaiThue><kieuKy>M</kieuKy>"
                + "<kyKKhai>06/2025</kyKKhai></KyKKhaiThue></TKhaiThue><NNT><mst>3600123456</mst>"
                + "<tenNNT>Sở Công Thương tỉnh Đồng Nai</tenNNT></NNT></TTinTKhaiThue></TTinChung>"
                + "<CTieuTKhaiChinh><ct22>0</ct22><ct23>15000000</ct23><ct24>1500000</ct24></CTieuTKhaiChinh>"
                + "</HSoKhaiThue><CKyDTu></CKyDTu></HSoThueDTu>";
    }

    /** A message envelope (type 200) around an invoice, with the taxpayer's slot CKSNNT. */
    static String envelope(String mst) {
        return "<TDiep><TTChung><PBan>2.0.1</PBan><MNGui>K" + mst + "</MNGui><MNNhan>TCT</MNNhan>"
                + "<MLTDiep>200</MLTDiep><MTDiep>K" + mst + "0A1B2C3D4E5F</MTDiep><MST>" + mst + "</MST>"
                + "<SLuong>1</SLuong></TTChung><DLieu>" + invoice(mst) + "</DLieu><CKSNNT></CKSNNT></TDiep>";
    }

    // ---- building blocks ----

    /** Builds the references, objects and KeyInfo of a signature being made. */
    interface Body {
        void build(XMLSignature sig, org.w3c.dom.Document dom) throws Exception;
    }

    static org.w3c.dom.Document parse(String xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        org.w3c.dom.Document dom = f.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        registerIds(dom.getDocumentElement());
        return dom;
    }

    /** Signing only: lets Santuario find every Id/id target of the document being signed. */
    static void registerIds(Element e) {
        NamedNodeMap attributes = e.getAttributes();
        for (int i = 0; i < attributes.getLength(); i++) {
            Node a = attributes.item(i);
            if (a.getNamespaceURI() == null && ("Id".equals(a.getLocalName()) || "id".equals(a.getLocalName()))) {
                e.setIdAttributeNode((org.w3c.dom.Attr) a, true);
            }
        }
        for (Node c = e.getFirstChild(); c != null; c = c.getNextSibling()) {
            if (c instanceof Element ce) {
                registerIds(ce);
            }
        }
    }

    static String serialize(org.w3c.dom.Document dom) throws Exception {
        return serialize(dom, false);
    }

    static String serialize(org.w3c.dom.Document dom, boolean indent) throws Exception {
        Transformer t = TransformerFactory.newInstance().newTransformer();
        t.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
        if (indent) {
            t.setOutputProperty(OutputKeys.INDENT, "yes");
            t.setOutputProperty("{http://xml.apache.org/xslt}indent-amount", "2");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        t.transform(new DOMSource(dom), new StreamResult(out));
        return out.toString(StandardCharsets.UTF_8);
    }

    static Element first(org.w3c.dom.Document dom, String path) {
        Element e = dom.getDocumentElement();
        String[] parts = path.split("/");
        if (!parts[0].equals(e.getLocalName())) {
            throw new IllegalArgumentException(path + " does not start at " + e.getLocalName());
        }
        for (int i = 1; i < parts.length; i++) {
            Element next = null;
            for (Node c = e.getFirstChild(); c != null && next == null; c = c.getNextSibling()) {
                if (c instanceof Element ce && parts[i].equals(ce.getLocalName())) {
                    next = ce;
                }
            }
            if (next == null) {
                throw new IllegalArgumentException("no " + parts[i] + " in " + path);
            }
            e = next;
        }
        return e;
    }

    /**
     * Signs into {@code slot} with Santuario: an unprefixed Signature with its own default
     * namespace declaration (as in circulation), or the {@code ds:} prefix of plain Santuario.
     */
    static XMLSignature sign(Element slot, PrivateKey key, String id, String method, String c14n, boolean prefixed,
            Body body) throws Exception {
        synchronized (TestXml.class) {
            String old = ElementProxy.getDefaultPrefix(DSIG);
            ElementProxy.setDefaultPrefix(DSIG, prefixed ? "ds" : "");
            try {
                org.w3c.dom.Document dom = slot.getOwnerDocument();
                XMLSignature sig = new XMLSignature(dom, "", method, c14n);
                if (id != null) {
                    sig.setId(id);
                }
                slot.appendChild(sig.getElement());
                body.build(sig, dom);
                sig.sign(key);
                return sig;
            } finally {
                ElementProxy.setDefaultPrefix(DSIG, old);
            }
        }
    }

    static Transforms enveloped(org.w3c.dom.Document dom) throws Exception {
        Transforms t = new Transforms(dom);
        t.addTransform(Transforms.TRANSFORM_ENVELOPED_SIGNATURE);
        return t;
    }

    /** KeyInfo/X509Data with X509SubjectName then X509Certificate, leaf first. */
    static void keyInfo(XMLSignature sig, org.w3c.dom.Document dom, List<X509Certificate> certs) throws Exception {
        X509Data data = new X509Data(dom);
        data.addSubjectName(certs.get(0).getSubjectX500Principal().getName());
        for (X509Certificate c : certs) {
            data.addCertificate(c);
        }
        sig.getKeyInfo().add(data);
    }

    /** Element in the signature's namespace, with the prefix the signature uses. */
    static Element dsig(org.w3c.dom.Document dom, XMLSignature sig, String local) {
        String prefix = sig.getElement().getPrefix();
        return dom.createElementNS(DSIG, prefix == null || prefix.isEmpty() ? local : prefix + ":" + local);
    }

    /**
     * Object[@Id]/SignatureProperties[@Id]/SignatureProperty[@Target]/SigningTime; with
     * {@code noNamespace} the properties carry {@code xmlns=""} as one producer writes them.
     */
    static Element signingTimeObject(XMLSignature sig, org.w3c.dom.Document dom, String objectId, String propertiesId,
            String target, String time, boolean noNamespace) throws Exception {
        ObjectContainer object = new ObjectContainer(dom);
        if (objectId != null) {
            object.setId(objectId);
        }
        Element properties;
        Element property;
        Element signingTime;
        if (noNamespace) {
            properties = dom.createElementNS(null, "SignatureProperties");
            properties.setAttributeNS(XMLConstants.XMLNS_ATTRIBUTE_NS_URI, "xmlns", "");
            property = dom.createElementNS(null, "SignatureProperty");
            signingTime = dom.createElementNS(null, "SigningTime");
        } else {
            properties = dsig(dom, sig, "SignatureProperties");
            property = dsig(dom, sig, "SignatureProperty");
            signingTime = dsig(dom, sig, "SigningTime");
        }
        if (propertiesId != null) {
            properties.setAttributeNS(null, "Id", propertiesId);
            properties.setIdAttributeNS(null, "Id", true);
        }
        property.setAttributeNS(null, "Target", target);
        signingTime.setTextContent(time);
        property.appendChild(signingTime);
        properties.appendChild(property);
        object.appendChild(properties);
        sig.appendObject(object);
        return object.getElement();
    }

    // ---- the shapes in circulation ----

    /** Options of a seller signature; the defaults are the common rsa-sha256 shape. */
    record Seller(String id, String method, String digest1, String digest2, String objectId, boolean noNamespace,
            boolean referToProperties, String time, boolean prefixed) {
        static Seller common() {
            return new Seller("seller", RSA_SHA256, SHA256, SHA256, "Obj-seller", false, false, SIGNING_TIME, false);
        }

        /** NACENCOMM-style: SignatureProperties with xmlns="", Reference 2 to them, typed. */
        static Seller nacencomm() {
            return new Seller("sig-nacencomm", RSA_SHA256, SHA256, SHA256, null, true, true, SIGNING_TIME, false);
        }

        Seller withId(String newId, String newObjectId) {
            return new Seller(newId, method, digest1, digest2, newObjectId, noNamespace, referToProperties, time, prefixed);
        }

        Seller withAlgorithms(String newMethod, String newDigest1, String newDigest2) {
            return new Seller(id, newMethod, newDigest1, newDigest2, objectId, noNamespace, referToProperties, time, prefixed);
        }

        Seller withTime(String newTime) {
            return new Seller(id, method, digest1, digest2, objectId, noNamespace, referToProperties, newTime, prefixed);
        }
    }

    /**
     * The seller's signature in {@code slotPath} (e.g. HDon/DSCKS/NBan): Reference 1 to DLHDon with
     * only the enveloped transform, Reference 2 without transforms to the SigningTime Object (or its
     * SignatureProperties), KeyInfo with X509SubjectName and the certificates given.
     */
    static void signSeller(org.w3c.dom.Document dom, String slotPath, TestIdentity who, List<X509Certificate> keyInfo,
            Seller s) throws Exception {
        sign(first(dom, slotPath), who.privateKey(), s.id(), s.method(), C14N, s.prefixed(), (sig, d) -> {
            String propertiesId = s.referToProperties() ? "TimeStamp-" + s.id() : null;
            signingTimeObject(sig, d, s.objectId(), propertiesId, "#" + s.id(), s.time(), s.noNamespace());
            sig.addDocument("#" + DLHDON_ID, enveloped(d), s.digest1());
            if (s.referToProperties()) {
                sig.addDocument("#" + propertiesId, null, s.digest2(), null, DSIG + "SignatureProperties");
            } else {
                sig.addDocument("#" + s.objectId(), null, s.digest2());
            }
            keyInfo(sig, d, keyInfo);
        });
    }

    static String seller(TestIdentity who, Seller s) throws Exception {
        org.w3c.dom.Document dom = parse(invoice("0312345678"));
        signSeller(dom, "HDon/DSCKS/NBan", who, List.of(who.certificate()), s);
        return serialize(dom);
    }

    /**
     * The tax authority's shape in DSCKS/CQT: an MCCQT element with its code, and rsa-sha256 with
     * three references without any transform — DLHDon, its SigningTime Object (Target
     * "signatureProperties", not a URI) and MCCQT. KeyInfo carries the leaf only.
     */
    static void signTaxAuthority(org.w3c.dom.Document dom, String hdonPath, TestIdentity who) throws Exception {
        Element hdon = first(dom, hdonPath);
        Element mccqt = dom.createElementNS(null, "MCCQT");
        mccqt.setAttributeNS(null, "Id", "Id-6f1e2d3c");
        mccqt.setIdAttributeNS(null, "Id", true);
        mccqt.setTextContent("M1-25-KYSO1-00000000123");
        hdon.insertBefore(mccqt, first(dom, hdonPath + "/DSCKS"));
        String uuid = "7c9e6679-7425-40de-944b-e07fc1f90ae7";
        sign(first(dom, hdonPath + "/DSCKS/CQT"), who.privateKey(), "CQT-" + uuid, RSA_SHA256, C14N, false, (sig, d) -> {
            signingTimeObject(sig, d, "SigningTime-" + uuid, null, "signatureProperties", "2025-07-10T18:02:05", false);
            sig.addDocument("#" + DLHDON_ID, null, SHA256);
            sig.addDocument("#SigningTime-" + uuid, null, SHA256);
            sig.addDocument("#Id-6f1e2d3c", null, SHA256);
            keyInfo(sig, d, List.of(who.certificate()));
        });
    }

    /** A seller-signed invoice then countersigned in the tax authority's shape. */
    static String taxAuthorityInvoice(TestIdentity seller, TestIdentity authority) throws Exception {
        org.w3c.dom.Document dom = parse(invoice("0312345678"));
        signSeller(dom, "HDon/DSCKS/NBan", seller, List.of(seller.certificate()), Seller.common());
        signTaxAuthority(dom, "HDon", authority);
        return serialize(dom);
    }

    /**
     * The tax declaration: signature in CKyDTu, C14N with comments, reference to #_NODE_TO_SIGN
     * with the enveloped transform, KeyInfo with KeyValue, X509SubjectName and X509Certificate.
     */
    static String taxDeclaration(TestIdentity who, String method, String digest) throws Exception {
        org.w3c.dom.Document dom = parse(taxDeclaration());
        sign(first(dom, "HSoThueDTu/CKyDTu"), who.privateKey(), "sigid", method, C14N_COMMENTS, false, (sig, d) -> {
            sig.addDocument("#_NODE_TO_SIGN", enveloped(d), digest);
            sig.addKeyInfo(who.publicKey());
            keyInfo(sig, d, List.of(who.certificate()));
        });
        return serialize(dom);
    }

    /** TDiep: the seller signs the invoice inside it, then the taxpayer signs the whole message in TDiep/CKSNNT. */
    static String envelopeSigned(TestIdentity seller, TestIdentity taxpayer) throws Exception {
        org.w3c.dom.Document dom = parse(envelope("0312345678"));
        signSeller(dom, "TDiep/DLieu/HDon/DSCKS/NBan", seller, List.of(seller.certificate()), Seller.common());
        sign(first(dom, "TDiep/CKSNNT"), taxpayer.privateKey(), "NNT", RSA_SHA256, C14N, false, (sig, d) -> {
            signingTimeObject(sig, d, "Obj-NNT", null, "#NNT", "2025-07-10T17:55:02", false);
            sig.addDocument("", enveloped(d), SHA256);
            sig.addDocument("#Obj-NNT", null, SHA256);
            keyInfo(sig, d, List.of(taxpayer.certificate()));
        });
        return serialize(dom);
    }

    /**
     * The .NET producer's shape: Reference 2 to a same-signature Object carrying the enveloped
     * transform too; the SignedInfo is re-signed after the transform is added, as that producer's
     * platform computes the digest without removing anything.
     */
    static String quirk(TestIdentity who) throws Exception {
        org.w3c.dom.Document dom = parse(invoice("0312345678"));
        XMLSignature sig = sign(first(dom, "HDon/DSCKS/NBan"), who.privateKey(), "seller", RSA_SHA256, C14N, false, (s, d) -> {
            signingTimeObject(s, d, "Obj-seller", null, "#seller", SIGNING_TIME, false);
            s.addDocument("#" + DLHDON_ID, enveloped(d), SHA256);
            s.addDocument("#Obj-seller", null, SHA256);
            keyInfo(s, d, List.of(who.certificate()));
        });
        Element ref2 = (Element) sig.getElement().getElementsByTagNameNS(DSIG, "Reference").item(1);
        Element transforms = dom.createElementNS(DSIG, "Transforms");
        Element tr = dom.createElementNS(DSIG, "Transform");
        tr.setAttributeNS(null, "Algorithm", Transforms.TRANSFORM_ENVELOPED_SIGNATURE);
        transforms.appendChild(tr);
        ref2.insertBefore(transforms, ref2.getElementsByTagNameNS(DSIG, "DigestMethod").item(0));
        resign(sig.getElement(), who.privateKey(), "SHA256withRSA");
        return serialize(dom);
    }

    /** Recomputes the SignatureValue over the current SignedInfo (inclusive C14N), as a hand-made producer would. */
    static void resign(Element signature, PrivateKey key, String jca) throws Exception {
        Element si = (Element) signature.getElementsByTagNameNS(DSIG, "SignedInfo").item(0);
        ByteArrayOutputStream c14n = new ByteArrayOutputStream();
        Canonicalizer.getInstance(C14N).canonicalizeSubtree(si, c14n);
        java.security.Signature s = java.security.Signature.getInstance(jca);
        s.initSign(key);
        s.update(c14n.toByteArray());
        signature.getElementsByTagNameNS(DSIG, "SignatureValue").item(0)
                .setTextContent(Base64.getEncoder().encodeToString(s.sign()));
    }

    // ---- XAdES ----

    /** Options of a XAdES fixture. */
    record Xades(X509Certificate namedCertificate, java.math.BigInteger serial, boolean v1, String signingTime,
            boolean coverSignedProperties) {
        static Xades of(TestIdentity who) {
            return new Xades(who.certificate(), who.certificate().getSerialNumber(), false, "2025-07-10T17:54:31+07:00", true);
        }

        Xades naming(X509Certificate cert, java.math.BigInteger newSerial, boolean version1) {
            return new Xades(cert, newSerial, version1, signingTime, coverSignedProperties);
        }

        Xades at(String time) {
            return new Xades(namedCertificate, serial, v1, time, coverSignedProperties);
        }

        Xades uncovered() {
            return new Xades(namedCertificate, serial, v1, signingTime, false);
        }
    }

    /**
     * An invoice signed as XAdES baseline B by {@code who}: SignedProperties (SigningTime,
     * SigningCertificateV2 or v1) referenced with the SignedProperties Type and an exclusive C14N
     * transform; KeyInfo carries the certificates given.
     */
    static org.w3c.dom.Document xades(TestIdentity who, List<X509Certificate> keyInfo, Xades x) throws Exception {
        org.w3c.dom.Document dom = parse(invoice("0312345678"));
        sign(first(dom, "HDon/DSCKS/NBan"), who.privateKey(), "xades-sig", RSA_SHA256, C14N, true, (sig, d) -> {
            ObjectContainer object = new ObjectContainer(d);
            Element qp = d.createElementNS(XADES, "xades:QualifyingProperties");
            qp.setAttributeNS(XMLConstants.XMLNS_ATTRIBUTE_NS_URI, "xmlns:xades", XADES);
            qp.setAttributeNS(null, "Target", "#xades-sig");
            Element sp = xadesChild(d, qp, "SignedProperties");
            sp.setAttributeNS(null, "Id", "xades-sig-sp");
            sp.setIdAttributeNS(null, "Id", true);
            Element ssp = xadesChild(d, sp, "SignedSignatureProperties");
            xadesChild(d, ssp, "SigningTime").setTextContent(x.signingTime());
            Element sc = xadesChild(d, ssp, x.v1() ? "SigningCertificate" : "SigningCertificateV2");
            Element cert = xadesChild(d, sc, "Cert");
            Element digest = xadesChild(d, cert, "CertDigest");
            Element method = dsig(d, sig, "DigestMethod");
            method.setAttributeNS(null, "Algorithm", SHA256);
            digest.appendChild(method);
            Element value = dsig(d, sig, "DigestValue");
            value.setTextContent(Base64.getEncoder().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(x.namedCertificate().getEncoded())));
            digest.appendChild(value);
            if (x.v1()) {
                Element is = xadesChild(d, cert, "IssuerSerial");
                Element name = dsig(d, sig, "X509IssuerName");
                name.setTextContent(x.namedCertificate().getIssuerX500Principal().getName());
                is.appendChild(name);
                Element serial = dsig(d, sig, "X509SerialNumber");
                serial.setTextContent(x.serial().toString());
                is.appendChild(serial);
            } else {
                IssuerSerial is = new IssuerSerial(new GeneralNames(new GeneralName(
                        X500Name.getInstance(x.namedCertificate().getIssuerX500Principal().getEncoded()))),
                        x.serial());
                xadesChild(d, cert, "IssuerSerialV2").setTextContent(Base64.getEncoder().encodeToString(is.getEncoded()));
            }
            object.appendChild(qp);
            sig.appendObject(object);
            sig.addDocument("#" + DLHDON_ID, enveloped(d), SHA256);
            if (x.coverSignedProperties()) {
                Transforms t = new Transforms(d);
                t.addTransform(Canonicalizer.ALGO_ID_C14N_EXCL_OMIT_COMMENTS);
                sig.addDocument("#xades-sig-sp", t, SHA256, null, XadesProperties.SIGNED_PROPERTIES_TYPE);
            }
            keyInfo(sig, d, keyInfo);
        });
        return dom;
    }

    static Element xadesChild(org.w3c.dom.Document dom, Element parent, String local) {
        Element e = dom.createElementNS(XADES, "xades:" + local);
        parent.appendChild(e);
        return e;
    }

    /** The signature's xades:UnsignedSignatureProperties, created on first use. */
    static Element unsignedProperties(org.w3c.dom.Document dom) {
        Element qp = (Element) dom.getElementsByTagNameNS(XADES, "QualifyingProperties").item(0);
        NodeList existing = qp.getElementsByTagNameNS(XADES, "UnsignedSignatureProperties");
        if (existing.getLength() > 0) {
            return (Element) existing.item(0);
        }
        return xadesChild(dom, xadesChild(dom, qp, "UnsignedProperties"), "UnsignedSignatureProperties");
    }

    /** The canonical bytes (inclusive C14N) of the ds:SignatureValue, what a SignatureTimeStamp covers. */
    static byte[] signatureValueC14n(org.w3c.dom.Document dom) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Canonicalizer.getInstance(C14N).canonicalizeSubtree(dom.getElementsByTagNameNS(DSIG, "SignatureValue").item(0), out);
        return out.toByteArray();
    }

    /** Adds a SignatureTimeStamp from the TSA at {@code tsa} over {@code stamped}. */
    static void addTimestamp(org.w3c.dom.Document dom, java.net.URI tsa, byte[] stamped) throws Exception {
        byte[] token = Net.timestamp("test", tsa, DigestAlgorithm.SHA256,
                MessageDigest.getInstance("SHA-256").digest(stamped), Duration.ofSeconds(10));
        Element ts = xadesChild(dom, unsignedProperties(dom), "SignatureTimeStamp");
        Element method = dom.createElementNS(DSIG, "ds:CanonicalizationMethod");
        method.setAttributeNS(null, "Algorithm", C14N);
        ts.appendChild(method);
        xadesChild(dom, ts, "EncapsulatedTimeStamp").setTextContent(Base64.getEncoder().encodeToString(token));
    }

    static void addCertificateValues(org.w3c.dom.Document dom, List<X509Certificate> certs) throws Exception {
        Element values = xadesChild(dom, unsignedProperties(dom), "CertificateValues");
        for (X509Certificate c : certs) {
            xadesChild(dom, values, "EncapsulatedX509Certificate").setTextContent(Base64.getEncoder().encodeToString(c.getEncoded()));
        }
    }

    static void addOcspValue(org.w3c.dom.Document dom, byte[] ocsp) {
        Element values = xadesChild(dom, xadesChild(dom, unsignedProperties(dom), "RevocationValues"), "OCSPValues");
        xadesChild(dom, values, "EncapsulatedOCSPValue").setTextContent(Base64.getEncoder().encodeToString(ocsp));
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
