package vn.kyso.pdf;

import java.io.IOException;
import vn.kyso.Document;
import vn.kyso.KysoException;
import vn.kyso.ValidationPolicy;
import vn.kyso.VerificationReport;

/** Verifies every signature of a PDF. Placeholder until the verifier lands; signing does not depend on it. */
final class PdfVerifier {
    private PdfVerifier() {
    }

    static VerificationReport verify(Document document, ValidationPolicy policy) throws KysoException, IOException {
        throw new UnsupportedOperationException("PDF verification is not built yet");
    }
}
