package vn.kyso.pdf;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.io.IOUtils;
import org.apache.pdfbox.io.RandomAccessReadBufferedFile;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.ExternalSigningSupport;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.PDSignature;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.SignatureOptions;
import vn.kyso.DigestAlgorithm;
import vn.kyso.ServiceUnavailableException;
import vn.kyso.SigningFailedException;
import vn.kyso.internal.validation.Net;

/**
 * The document timestamp of PAdES B-LTA: one more incremental update holding an RFC 3161 token
 * (SubFilter ETSI.RFC3161) over everything before it, so the signature and its validation data
 * keep their proof of existence after the algorithms or certificates age.
 */
final class DocTimestamp {
    static final COSName RFC3161 = COSName.getPDFName("ETSI.RFC3161");
    /** Room for a token with its TSA chain; a token that outgrows it is reported, never truncated. */
    private static final int RESERVED = 24_576;

    private DocTimestamp() {
    }

    /**
     * Appends the document timestamp to {@code pdf} and writes the result to {@code out}; the
     * update is assembled in a temporary file first, so a TSA failure or an oversized token
     * leaves {@code out} untouched.
     */
    static void append(Path pdf, URI tsa, Duration timeout, OutputStream out)
            throws IOException, ServiceUnavailableException, SigningFailedException {
        Path stamped = Files.createTempFile("kyso-pades-lta-", ".pdf");
        try {
            try (PDDocument doc = Loader.loadPDF(new RandomAccessReadBufferedFile(pdf.toFile()), "",
                    IOUtils.createTempFileOnlyStreamCache()); SignatureOptions reserve = new SignatureOptions();
                    OutputStream file = Files.newOutputStream(stamped)) {
                PDSignature timestamp = new PDSignature();
                timestamp.setType(COSName.DOC_TIME_STAMP);
                timestamp.setFilter(PDSignature.FILTER_ADOBE_PPKLITE);
                timestamp.setSubFilter(RFC3161);
                reserve.setPreferredSignatureSize(RESERVED);
                doc.addSignature(timestamp, reserve);
                ExternalSigningSupport external = doc.saveIncrementalForExternalSigning(file);
                byte[] imprint = sha256(external.getContent());
                byte[] token = Net.timestamp("pades", tsa, DigestAlgorithm.SHA256, imprint, timeout);
                if (token.length > RESERVED) {
                    throw new SigningFailedException(PadesFormat.ID, "the document timestamp token from " + tsa + " has "
                            + token.length + " bytes, more than the " + RESERVED + " reserved for it: nothing was written; "
                            + "use a timestamp authority that sends a shorter certificate chain, or sign at level LT");
                }
                external.setSignature(token);
            }
            Files.copy(stamped, out);
        } finally {
            Files.deleteIfExists(stamped);
        }
    }

    private static byte[] sha256(InputStream content) throws IOException {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = content.read(buffer)) > 0; ) {
                md.update(buffer, 0, n);
            }
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
