package vn.kyso.agent;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Locale;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.interactive.form.PDAcroForm;
import org.apache.pdfbox.pdmodel.interactive.form.PDField;
import org.apache.pdfbox.pdmodel.interactive.form.PDTextField;
import vn.kyso.BaselineLevel;
import vn.kyso.DigestAlgorithm;
import vn.kyso.Document;
import vn.kyso.DocumentMalformedException;
import vn.kyso.KysoException;
import vn.kyso.SignOptions;
import vn.kyso.Signer;
import vn.kyso.pdf.PadesFormat;
import vn.kyso.pdf.PadesOptions;
import vn.kyso.xml.XadesFormat;
import vn.kyso.xml.XmlOptions;

/**
 * Whole-PDF signatures with kyso's PAdES roles, for pages written for the Cipher Committee's
 * VGCA plugin (kyso-vgca-shim.js): the page hands the PDF, the role, and the document number and
 * date; the agent signs it at level B-B (no timestamp, so the agent makes no network request)
 * and hands the signed PDF back. Placement is fixed per role, since the page has no say in it.
 */
final class DocumentSigning {
    /** The largest PDF the agent takes (decoded bytes); larger ones are refused with DOCUMENT_TOO_LARGE. */
    static final int MAX_DOCUMENT = 16 << 20;
    /** The form fields a draft may carry for the issuing clerk's number and date (DraftFields, the cli demo). */
    static final String NUMBER_FIELD = "so_vb";
    static final String DATE_FIELD = "ngay_ban_hanh";
    private static final float MARGIN = 36;

    /** The VGCA plugin's signing kinds, each backed by a kyso role. */
    enum Role {
        /** vgca_sign_approved: the approval ("ký nháy", phê duyệt); invisible. */
        APPROVED("approved", "Phê duyệt / approval", PadesOptions.Role.APPROVAL),
        /** vgca_sign_issued: the issuing organization, with the document number and issue date. */
        ISSUED("issued", "Phát hành, cấp số / issue with number and date", PadesOptions.Role.ORGANIZATION),
        /** vgca_sign_income: the receiving agency's "ĐẾN" stamp. */
        INCOME("income", "Văn bản đến / incoming", PadesOptions.Role.INCOMING),
        /** vgca_sign_copy: an electronic "sao y" copy. */
        COPY("copy", "Sao y / copy", PadesOptions.Role.COPY),
        /** vgca_sign_appendix: an attachment or appendix of a document. */
        APPENDIX("appendix", "Phụ lục, đính kèm / attachment", PadesOptions.Role.ATTACHMENT);

        final String wire;
        final String label;
        final PadesOptions.Role kyso;

        Role(String wire, String label, PadesOptions.Role kyso) {
            this.wire = wire;
            this.label = label;
            this.kyso = kyso;
        }

        static Role of(String wire) {
            for (Role r : values()) {
                if (r.wire.equals(wire)) {
                    return r;
                }
            }
            return null;
        }
    }

    private DocumentSigning() {
    }

