package vn.kyso.pdf;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Calendar;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSStream;
import org.apache.pdfbox.io.RandomAccessRead;
import org.apache.pdfbox.io.RandomAccessReadBuffer;
import org.apache.pdfbox.io.RandomAccessReadBufferedFile;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.PDSignature;
import org.apache.pdfbox.pdmodel.interactive.form.PDSignatureField;
import org.bouncycastle.asn1.ASN1InputStream;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.ess.SigningCertificateV2;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.cms.SignerInformation;
import vn.kyso.DigestAlgorithm;
import vn.kyso.Document;
import vn.kyso.DocumentMalformedException;
import vn.kyso.Finding;
import vn.kyso.Indication;
import vn.kyso.KysoException;
import vn.kyso.SignatureReport;
import vn.kyso.SignatureReport.ChainStatus;
import vn.kyso.SignatureReport.RevocationStatus;
import vn.kyso.SubIndication;
import vn.kyso.ValidationPolicy;
import vn.kyso.VerificationReport;
import vn.kyso.internal.validation.CertificateChecks;
import vn.kyso.internal.validation.NetworkBudget;
import vn.kyso.internal.validation.SignerValidation;
import vn.kyso.internal.validation.Timestamps;

/**
 * Verifies every signature of a PDF with the checks of Circular 15/2025/TT-BKHCN Appendix II:
 * integrity over a ByteRange that must be well formed, the CMS signature, what changed in later
 * revisions, the chain to the caller's anchors, validity and revocation at signing time, and a
 * timestamp when one is present.
 */
final class PdfVerifier {
    private static final int MAX_CONTENTS = 1 << 20;
    /** More signatures than any real document carries; each costs a revision comparison. */
    static final int MAX_SIGNATURES = 100;

    private PdfVerifier() {
    }

    static VerificationReport verify(Document document, ValidationPolicy policy) throws KysoException, IOException {
        if (!PadesFormat.startsWithPdfHeader(document.head(1024))) {
            throw new DocumentMalformedException(PadesFormat.ID, document.name() + " is not a PDF (no %PDF- header)");
        }
        List<SignatureReport> reports = new ArrayList<>();
        try (PDDocument doc = PadesFormat.load(document); RandomAccessRead file = open(document)) {
            long length = file.length();
            Embedded dss = Embedded.read(doc);
            List<PDSignature> signatures = new ArrayList<>();
            List<String> names = new ArrayList<>();
            for (PDSignatureField field : doc.getSignatureFields()) {
                if (field.getSignature() != null) {
                    signatures.add(field.getSignature());
                    String name = field.getFullyQualifiedName();
                    names.add(name == null || name.isBlank() ? "(signature " + (names.size() + 1) + " without a name)" : name);
                }
            }
            if (signatures.size() > MAX_SIGNATURES) {
                throw new DocumentMalformedException(PadesFormat.ID, document.name() + " carries " + signatures.size()
                        + " signatures, more than the " + MAX_SIGNATURES + " kyso verifies in one document");
            }
            List<Integer> order = PdfRevisionAnalyzer.revisionOrder(signatures);
            // one network time for the whole document: many signatures naming dead URLs wait once, not each
            NetworkBudget network = NetworkBudget.of(policy.networkTimeout());
            for (int i : order) {
                reports.add(verifyOne(document, doc, file, length, signatures.get(i), names.get(i), dss, policy,
                        network));
            }
        } catch (IOException e) {
            if (document.file().isPresent() && !java.nio.file.Files.isReadable(document.file().get())) {
                throw e;
            }
            throw new DocumentMalformedException(PadesFormat.ID, document.name() + " cannot be read as a PDF ("
                    + e.getMessage() + ")", e);
        } catch (StackOverflowError e) {
            // PDFBox parses nested arrays and dictionaries recursively: a file nested deep enough exhausts the stack
            throw new DocumentMalformedException(PadesFormat.ID, document.name() + " nests its objects too deeply to be read", e);
        }
        return new VerificationReport(PadesFormat.ID, document.name(), reports);
    }

    private static RandomAccessRead open(Document document) throws IOException {
        if (document.file().isPresent()) {
            return new RandomAccessReadBufferedFile(document.file().get().toFile());
        }
        return new RandomAccessReadBuffer(document.readAllBytes());
    }

