package vn.kyso.pdf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Calendar;
import java.util.List;
import java.util.TimeZone;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSInteger;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSObject;
import org.apache.pdfbox.cos.COSObjectKey;
import org.apache.pdfbox.cos.COSStream;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDResources;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.common.PDStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.pdfbox.pdmodel.graphics.form.PDFormXObject;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotationWidget;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAppearanceDictionary;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAppearanceStream;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.PDSignature;
import org.apache.pdfbox.pdmodel.interactive.form.PDAcroForm;
import org.apache.pdfbox.pdmodel.interactive.form.PDTextField;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import vn.kyso.Document;
import vn.kyso.Indication;
import vn.kyso.SignatureReport;
import vn.kyso.ValidationPolicy;
import vn.kyso.VerificationReport;
import vn.kyso.testkit.TestPki;
import vn.kyso.testkit.TestPkiExtension;

/**
 * Incremental updates crafted so that what a viewer shows, or what the verdict reads from the
 * signature, changes after signing while a fingerprint of the signed revision could stay the
 * same: re-pointed references, inherited page attributes, deep nesting, objects appended
 * without a cross-reference section, and rewritten signature dictionaries and permissions.
 * Each must fail the signature it attacks.
 */
@ExtendWith(TestPkiExtension.class)
class PdfRevisionAttackTest {
    private static TestPki pki;
    private static ValidationPolicy policy;
    private static final COSName IM1 = COSName.getPDFName("Im1");
    private static final COSName IM2 = COSName.getPDFName("Im2");

    @TempDir
    Path dir;

    @BeforeAll
    static void start(TestPki shared) {
        pki = shared;
        policy = ValidationPolicy.builder().trustAnchors(pki.roots()).revocation(ValidationPolicy.Revocation.NONE).build();
    }

    interface PdfChange {
        void apply(PDDocument doc) throws Exception;
    }

    /** {@code signed} with {@code change} appended as an incremental update, the way any PDF editor saves. */
    private static byte[] update(byte[] signed, PdfChange change) throws Exception {
        try (PDDocument doc = Loader.loadPDF(signed)) {
            change.apply(doc);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            doc.saveIncremental(out);
            return out.toByteArray();
        }
    }

    private static VerificationReport verify(byte[] pdf) throws Exception {
        return new PadesFormat().verify(Document.of(pdf, "attacked.pdf"), policy);
    }

    private byte[] sign(byte[] pdf) throws Exception {
        return TestPdfs.sign(pdf, pki.person(), PadesOptions.builder().build(), dir);
    }

    private static void assertFailedWith(byte[] pdf, String code) throws Exception {
        VerificationReport report = verify(pdf);
        SignatureReport s = report.signatures().get(0);
        assertEquals(Indication.TOTAL_FAILED, s.indication(), report.toText());
        assertTrue(s.has(code), report.toText());
    }

    private void assertHonestPasses(byte[] signed, String name) throws Exception {
        VerificationReport report = verify(signed);
        assertTrue(report.allPassed(), report.toText());
        if (Pdfsig.available()) {
            List<Boolean> pdfsig = Pdfsig.integrity(Files.write(dir.resolve(name), signed));
            assertTrue(pdfsig.stream().allMatch(b -> b), "pdfsig disagrees on " + name + ": " + pdfsig);
        }
    }

    private static PDFormXObject form(PDDocument doc, String text, PDFormXObject held) throws Exception {
        PDFormXObject form = new PDFormXObject(doc);
        form.setBBox(new PDRectangle(400, 40));
        PDResources resources = new PDResources();
        resources.put(COSName.getPDFName("F1"), new PDType1Font(Standard14Fonts.FontName.HELVETICA));
        if (held != null) {
            resources.put(COSName.getPDFName("Held"), held);
        }
        form.setResources(resources);
        try (OutputStream out = form.getCOSObject().createOutputStream()) {
            out.write(("BT /F1 14 Tf 0 12 Td (" + text + ") Tj ET").getBytes(StandardCharsets.US_ASCII));
        }
        return form;
    }

