package vn.kyso.pdf;

import java.io.IOException;
import java.util.List;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.PDSignature;

/**
 * Certification signatures on the signing side (ISO 32000-1, 12.8.2.2): the DocMDP transform in
 * the new signature's /Reference and /Perms /DocMDP in the catalog, only on a document that has
 * no signature yet; and the refusal to add what an existing certification forbids.
 */
final class DocMdp {
    static final COSName REFERENCE = COSName.getPDFName("Reference");
    static final COSName TRANSFORM_METHOD = COSName.getPDFName("TransformMethod");
    static final COSName TRANSFORM_PARAMS = COSName.getPDFName("TransformParams");

    private DocMdp() {
    }

    /**
     * Refuses, before anything is written, a signature the document's state does not allow: a
     * certification on a document that already carries signatures, or any signature or fill on
     * a document certified with no changes allowed.
     */
    static void check(PDDocument doc, PadesOptions options, String documentName) throws IOException {
        List<PDSignature> existing = doc.getSignatureDictionaries();
        int certified = certifiedLevel(doc);
        if (options.certification().isPresent() && (!existing.isEmpty() || certified > 0)) {
            throw new IllegalArgumentException(documentName + " already carries " + existing.size() + " signature(s); PDF "
                    + "allows a certification (DocMDP) only as the first signature of a document (ISO 32000-1, 12.8.2.2): "
                    + "sign without certify(...), or certify the draft's first signature");
        }
        if (certified == 1) {
            throw new IllegalArgumentException(documentName + " is certified with no changes allowed (DocMDP P=1): "
                    + "another signature would break that certification; ask its author for a certification that "
                    + "permits signatures (P=2)");
        }
    }

    /** Adds the DocMDP transform with permission {@code p} to {@code signature} and points /Perms at it. */
    static void certify(PDDocument doc, PDSignature signature, PadesOptions.Certification level) {
        COSDictionary params = new COSDictionary();
        params.setItem(COSName.TYPE, TRANSFORM_PARAMS);
        params.setInt(COSName.P, level.permission());
        params.setName(COSName.V, "1.2");
        COSDictionary reference = new COSDictionary();
        reference.setItem(COSName.TYPE, COSName.getPDFName("SigRef"));
        reference.setItem(TRANSFORM_METHOD, COSName.DOCMDP);
        reference.setItem(COSName.getPDFName("DigestMethod"), COSName.getPDFName("SHA256"));
        reference.setItem(TRANSFORM_PARAMS, params);
        COSArray references = new COSArray();
        references.add(reference);
        signature.getCOSObject().setItem(REFERENCE, references);
        COSDictionary catalog = doc.getDocumentCatalog().getCOSObject();
        COSDictionary perms = catalog.getCOSDictionary(COSName.PERMS);
        if (perms == null) {
            perms = new COSDictionary();
            catalog.setItem(COSName.PERMS, perms);
        }
        perms.setItem(COSName.DOCMDP, signature);
        perms.setNeedToBeUpdated(true);
        catalog.setNeedToBeUpdated(true);
    }

    /** The permission level of the certification /Perms points at, 0 when the document is not certified. */
    static int certifiedLevel(PDDocument doc) {
        COSBase perms = doc.getDocumentCatalog().getCOSObject().getDictionaryObject(COSName.PERMS);
        if (perms instanceof COSDictionary p && p.getDictionaryObject(COSName.DOCMDP) instanceof COSDictionary sig) {
            return PdfRevisionAnalyzer.certificationLevel(sig);
        }
        return 0;
    }
}