    private static SignatureReport verifyOne(Document document, PDDocument doc, RandomAccessRead file, long length,
            PDSignature signature, String name, Embedded dss, ValidationPolicy policy, NetworkBudget network)
            throws IOException {
        SignatureReport.Builder report = SignatureReport.builder(name);
        Calendar m = signature.getSignDate();
        OffsetDateTime claimed = m == null ? null
                : OffsetDateTime.ofInstant(m.toInstant(), PadesFormat.VIETNAM);
        report.claimedSigningTime(claimed);

        int[] range = byteRange(signature);
        String rangeProblem = rangeProblem(range, length);
        byte[] contents = null;
        if (rangeProblem == null) {
            contents = holeContents(file, range);
            if (contents == null) {
                rangeProblem = "the /Contents in the file is not the hex string between the two signed ranges";
            } else if (!Arrays.equals(contents, signature.getContents())) {
                rangeProblem = "the /Contents of the signature dictionary is not the one in the ByteRange hole";
            }
        }
        if (rangeProblem != null) {
            return report.finding(Finding.error("BYTE_RANGE_INVALID", "Vùng dữ liệu được ký (ByteRange) không hợp lệ: "
                    + rangeProblem, "The signed byte range is invalid: " + rangeProblem))
                    .indication(Indication.TOTAL_FAILED, SubIndication.FORMAT_FAILURE).build();
        }
        report.covers("bytes 0-" + range[1] + " and " + range[2] + "-" + (range[2] + range[3]) + " of " + length);
        if ("ETSI.RFC3161".equals(signature.getSubFilter())) {
            return documentTimestamp(report, doc, file, length, range, contents, dss, policy, network);
        }
        SignatureIntegrity.Result integrity;
        try {
            integrity = SignatureIntegrity.check(signature, contents, file, range);
        } catch (SignatureIntegrity.Unreadable e) {
            return report.finding(e.finding).indication(e.indication, e.subIndication).build();
        }
        SignerInformation signer = integrity.signer();
        X509Certificate certificate = integrity.certificate();
        List<X509Certificate> cmsCerts = integrity.certificates();
        DigestAlgorithm digestAlgorithm = integrity.digest();
        AttributeTable signed = integrity.signedAttributes();
        boolean intact = integrity.intact();
        boolean valueValid = integrity.valueValid();
        report.signerCertificate(certificate);
        report.intact(intact && valueValid);
        List<Finding> findings = new ArrayList<>();
        if (intact && valueValid && !certificateBindingHolds(signed, certificate)) {
            findings.add(Finding.error("SIGNING_CERTIFICATE_MISMATCH", "Thuộc tính signing-certificate-v2 không khớp chứng thư số người ký",
                    "The signing-certificate-v2 attribute does not match the signer's certificate"));
        }
        weakAlgorithms(digestAlgorithm, certificate, policy, findings);

        List<X509Certificate> pool = new ArrayList<>(cmsCerts);
        pool.addAll(dss.certificates);
        Instant timestamp = null;
        Attribute tst = signer == null || signer.getUnsignedAttributes() == null ? null
                : signer.getUnsignedAttributes().get(PKCSObjectIdentifiers.id_aa_signatureTimeStampToken);
        if (tst != null) {
            timestamp = timestampTime(tst, signer.getSignature(), pool, policy, network, findings);
            report.timestampTime(timestamp);
        }
        Instant signingTime = timestamp != null ? timestamp
                : claimed != null ? claimed.toInstant() : policy.validationTime().orElseGet(Instant::now);

        modifications(doc, file, length, range, PdfRevisionAnalyzer.certificationLevel(signature.getCOSObject()), report,
                findings);
        PdfRevisionAnalyzer.revisionBoundary(file, range, findings);
        PdfRevisionAnalyzer.docMdp(doc, signature, range, findings);

        SignerValidation.finish(report, intact, valueValid, certificate,
                new SignerValidation.Evidence(pool, dss.ocsps, dss.crls), signingTime, timestamp != null, policy, findings,
                network);
        return report.build();
    }

