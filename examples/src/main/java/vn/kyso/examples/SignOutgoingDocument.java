package vn.kyso.examples;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import vn.kyso.BaselineLevel;
import vn.kyso.CredentialCallback;
import vn.kyso.Document;
import vn.kyso.KeySource;
import vn.kyso.Kyso;
import vn.kyso.KysoException;
import vn.kyso.SignOptions;
import vn.kyso.Signer;

/**
 * A document-management system signs an outgoing letter with the organization's key file and a
 * timestamp, so the signature stays provable after the certificate expires.
 */
public final class SignOutgoingDocument {
    private SignOutgoingDocument() {
    }

    /**
     * Signs {@code pdf} into {@code signedPdf}; the output appears whole or not at all.
     *
     * @param keyFile the organization's PKCS#12 file
     * @param password asked once, cleared by kyso after use
     * @param tsa the timestamp authority the agency uses
     */
    public static void sign(Kyso kyso, Path pdf, Path signedPdf, Path keyFile, char[] password, URI tsa)
            throws KysoException, IOException {
        SignOptions options = SignOptions.builder()
                .level(BaselineLevel.T)
                .timestampUrl(tsa)
                .documentType("Công văn")
                .displayText("Ký văn bản " + pdf.getFileName())
                .build();
        try (KeySource keys = kyso.connect("pkcs12", Map.of("file", keyFile.toString()), CredentialCallback.of(password));
                Signer signer = keys.open(keys.keys().get(0).id())) {
            kyso.format("pades").sign(Document.of(pdf), signer, options, signedPdf);
        }
    }
}