    private static void content(PDDocument doc, PDPage page, String operators) throws Exception {
        PDStream stream = new PDStream(doc);
        try (OutputStream out = stream.createOutputStream()) {
            out.write(operators.getBytes(StandardCharsets.US_ASCII));
        }
        page.setContents(stream);
    }

    private static byte[] save(PDDocument doc) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        doc.save(out);
        return out.toByteArray();
    }

    /**
     * A letter whose page draws the form /Im2 ("Chi tra 1.000.000 dong"); its resources also
     * hold /Im1, a form that says "Chi tra 9.000.000 dong" and itself holds /Im2's form.
     */
    private static byte[] letterWithTwoForms() throws Exception {
        try (PDDocument doc = new PDDocument()) {
            PDPage page = new PDPage(PDRectangle.A4);
            doc.addPage(page);
            PDFormXObject shown = form(doc, "Chi tra 1.000.000 dong", null);
            PDFormXObject other = form(doc, "Chi tra 9.000.000 dong", shown);
            PDResources resources = new PDResources();
            resources.put(IM1, other);
            resources.put(IM2, shown);
            page.setResources(resources);
            content(doc, page, "q 1 0 0 1 72 700 cm /Im2 Do Q");
            return save(doc);
        }
    }

    @Test
    void aDrawnResourceRepointedAtAnotherStreamTheDictionaryHeldFails() throws Exception {
        byte[] signed = sign(letterWithTwoForms());
        assertHonestPasses(signed, "two-forms.pdf");
        // the page still says "/Im2 Do", but /Im2 now names the form the resources already held:
        // a viewer shows "Chi tra 9.000.000 dong" where the signer saw "Chi tra 1.000.000 dong"
        byte[] attacked = update(signed, doc -> {
            PDPage page = doc.getPage(0);
            COSDictionary xobjects = page.getResources().getCOSObject().getCOSDictionary(COSName.XOBJECT);
            xobjects.setItem(IM2, xobjects.getItem(IM1));
            xobjects.setNeedToBeUpdated(true);
            page.getResources().getCOSObject().setNeedToBeUpdated(true);
            page.getCOSObject().setNeedToBeUpdated(true);
        });
        assertFailedWith(attacked, "PAGE_CONTENT_CHANGED_AFTER_SIGNING");
    }

    /** A letter with a text field whose normal appearance says 1.000.000 and whose down appearance (holding it) 9.000.000. */
    private static byte[] letterWithField() throws Exception {
        try (PDDocument doc = new PDDocument()) {
            PDPage page = new PDPage(PDRectangle.A4);
            doc.addPage(page);
            content(doc, page, "BT /F1 12 Tf 72 760 Td (So tien:) Tj ET");
            PDResources resources = new PDResources();
            resources.put(COSName.getPDFName("F1"), new PDType1Font(Standard14Fonts.FontName.HELVETICA));
            page.setResources(resources);
            PDAcroForm acroForm = new PDAcroForm(doc);
            doc.getDocumentCatalog().setAcroForm(acroForm);
            PDTextField field = new PDTextField(acroForm);
            field.setPartialName("so_tien");
            field.getCOSObject().setString(COSName.V, "1.000.000 dong");
            PDAnnotationWidget widget = field.getWidgets().get(0);
            widget.setRectangle(new PDRectangle(130, 750, 300, 30));
            widget.setPage(page);
            widget.setPrinted(true);
            PDAppearanceStream normal = appearance(doc, "1.000.000 dong", null);
            PDAppearanceStream down = appearance(doc, "9.000.000 dong", normal);
            PDAppearanceDictionary ap = new PDAppearanceDictionary();
            ap.setNormalAppearance(normal);
            ap.setDownAppearance(down);
            widget.setAppearance(ap);
            page.getAnnotations().add(widget);
            acroForm.getFields().add(field);
            return save(doc);
        }
    }

    private static PDAppearanceStream appearance(PDDocument doc, String text, PDAppearanceStream held) throws Exception {
        PDAppearanceStream look = new PDAppearanceStream(doc);
        look.setBBox(new PDRectangle(300, 30));
        PDResources resources = new PDResources();
        resources.put(COSName.getPDFName("F1"), new PDType1Font(Standard14Fonts.FontName.HELVETICA));
        if (held != null) {
            resources.put(COSName.getPDFName("Held"), held);
        }
        look.setResources(resources);
        try (OutputStream out = look.getCOSObject().createOutputStream()) {
            out.write(("BT /F1 12 Tf 2 10 Td (" + text + ") Tj ET").getBytes(StandardCharsets.US_ASCII));
        }
        return look;
    }

    @Test
    void aWidgetWhoseNormalAppearanceIsRepointedAtItsDownAppearanceFails() throws Exception {
        byte[] signed = sign(letterWithField());
        assertHonestPasses(signed, "field.pdf");
        // the field's value stays "1.000.000 dong", but its /AP /N now names the /D stream:
        // a viewer paints "9.000.000 dong" in the field
        byte[] attacked = update(signed, doc -> {
            PDAnnotationWidget widget = ((PDTextField) doc.getDocumentCatalog().getAcroForm().getField("so_tien"))
                    .getWidgets().get(0);
            COSDictionary ap = widget.getCOSObject().getCOSDictionary(COSName.AP);
            ap.setItem(COSName.N, ap.getItem(COSName.D));
            ap.setNeedToBeUpdated(true);
            widget.getCOSObject().setNeedToBeUpdated(true);
        });
        assertFailedWith(attacked, "FORM_FIELD_APPEARANCE_REPLACED");
    }

    /** A letter whose page takes its media box from the /Pages root, not from the page itself. */
    private static byte[] letterInheritingItsMediaBox() throws Exception {
        try (PDDocument doc = Loader.loadPDF(TestPdfs.letter(1, "Chi tra 1.000.000 dong"))) {
            COSDictionary page = doc.getPage(0).getCOSObject();
            doc.getPages().getCOSObject().setItem(COSName.MEDIA_BOX, page.getItem(COSName.MEDIA_BOX));
            page.removeItem(COSName.MEDIA_BOX);
            return save(doc);
        }
    }

    @Test
    void changingWhatPagesInheritFromThePageTreeFails() throws Exception {
        byte[] signed = sign(letterInheritingItsMediaBox());
        assertHonestPasses(signed, "inherited.pdf");
        // /Rotate 180 on the /Pages root: every page below it is shown upside down
        byte[] rotated = update(signed, doc -> {
            doc.getPages().getCOSObject().setInt(COSName.ROTATE, 180);
            doc.getPages().getCOSObject().setNeedToBeUpdated(true);
        });
        assertFailedWith(rotated, "PAGE_CONTENT_CHANGED_AFTER_SIGNING");
        // a /MediaBox on the root that stops above the line "Chi tra 1.000.000 dong": a viewer no longer shows it
        byte[] cropped = update(signed, doc -> {
            COSArray box = new COSArray();
            for (int v : new int[] {0, 770, 595, 842}) {
                box.add(COSInteger.get(v));
            }
            doc.getPages().getCOSObject().setItem(COSName.MEDIA_BOX, box);
            doc.getPages().getCOSObject().setNeedToBeUpdated(true);
        });
        assertFailedWith(cropped, "PAGE_CONTENT_CHANGED_AFTER_SIGNING");
    }

    /** A page drawing a form nested {@code depth} forms deep, the innermost saying "Chi tra 1.000.000 dong". */
    private static byte[] letterWithNestedForms(int depth) throws Exception {
        try (PDDocument doc = new PDDocument()) {
            PDPage page = new PDPage(PDRectangle.A4);
            doc.addPage(page);
            PDFormXObject inner = form(doc, "Chi tra 1.000.000 dong", null);
            for (int i = 0; i < depth; i++) {
                PDFormXObject outer = new PDFormXObject(doc);
                outer.setBBox(new PDRectangle(400, 40));
                PDResources resources = new PDResources();
                resources.put(COSName.getPDFName("Fx"), inner);
                outer.setResources(resources);
                try (OutputStream out = outer.getCOSObject().createOutputStream()) {
                    out.write("/Fx Do".getBytes(StandardCharsets.US_ASCII));
                }
                inner = outer;
            }
            PDResources resources = new PDResources();
            resources.put(COSName.getPDFName("Fx"), inner);
            page.setResources(resources);
            content(doc, page, "q 1 0 0 1 72 700 cm /Fx Do Q");
            return save(doc);
        }
    }

    @Test
    void aChangeDeepInsideNestedFormsFails() throws Exception {
        byte[] signed = sign(letterWithNestedForms(30));
        assertHonestPasses(signed, "nested.pdf");
        // the innermost form, 30 forms down, now says 9.000.000: a viewer draws it through every level
        byte[] attacked = update(signed, doc -> {
            PDFormXObject form = (PDFormXObject) doc.getPage(0).getResources().getXObject(COSName.getPDFName("Fx"));
            for (int i = 0; i < 30; i++) {
                form = (PDFormXObject) form.getResources().getXObject(COSName.getPDFName("Fx"));
            }
            try (OutputStream out = form.getCOSObject().createOutputStream()) {
                out.write("BT /F1 14 Tf 0 12 Td (Chi tra 9.000.000 dong) Tj ET".getBytes(StandardCharsets.US_ASCII));
            }
            form.getCOSObject().setNeedToBeUpdated(true);
        });
        assertFailedWith(attacked, "PAGE_CONTENT_CHANGED_AFTER_SIGNING");
    }

    @Test
    void objectsAppendedWithoutACrossReferenceSectionFailTheSignature() throws Exception {
        byte[] signed = sign(TestPdfs.letter(1, "Chi tra 1.000.000 dong"));
        COSObjectKey key;
        try (PDDocument doc = Loader.loadPDF(signed)) {
            key = ((COSObject) doc.getPage(0).getCOSObject().getItem(COSName.CONTENTS)).getKey();
        }
        String text = new String(signed, StandardCharsets.ISO_8859_1);
        String oldStartxref = text.substring(text.lastIndexOf("startxref") + 9, text.lastIndexOf("%%EOF")).trim();
        String content = "BT /F1 12 Tf 72 760 Td (Chi tra 9.000.000 dong) Tj ET";
        String object = "\n" + key.getNumber() + " " + key.getGeneration() + " obj\n<< /Length " + content.length()
                + " >>\nstream\n" + content + "\nendstream\nendobj\n";
        // a viewer that rebuilds the cross-references by scanning the file takes the later definition
        // of the page's content stream: "Chi tra 9.000.000 dong" (Mladenov et al., ISA without xref)
        for (String appended : List.of(object, object + "%%EOF\n", object + "startxref\n" + oldStartxref + "\n%%EOF\n")) {
            byte[] attacked = (text + appended).getBytes(StandardCharsets.ISO_8859_1);
            assertFailedWith(attacked, "UNDECLARED_CHANGE_AFTER_SIGNING");
        }
    }

    @Test
    void rewritingAnotherSignersSigningTimeFails() throws Exception {
        byte[] signed = sign(TestPdfs.letter(1, "Chi tra 1.000.000 dong"));
        assertHonestPasses(signed, "plain.pdf");
        // the signature dictionary is written again with the same /Contents and /ByteRange but a /M a year
        // earlier: a viewer (and the report) shows the backdated signing time on an intact signature
        byte[] backdated = update(signed, doc -> {
            PDSignature signature = doc.getSignatureDictionaries().get(0);
            Calendar earlier = Calendar.getInstance(TimeZone.getTimeZone("GMT+07:00"));
            earlier.add(Calendar.YEAR, -1);
            signature.setSignDate(earlier);
            signature.getCOSObject().setNeedToBeUpdated(true);
        });
        assertFailedWith(backdated, "SIGNATURE_DICTIONARY_CHANGED_AFTER_SIGNING");
    }

    @Test
    void droppingACertificationToAllowLaterChangesFails() throws Exception {
        byte[] certified = TestPdfs.sign(TestPdfs.letter(1, "Chi tra 1.000.000 dong"), pki.organization(),
                PadesOptions.builder().certify(PadesOptions.Certification.NO_CHANGES).build(), dir);
        assertHonestPasses(certified, "certified.pdf");
        // without /Perms a viewer shows an approval signature instead of a certification that forbids changes
        byte[] noPerms = update(certified, doc -> {
            doc.getDocumentCatalog().getCOSObject().removeItem(COSName.PERMS);
            doc.getDocumentCatalog().getCOSObject().setNeedToBeUpdated(true);
        });
        assertFailedWith(noPerms, "PERMISSIONS_CHANGED_AFTER_SIGNING");
        // without /Reference the signature no longer certifies: the later signature P=1 forbids would be accepted
        byte[] noReference = update(noPerms, doc -> {
            COSDictionary signature = doc.getSignatureDictionaries().get(0).getCOSObject();
            signature.removeItem(COSName.getPDFName("Reference"));
            signature.setNeedToBeUpdated(true);
        });
        byte[] signedLater = PdfVerifierTest.pdfboxSign(noReference, pki.person(), "ETSI.CAdES.detached", 0);
        VerificationReport report = verify(signedLater);
        SignatureReport first = report.signatures().get(0);
        assertEquals(Indication.TOTAL_FAILED, first.indication(), report.toText());
        assertTrue(first.has("SIGNATURE_DICTIONARY_CHANGED_AFTER_SIGNING"), report.toText());
    }
    @Test
    void redrawingASignedSignaturesAppearanceFails() throws Exception {
        byte[] signed = TestPdfs.sign(TestPdfs.letter(1, "Chi tra 1.000.000 dong"), pki.person(),
                PadesOptions.builder().place(1, 350, 100, 200, 60).build(), dir);
        assertHonestPasses(signed, "visible.pdf");
        // the signature box on the page now shows another signer's name and an earlier date
        byte[] redrawn = update(signed, doc -> {
            PDAnnotationWidget widget = doc.getSignatureFields().get(0).getWidgets().get(0);
            PDAppearanceStream look = new PDAppearanceStream(doc);
            look.setBBox(new PDRectangle(200, 60));
            PDResources resources = new PDResources();
            resources.put(COSName.getPDFName("F1"), new PDType1Font(Standard14Fonts.FontName.HELVETICA));
            look.setResources(resources);
            try (OutputStream out = look.getCOSObject().createOutputStream()) {
                out.write("BT /F1 10 Tf 4 30 Td (Ky boi: Tran Van B, 01/01/2020) Tj ET".getBytes(StandardCharsets.US_ASCII));
            }
            PDAppearanceDictionary ap = new PDAppearanceDictionary();
            ap.setNormalAppearance(look);
            widget.setAppearance(ap);
            widget.getCOSObject().setNeedToBeUpdated(true);
        });
        assertFailedWith(redrawn, "SIGNATURE_WIDGET_CHANGED_AFTER_SIGNING");
    }
    /** A letter whose one page sits {@code depth} /Pages nodes below the root. */
    private static byte[] letterDeepInThePageTree(int depth) throws Exception {
        try (PDDocument doc = Loader.loadPDF(TestPdfs.letter(1, "Chi tra 1.000.000 dong"))) {
            COSDictionary root = doc.getPages().getCOSObject();
            COSDictionary page = doc.getPage(0).getCOSObject();
            COSDictionary parent = root;
            for (int i = 0; i < depth; i++) {
                COSDictionary node = new COSDictionary();
                node.setItem(COSName.TYPE, COSName.PAGES);
                node.setItem(COSName.PARENT, parent);
                node.setInt(COSName.COUNT, 1);
                COSArray kids = new COSArray();
                kids.add(node);
                parent.setItem(COSName.KIDS, kids);
                parent = node;
            }
            COSArray kids = new COSArray();
            kids.add(page);
            parent.setItem(COSName.KIDS, kids);
            page.setItem(COSName.PARENT, parent);
            return save(doc);
        }
    }

    @Test
    void anAttributeInheritedFromFarUpThePageTreeIsCompared() throws Exception {
        byte[] signed = sign(letterDeepInThePageTree(300));
        assertHonestPasses(signed, "deep-tree.pdf");
        // /Rotate 90 on the root, 300 levels above the page: the page is shown turned on its side
        byte[] rotated = update(signed, doc -> {
            doc.getPages().getCOSObject().setInt(COSName.ROTATE, 90);
            doc.getPages().getCOSObject().setNeedToBeUpdated(true);
        });
        assertFailedWith(rotated, "PAGE_CONTENT_CHANGED_AFTER_SIGNING");
    }
    /** A letter whose text is drawn under the graphics state /GS1, which is the /Pages root dictionary itself. */
    private static byte[] letterWithTheTreeRootAsGraphicsState() throws Exception {
        try (PDDocument doc = new PDDocument()) {
            PDPage page = new PDPage(PDRectangle.A4);
            doc.addPage(page);
            COSDictionary root = doc.getPages().getCOSObject();
            root.setFloat(COSName.CA_NS, 1);
            PDResources resources = new PDResources();
            resources.put(COSName.getPDFName("F1"), new PDType1Font(Standard14Fonts.FontName.HELVETICA));
            COSDictionary states = new COSDictionary();
            states.setItem(COSName.getPDFName("GS1"), root);
            resources.getCOSObject().setItem(COSName.EXT_G_STATE, states);
            page.setResources(resources);
            content(doc, page, "/GS1 gs BT /F1 12 Tf 72 760 Td (Chi tra 1.000.000 dong) Tj ET");
            return save(doc);
        }
    }

    @Test
    void aPageTreeNodeUsedAsAResourceIsComparedForWhatItDraws() throws Exception {
        byte[] signed = sign(letterWithTheTreeRootAsGraphicsState());
        assertHonestPasses(signed, "tree-resource.pdf");
        // /ca 0 on the /Pages root, which the page uses as its graphics state: the text is painted invisible
        byte[] hidden = update(signed, doc -> {
            doc.getPages().getCOSObject().setFloat(COSName.CA_NS, 0);
            doc.getPages().getCOSObject().setNeedToBeUpdated(true);
        });
        assertFailedWith(hidden, "PAGE_CONTENT_CHANGED_AFTER_SIGNING");
    }
    @Test
    void aLongDocumentSharingOneLargeResourceIsComparedWithinTheBudget() throws Exception {
        // 600 pages sharing one resource with 20 000 widths, as pages share a CID font's /W array:
        // 24 million values if every page's comparison walked them again
        byte[] draft;
        try (PDDocument doc = new PDDocument()) {
            COSArray widths = new COSArray();
            for (int i = 0; i < 20_000; i++) {
                widths.add(COSInteger.get(500 + i % 100));
            }
            COSDictionary shared = new COSDictionary();
            shared.setItem(COSName.W, widths);
            COSDictionary properties = new COSDictionary();
            properties.setItem(COSName.getPDFName("Shared"), shared);
            for (int p = 0; p < 600; p++) {
                PDPage page = new PDPage(PDRectangle.A4);
                doc.addPage(page);
                PDResources resources = new PDResources();
                resources.put(COSName.getPDFName("F1"), new PDType1Font(Standard14Fonts.FontName.HELVETICA));
                resources.getCOSObject().setItem(COSName.PROPERTIES, properties);
                page.setResources(resources);
                content(doc, page, "BT /F1 12 Tf 72 760 Td (Trang " + (p + 1) + ") Tj ET");
            }
            draft = save(doc);
        }
        byte[] signed = sign(draft);
        byte[] titled = update(signed, doc -> {
            doc.getDocumentInformation().setTitle("Phu luc");
            doc.getDocumentInformation().getCOSObject().setNeedToBeUpdated(true);
            doc.getDocument().getTrailer().setNeedToBeUpdated(true);
        });
        VerificationReport report = verify(titled);
        assertTrue(report.allPassed(), report.toText());
    }
}