    private static SignatureReport documentTimestamp(SignatureReport.Builder report, PDDocument doc, RandomAccessRead file,
            long length, int[] range, byte[] contents, Embedded dss, ValidationPolicy policy, NetworkBudget network)
            throws IOException {
        List<Finding> findings = new ArrayList<>();
        modifications(doc, file, length, range, 0, report, findings);
        PdfRevisionAnalyzer.revisionBoundary(file, range, findings);
        findings.forEach(report::finding);
        try {
            Timestamps.Token token = Timestamps.read(der(contents));
            boolean intact = Arrays.equals(digestOfRanges(file, range, token.imprintAlgorithm()), token.imprint());
            X509Certificate tsa = token.tsa();
            Instant time = token.time();
            report.intact(intact).signerCertificate(tsa).timestampTime(time);
            List<X509Certificate> pool = new ArrayList<>(dss.certificates);
            pool.addAll(token.certificates());
            CertificateChecks.Chain chain = CertificateChecks.chain(tsa, pool, time, policy, network);
            report.chain(chain.path()).chainStatus(chain.status(), chain.anchor())
                    .revocation(RevocationStatus.NOT_CHECKED, SignatureReport.RevocationSource.NONE);
            if (!intact) {
                return report.indication(Indication.TOTAL_FAILED, SubIndication.HASH_FAILURE).build();
            }
            if (findings.stream().anyMatch(f -> f.severity() == Finding.Severity.ERROR)) {
                return report.indication(Indication.TOTAL_FAILED, SubIndication.SIG_CONSTRAINTS_FAILURE).build();
            }
            // as of a validation time before it, this timestamp did not exist yet (ETSI EN 319 102-1)
            Optional<Finding> notYet = Timestamps.laterThanValidationTime(time, policy);
            if (notYet.isPresent()) {
                return report.finding(notYet.get()).indication(Indication.INDETERMINATE, SubIndication.NO_POE).build();
            }
            return chain.status() == ChainStatus.TRUSTED ? report.indication(Indication.TOTAL_PASSED, null).build()
                    : report.indication(Indication.INDETERMINATE, SubIndication.NO_CERTIFICATE_CHAIN_FOUND).build();
        } catch (Exception e) {
            return report.finding(Finding.error("TIMESTAMP_INVALID", "Dấu thời gian của tài liệu không hợp lệ",
                    "The document timestamp is invalid: " + e.getMessage()))
                    .indication(Indication.TOTAL_FAILED, SubIndication.SIG_CRYPTO_FAILURE).build();
        }
    }

    /**
     * The time the signature timestamp proves (ETSI EN 319 102-1), or null: an invalid token is an
     * error, one from a TSA outside the anchors is a warning and no proof (the shared rule of
     * {@link Timestamps#proofOfExistence}, as for XAdES).
     */
    private static Instant timestampTime(Attribute attribute, byte[] signatureValue, List<X509Certificate> pool,
            ValidationPolicy policy, NetworkBudget network, List<Finding> findings) {
        Timestamps.Token token;
        try {
            token = Timestamps.read(attribute.getAttrValues().getObjectAt(0).toASN1Primitive().getEncoded());
            if (!token.covers(signatureValue)) {
                throw new IOException("the token does not cover this signature value");
            }
        } catch (Exception e) {
            findings.add(Finding.error("TIMESTAMP_INVALID", "Dấu thời gian của chữ ký không hợp lệ",
                    "The signature timestamp is invalid: " + e.getMessage()));
            return null;
        }
        return Timestamps.proofOfExistence(token, pool, policy, network, findings).orElse(null);
    }

    private static boolean certificateBindingHolds(AttributeTable signed, X509Certificate certificate) {
        Attribute v2 = signed == null ? null : signed.get(PKCSObjectIdentifiers.id_aa_signingCertificateV2);
        if (v2 == null) {
            return true;
        }
        try {
            SigningCertificateV2 sc = SigningCertificateV2.getInstance(v2.getAttrValues().getObjectAt(0));
            var id = sc.getCerts()[0];
            DigestAlgorithm alg = DigestAlgorithm.of(id.getHashAlgorithm().getAlgorithm().getId());
            return Arrays.equals(alg.digest(certificate.getEncoded()), id.getCertHash());
        } catch (Exception e) {
            return false;
        }
    }

    private static void weakAlgorithms(DigestAlgorithm digest, X509Certificate cert, ValidationPolicy policy,
            List<Finding> findings) {
        List<String> weak = new ArrayList<>();
        if (digest.isWeak()) {
            weak.add(digest.jcaName());
        }
        if (cert.getPublicKey() instanceof RSAPublicKey rsa && rsa.getModulus().bitLength() < 2048) {
            weak.add("RSA-" + rsa.getModulus().bitLength());
        }
        if (weak.isEmpty()) {
            return;
        }
        String vi = "Thuật toán yếu: " + String.join(", ", weak) + " (không còn an toàn cho chữ ký mới)";
        String en = "Weak algorithm: " + String.join(", ", weak) + " (no longer safe for new signatures)";
        findings.add(policy.strictAlgorithms() ? Finding.error("WEAK_ALGORITHM", vi, en)
                : Finding.warning("WEAK_ALGORITHM", vi, en));
    }

