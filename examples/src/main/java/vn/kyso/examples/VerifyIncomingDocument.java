package vn.kyso.examples;

import java.io.IOException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import vn.kyso.Document;
import vn.kyso.Kyso;
import vn.kyso.KysoException;
import vn.kyso.ValidationPolicy;
import vn.kyso.VerificationReport;

/**
 * A receiving agency checks an incoming document (PDF or XML, recognised by content) against
 * the Vietnamese roots it trusts, and shows the result in Vietnamese as Circular 15/2025 asks.
 */
public final class VerifyIncomingDocument {
    private VerifyIncomingDocument() {
    }

    /** Verifies every signature of {@code file}; the report says per signature why it is not valid. */
    public static VerificationReport verify(Kyso kyso, Path file, List<X509Certificate> trustedRoots)
            throws KysoException, IOException {
        ValidationPolicy policy = ValidationPolicy.builder()
                .trustAnchors(trustedRoots)
                .revocation(ValidationPolicy.Revocation.EMBEDDED_THEN_ONLINE)
                .build();
        Document document = Document.of(file);
        return kyso.formatFor(document).verify(document, policy);
    }
}