    /**
     * The options for {@code role} on {@code pdf}: where the stamp goes (fixed per role, inside
     * page 1) and what it says; the issued role also fills the draft's number and date fields
     * when it has them.
     *
     * @throws DocumentMalformedException when the bytes are not a PDF with a page
     */
    static PadesOptions options(byte[] pdf, String name, Role role, String number, String date)
            throws DocumentMalformedException {
        PDRectangle page;
        boolean numberField;
        boolean dateField;
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            if (doc.getNumberOfPages() == 0) {
                throw new DocumentMalformedException("agent", name + " has no page");
            }
            page = doc.getPage(0).getCropBox();
            PDAcroForm form = doc.getDocumentCatalog().getAcroForm(null);
            numberField = form != null && emptyTextField(form.getField(NUMBER_FIELD));
            dateField = form != null && emptyTextField(form.getField(DATE_FIELD));
        } catch (IOException e) {
            throw new DocumentMalformedException("agent", name + " cannot be read as a PDF", e);
        }
        String n = number == null ? "" : number;
        String d = date == null ? "" : date;
        PadesOptions.Builder b = PadesOptions.builder().role(role.kyso);
        float w = page.getWidth();
        float h = page.getHeight();
        switch (role) {
            case APPROVED -> b.reason("Phê duyệt");
            case ISSUED -> {
                // the organization's stamp, bottom right of page 1: number, date, then kyso adds the time
                StringBuilder text = new StringBuilder();
                text.append(n.isEmpty() ? "" : "Số: " + n);
                if (!d.isEmpty()) {
                    text.append(text.length() == 0 ? "" : "\n").append("Ngày: ").append(d);
                }
                if (text.length() > 0) {
                    b.text(text.toString());
                }
                b.place(1, page.getLowerLeftX() + Math.max(0, w - MARGIN - 220), page.getLowerLeftY() + MARGIN,
                        Math.min(220, w), 60);
                if (numberField && !n.isEmpty()) {
                    b.fill(NUMBER_FIELD, n);
                }
                if (dateField && !d.isEmpty()) {
                    b.fill(DATE_FIELD, d);
                }
                b.reason("Ban hành" + (n.isEmpty() ? "" : " số " + n) + (d.isEmpty() ? "" : ", ngày " + d));
            }
            case INCOME -> {
                StringBuilder text = new StringBuilder("ĐẾN");
                text.append("\nSố: ").append(n);
                text.append("\nNgày: ").append(d);
                b.text(text.toString());
                b.place(1, page.getLowerLeftX() + MARGIN, page.getLowerLeftY() + Math.max(0, h - MARGIN - 70),
                        Math.min(180, w), 70);
                b.reason("Văn bản đến");
            }
            case COPY -> {
                b.copy(PadesOptions.CopyForm.SAO_Y, n.isEmpty() ? "—" : n);
                b.reason("Sao y");
            }
            case APPENDIX -> {
                if (!n.isEmpty()) {
                    b.text("Kèm theo văn bản số " + n);
                }
                b.reason("Ký tài liệu đính kèm");
            }
            default -> throw new IllegalStateException("no role " + role);
        }
        return b.build();
    }

    private static boolean emptyTextField(PDField field) {
        return field instanceof PDTextField text && text.getValueAsString().isEmpty() && !text.getWidgets().isEmpty();
    }

    /**
     * The local name of the root element of {@code xml}, read without DTDs or external entities;
     * the enveloped signature of vgca_sign_xml goes there.
     *
     * @throws DocumentMalformedException when the bytes are not well-formed XML with a root element
     *     whose name kyso can address
     */
    static String xmlRoot(byte[] xml, String name) throws DocumentMalformedException {
        XMLInputFactory factory = XMLInputFactory.newFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        try {
            XMLStreamReader reader = factory.createXMLStreamReader(new ByteArrayInputStream(xml));
            try {
                while (reader.hasNext()) {
                    int event = reader.next();
                    if (event == XMLStreamConstants.DTD) {
                        // kyso's XML signing refuses DTDs too: refused here, before the user is asked
                        throw new DocumentMalformedException("agent", name + " has a DTD");
                    }
                    if (event == XMLStreamConstants.START_ELEMENT) {
                        String root = reader.getLocalName();
                        if (!root.matches("[\\p{L}_][\\p{L}\\p{N}_.\\-]*")) {
                            break;
                        }
                        return root;
                    }
                }
            } finally {
                reader.close();
            }
        } catch (XMLStreamException e) {
            throw new DocumentMalformedException("agent", name + " is not well-formed XML", e);
        }
        throw new DocumentMalformedException("agent", name + " has no root element kyso can sign in");
    }

    /**
     * The whole of {@code xml} signed with an enveloped XMLDSig (kyso's GENERIC profile, level B)
     * placed in the root element, as the VGCA plugin's SignXML makes it.
     */
    static byte[] signXml(byte[] xml, String name, String root, DigestAlgorithm digest, Signer signer,
            String display) throws KysoException, IOException {
        XmlOptions enveloped = XmlOptions.builder(XmlOptions.Profile.GENERIC).wholeDocument()
                .signatureParentPath("/" + root).build();
        SignOptions sign = SignOptions.builder().level(BaselineLevel.B).digest(digest).displayText(display)
                .documentType("xml").formatOptions(enveloped).build();
        ByteArrayOutputStream out = new ByteArrayOutputStream(xml.length + 16 * 1024);
        new XadesFormat().sign(Document.of(xml.clone(), name), signer, sign, out);
        return out.toByteArray();
    }

    /** Signs {@code pdf} with {@code signer} at level B-B; the input array is not modified. */
    static byte[] sign(byte[] pdf, String name, PadesOptions options, Signer signer, String display)
            throws KysoException, IOException {
        SignOptions sign = SignOptions.builder().level(BaselineLevel.B).displayText(display)
                .documentType(options.role().name().toLowerCase(Locale.ROOT)).formatOptions(options).build();
        ByteArrayOutputStream out = new ByteArrayOutputStream(pdf.length + 64 * 1024);
        new PadesFormat().sign(Document.of(pdf.clone(), name), signer, sign, out);
        return out.toByteArray();
    }
}