    private static void modifications(PDDocument finalDoc, RandomAccessRead file, long length, int[] range,
            int certificationLevel, SignatureReport.Builder report, List<Finding> findings) throws IOException {
        long signedEnd = (long) range[2] + range[3];
        if (signedEnd == length) {
            report.coversWholeDocument(true);
            return;
        }
        report.coversWholeDocument(false);
        // a document already in memory has its signed revision copied in memory too; a file's goes to a temp file
        java.nio.file.Path prefix = file instanceof RandomAccessReadBuffer ? null
                : java.nio.file.Files.createTempFile("kyso-revision-", ".pdf");
        try {
            PdfRevisionAnalyzer.updatesAfter(finalDoc, file, signedEnd, findings);
            RandomAccessRead source;
            if (prefix == null) {
                java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream((int) signedEnd);
                copyRange(file, 0, signedEnd, out);
                source = new RandomAccessReadBuffer(out.toByteArray());
            } else {
                try (java.io.OutputStream out = java.nio.file.Files.newOutputStream(prefix)) {
                    copyRange(file, 0, signedEnd, out);
                }
                source = new RandomAccessReadBufferedFile(prefix.toFile());
            }
            try (PDDocument revision = org.apache.pdfbox.Loader.loadPDF(source, "",
                    org.apache.pdfbox.io.IOUtils.createTempFileOnlyStreamCache())) {
                Revisions.Budget budget = new Revisions.Budget();
                Revisions.Fingerprints before = new Revisions.Fingerprints(revision, budget);
                Revisions.Fingerprints after = new Revisions.Fingerprints(finalDoc, budget);
                boolean formWidgets = Revisions.compare(before, after, report, findings);
                PdfRevisionAnalyzer.catalogChanges(before, after, findings);
                PdfRevisionAnalyzer.signatureChanges(before, after, range, findings);
                PdfRevisionAnalyzer.unsignedOverlays(before, after, findings);
                if (formWidgets) {
                    FieldChanges.compare(before, after, certificationLevel, report, findings);
                }
            }
        } catch (Revisions.TooComplexException e) {
            findings.add(Finding.error("REVISION_TOO_COMPLEX", "Tài liệu quá phức tạp để so sánh với phiên bản đã ký",
                    "The document is too complex to compare with the signed revision: " + e.getMessage()));
        } catch (IOException e) {
            findings.add(Finding.error("REVISION_UNREADABLE", "Không đọc được phiên bản tài liệu tại thời điểm ký",
                    "The revision this signature covers cannot be read: " + e.getMessage()));
        } finally {
            if (prefix != null) {
                java.nio.file.Files.deleteIfExists(prefix);
            }
        }
    }

    private static void copyRange(RandomAccessRead file, long from, long length, java.io.OutputStream out)
            throws IOException {
        byte[] buffer = new byte[1 << 16];
        file.seek(from);
        long left = length;
        while (left > 0) {
            int n = file.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n <= 0) {
                throw new IOException("the file ends inside the signed revision");
            }
            out.write(buffer, 0, n);
            left -= n;
        }
    }

    static int[] byteRange(PDSignature signature) {
        COSBase base = signature.getCOSObject().getDictionaryObject(org.apache.pdfbox.cos.COSName.BYTERANGE);
        if (!(base instanceof COSArray array) || array.size() != 4) {
            return null;
        }
        int[] out = new int[4];
        for (int i = 0; i < 4; i++) {
            if (!(array.getObject(i) instanceof org.apache.pdfbox.cos.COSInteger n)) {
                return null;
            }
            long v = n.longValue();
            if (v < 0 || v > Integer.MAX_VALUE) {
                return null;
            }
            out[i] = (int) v;
        }
        return out;
    }

    private static String rangeProblem(int[] r, long length) {
        if (r == null) {
            return "missing, or not four non-negative integers";
        }
        if (r[0] != 0) {
            return "it does not start at the beginning of the file";
        }
        if (r[1] <= 0 || r[2] <= r[1] + 1 || r[3] < 0) {
            return "its ranges are empty, overlapping or out of order";
        }
        if ((long) r[2] + r[3] > length) {
            return "it reaches past the end of the file";
        }
        if (r[2] - r[1] - 2 > 2 * MAX_CONTENTS) {
            return "the unsigned hole is larger than any signature";
        }
        return null;
    }

    /** The bytes of the hex string that fills the hole, or null when the hole is not exactly one hex string. */
    private static byte[] holeContents(RandomAccessRead file, int[] r) throws IOException {
        int holeLength = r[2] - r[1];
        byte[] hole = new byte[holeLength];
        file.seek(r[1]);
        int read = 0;
        while (read < holeLength) {
            int n = file.read(hole, read, holeLength - read);
            if (n <= 0) {
                return null;
            }
            read += n;
        }
        if (hole[0] != '<' || hole[holeLength - 1] != '>') {
            return null;
        }
        String hex = new String(hole, 1, holeLength - 2, java.nio.charset.StandardCharsets.US_ASCII);
        if (hex.length() % 2 != 0 || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            return null;
        }
        return HexFormat.of().parseHex(hex);
    }

    static byte[] digestOfRanges(RandomAccessRead file, int[] r, DigestAlgorithm alg) throws IOException {
        try {
            MessageDigest md = MessageDigest.getInstance(alg.jcaName());
            byte[] buffer = new byte[1 << 16];
            for (int k = 0; k < 4; k += 2) {
                file.seek(r[k]);
                long left = r[k + 1];
                while (left > 0) {
                    int n = file.read(buffer, 0, (int) Math.min(buffer.length, left));
                    if (n <= 0) {
                        throw new IOException("the file ends inside a signed range");
                    }
                    md.update(buffer, 0, n);
                    left -= n;
                }
            }
            return md.digest();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The DER CMS without the zero padding that fills the rest of /Contents. */
    static byte[] der(byte[] contents) throws IOException {
        try (ASN1InputStream in = new ASN1InputStream(new ByteArrayInputStream(contents), MAX_CONTENTS)) {
            ASN1Primitive object = in.readObject();
            if (object == null) {
                throw new IOException("empty signature contents");
            }
            return object.getEncoded();
        }
    }

    /**
     * Certificates, OCSP responses and CRLs of the document's DSS, read within bounds: a stream
     * referenced many times is read once, and the decompressed total is capped, so a small file
     * whose DSS lists one compressed bomb a thousand times cannot exhaust memory.
     */
    static final class Embedded {
        /** Decompressed bytes of one DSS entry; larger entries are cut (and then do not parse). */
        static final int MAX_ENTRY = MAX_CONTENTS * 8;
        /** Decompressed bytes of the whole DSS: far above the certificates, OCSP responses and CRLs of real chains. */
        static final long MAX_TOTAL = 48L << 20;
        /** Entries read from each of /Certs, /OCSPs and /CRLs. */
        static final int MAX_ENTRIES = 1000;
        final List<X509Certificate> certificates = new ArrayList<>();
        final List<byte[]> ocsps = new ArrayList<>();
        final List<X509CRL> crls = new ArrayList<>();
        private final java.util.Set<COSStream> read = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        private long total;

        static Embedded read(PDDocument doc) throws DocumentMalformedException {
            Embedded e = new Embedded();
            COSDictionary dss = doc.getDocumentCatalog().getCOSObject().getCOSDictionary(Dss.DSS);
            if (dss == null) {
                return e;
            }
            for (byte[] der : e.streams(dss.getCOSArray(Dss.CERTS))) {
                try {
                    e.certificates.add((X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
                            .generateCertificate(new ByteArrayInputStream(der)));
                } catch (Exception ignored) {
                    // an unreadable entry adds nothing; the chain check reports what is missing
                }
            }
            e.ocsps.addAll(e.streams(dss.getCOSArray(Dss.OCSPS)));
            for (byte[] der : e.streams(dss.getCOSArray(Dss.CRLS))) {
                CertificateChecks.parseCrl(der).ifPresent(e.crls::add);
            }
            return e;
        }

        private List<byte[]> streams(COSArray array) throws DocumentMalformedException {
            List<byte[]> out = new ArrayList<>();
            if (array == null) {
                return out;
            }
            for (int i = 0; i < array.size() && i < MAX_ENTRIES; i++) {
                if (array.getObject(i) instanceof COSStream stream && read.add(stream) && singleFilter(stream)) {
                    try (InputStream in = stream.createInputStream()) {
                        byte[] bytes = in.readNBytes((int) Math.min(MAX_ENTRY, MAX_TOTAL - total + 1));
                        total += bytes.length;
                        if (total > MAX_TOTAL) {
                            throw new DocumentMalformedException(PadesFormat.ID, "the document's validation data (DSS) "
                                    + "decompresses to more than " + (MAX_TOTAL >> 20) + " MB, more than any real "
                                    + "certificate chain needs");
                        }
                        out.add(bytes);
                    } catch (IOException ignored) {
                        // skip a broken stream
                    }
                }
            }
            return out;
        }

        /**
         * Whether the stream has at most one filter: PAdES writers compress DSS entries once, and a
         * chain of filters decodes each stage whole before the next, which no cap on the output bounds.
         */
        private static boolean singleFilter(COSStream stream) {
            return !(stream.getFilters() instanceof COSArray filters) || filters.size() <= 1;
        }
    }
}
