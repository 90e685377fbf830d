package vn.kyso.pdf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.Calendar;
import java.util.List;
import java.util.TimeZone;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSString;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.PDSignature;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.SignatureInterface;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.kyso.DigestAlgorithm;
import vn.kyso.Document;
import vn.kyso.Finding;
import vn.kyso.Indication;
import vn.kyso.SignatureReport;
import vn.kyso.SubIndication;
import vn.kyso.ValidationPolicy;
import vn.kyso.testkit.TestIdentity;
import vn.kyso.testkit.TestPki;

/**
 * Signatures in the forms older Vietnamese software wrote (adbe.pkcs7.sha1, adbe.x509.rsa_sha1, a
 * CMS carrying only the signer's certificate), made here with PDFBox's external signing and
 * Bouncy Castle: each is genuine and must verify for what it is, with the weak-algorithm warning,
 * never as altered; a changed signed byte fails each of them.
 */
class SignatureIntegrityTest {
    private static TestPki pki;
    private static ValidationPolicy offline;
    private static ValidationPolicy strict;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        pki = TestPki.start();
        offline = ValidationPolicy.builder().trustAnchors(pki.roots()).intermediates(intermediates(pki.person()))
                .revocation(ValidationPolicy.Revocation.NONE).build();
        strict = ValidationPolicy.builder().trustAnchors(pki.roots()).intermediates(intermediates(pki.person()))
                .revocation(ValidationPolicy.Revocation.NONE).strictAlgorithms(true).build();
    }

    @AfterAll
    static void stop() {
        pki.close();
    }

    private static List<X509Certificate> intermediates(TestIdentity who) {
        return who.chain().subList(1, who.chain().size());
    }

    /** {@code pdf} signed incrementally by PDFBox under {@code subFilter}, /Contents made by {@code contents}. */
    private static byte[] sign(byte[] pdf, String subFilter, List<X509Certificate> cert, SignatureInterface contents)
            throws Exception {
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            PDSignature signature = new PDSignature();
            signature.setFilter(PDSignature.FILTER_ADOBE_PPKLITE);
            signature.setSubFilter(COSName.getPDFName(subFilter));
            signature.setName("Nguyen Van An");
            signature.setSignDate(Calendar.getInstance(TimeZone.getTimeZone("GMT+07:00")));
            if (!cert.isEmpty()) {
                COSArray certs = new COSArray();
                for (X509Certificate c : cert) {
                    certs.add(new COSString(c.getEncoded()));
                }
                signature.getCOSObject().setItem(COSName.getPDFName("Cert"), certs);
            }
            doc.addSignature(signature, contents);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            doc.saveIncremental(out);
            return out.toByteArray();
        }
    }

    /**
     * adbe.pkcs7.sha1 as older software wrote it: a CMS (not detached) whose content is the SHA-1 of
     * the ByteRange bytes, signed with or without signed attributes.
     */
    private static SignatureInterface pkcs7Sha1(TestIdentity who, boolean signedAttributes) {
        return content -> cms(who, DigestAlgorithm.SHA1.digest(content.readAllBytes()), true, signedAttributes,
                who.chain());
    }

    private static byte[] cms(TestIdentity who, byte[] data, boolean encapsulate, boolean signedAttributes,
            List<X509Certificate> certificates) throws IOException {
        try {
            CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
            generator.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder()
                    .build()).setDirectSignature(!signedAttributes).build(new JcaContentSignerBuilder("SHA1withRSA")
                    .build(who.privateKey()), who.certificate()));
            generator.addCertificates(new JcaCertStore(certificates));
            return generator.generate(new CMSProcessableByteArray(data), encapsulate).getEncoded();
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    /** adbe.x509.rsa_sha1: a DER OCTET STRING holding the PKCS#1 v1.5 SHA-1 RSA value over the ByteRange bytes. */
    private static SignatureInterface x509RsaSha1(TestIdentity who) {
        return content -> {
            try {
                Signature rsa = Signature.getInstance("SHA1withRSA");
                rsa.initSign(who.privateKey());
                rsa.update(content.readAllBytes());
                return new DEROctetString(rsa.sign()).getEncoded();
            } catch (java.security.GeneralSecurityException e) {
                throw new IOException(e);
            }
        };
    }

    private static SignatureReport verify(byte[] pdf, ValidationPolicy policy) throws Exception {
        List<SignatureReport> signatures = new PadesFormat().verify(Document.of(pdf, "legacy.pdf"), policy).signatures();
        assertEquals(1, signatures.size());
        return signatures.get(0);
    }

    private static boolean has(SignatureReport s, String code, Finding.Severity severity) {
        return s.findings().stream().anyMatch(f -> f.code().equals(code) && f.severity() == severity);
    }

    /**
     * One byte of the signed part changed: the second header line, a binary comment that every
     * reader skips, so the file still opens and only the signature can tell.
     */
    private static byte[] tampered(byte[] signed) {
        byte[] copy = signed.clone();
        int at = new String(signed, StandardCharsets.ISO_8859_1).indexOf("\n%") + 2;
        copy[at] ^= 0x01;
        return copy;
    }

    /** The checks every legacy form must pass: genuine verifies with the weak warning (an error when strict), tampered fails. */
    private void genuineAndTampered(String name, byte[] signed) throws Exception {
        genuineAndTampered(name, signed, pdf -> Pdfsig.integrity(Files.write(dir.resolve(name + ".pdf"), pdf)).equals(
                List.of(true)));
    }

    /** An independent reader's verdict on a signature's integrity. */
    private interface Independent {
        boolean intact(byte[] pdf) throws Exception;
    }

    private void genuineAndTampered(String name, byte[] signed, Independent independent) throws Exception {
        SignatureReport s = verify(signed, offline);
        assertEquals(Indication.TOTAL_PASSED, s.indication(), name + ": " + s);
        assertTrue(s.intact(), name);
        assertTrue(has(s, "WEAK_ALGORITHM", Finding.Severity.WARNING), name + ": " + s.findings());
        assertFalse(has(s, "CONTENT_ALTERED", Finding.Severity.ERROR), name);

        SignatureReport strictly = verify(signed, strict);
        assertEquals(Indication.TOTAL_FAILED, strictly.indication(), name);
        assertEquals(SubIndication.CRYPTO_CONSTRAINTS_FAILURE, strictly.subIndication().orElseThrow(), name);
        assertTrue(has(strictly, "WEAK_ALGORITHM", Finding.Severity.ERROR), name);

        assertTrue(independent.intact(signed), name + ": the independent verifier disagrees");

        byte[] changed = tampered(signed);
        SignatureReport altered = verify(changed, offline);
        assertEquals(Indication.TOTAL_FAILED, altered.indication(), name + ": " + altered);
        assertEquals(SubIndication.HASH_FAILURE, altered.subIndication().orElseThrow(), name + ": " + altered);
        assertFalse(altered.intact(), name);
        assertFalse(independent.intact(changed), name + ": the independent verifier disagrees on the changed file");
    }

    @Test
    void anAdbePkcs7Sha1SignatureWithSignedAttributesVerifiesAsGenuineWithAWeakAlgorithmWarning() throws Exception {
        // before: the messageDigest (over the SHA-1 content) was compared with the ByteRange digest, CONTENT_ALTERED
        byte[] signed = sign(TestPdfs.letter(1, "To khai thue GTGT 2013"), SignatureIntegrity.PKCS7_SHA1, List.of(),
                pkcs7Sha1(pki.person(), true));
        genuineAndTampered("pkcs7-sha1", signed);
    }

    @Test
    void anAdbePkcs7Sha1SignatureWithoutSignedAttributesVerifiesAsGenuine() throws Exception {
        byte[] signed = sign(TestPdfs.letter(1, "To khai thue GTGT 2013"), SignatureIntegrity.PKCS7_SHA1, List.of(),
                pkcs7Sha1(pki.person(), false));
        genuineAndTampered("pkcs7-sha1-direct", signed);
    }

    @Test
    void anAdbePkcs7Sha1WhoseContentIsNotTheByteRangeDigestFails() throws Exception {
        // a CMS genuinely signed over some other document's SHA-1, pasted into this one: the signer never saw these bytes
        byte[] other = DigestAlgorithm.SHA1.digest("another document".getBytes(StandardCharsets.US_ASCII));
        byte[] pasted = sign(TestPdfs.letter(1, "Hoa don"), SignatureIntegrity.PKCS7_SHA1, List.of(),
                content -> cms(pki.person(), other, true, true, pki.person().chain()));
        SignatureReport s = verify(pasted, offline);
        assertEquals(Indication.TOTAL_FAILED, s.indication(), s.toString());
        assertEquals(SubIndication.HASH_FAILURE, s.subIndication().orElseThrow());
    }

    @Test
    void anAdbeX509RsaSha1SignatureWithItsCertificatesInCertVerifiesAsGenuine() throws Exception {
        // before: /Contents was parsed as a CMS, CMS_MALFORMED
        byte[] signed = sign(TestPdfs.letter(1, "Bao cao tai chinh 2012"), SignatureIntegrity.X509_RSA_SHA1,
                pki.person().chain(), x509RsaSha1(pki.person()));
        SignatureReport s = verify(signed, offline);
        assertEquals(pki.person().certificate(), s.signerCertificate().orElseThrow());
        // poppler cannot check this form ("Unable to validate this type of signature"): openssl checks the RSA value
        genuineAndTampered("x509-rsa-sha1", signed, this::opensslVerifiesX509RsaSha1);
    }

    /** openssl's verdict on an adbe.x509.rsa_sha1 signature: the PKCS#1 value in /Contents over the ByteRange bytes. */
    private boolean opensslVerifiesX509RsaSha1(byte[] pdf) throws Exception {
        byte[] value;
        byte[] certificate;
        int[] range;
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            PDSignature signature = doc.getLastSignatureDictionary();
            value = org.bouncycastle.asn1.ASN1OctetString.getInstance(PdfVerifier.der(signature.getContents())).getOctets();
            certificate = ((COSString) ((COSArray) signature.getCOSObject().getDictionaryObject(COSName.getPDFName("Cert")))
                    .getObject(0)).getBytes();
            range = signature.getByteRange();
        }
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        data.write(pdf, range[0], range[1]);
        data.write(pdf, range[2], range[3]);
        Path cert = Files.write(dir.resolve("signer.der"), certificate);
        Path key = dir.resolve("signer-key.pem");
        openssl("x509", "-inform", "DER", "-in", cert.toString(), "-pubkey", "-noout", "-out", key.toString());
        String out = openssl("dgst", "-sha1", "-verify", key.toString(), "-signature",
                Files.write(dir.resolve("value.bin"), value).toString(),
                Files.write(dir.resolve("signed.bin"), data.toByteArray()).toString());
        return out.contains("Verified OK");
    }

    private static String openssl(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "openssl did not finish");
        return out;
    }

    @Test
    void anAdbeX509RsaSha1ValueMadeByAnotherKeyIsASignatureFailureNotAPass() throws Exception {
        // the /Cert names the person, but the value was made by the organization's key
        byte[] forged = sign(TestPdfs.letter(1, "Bao cao"), SignatureIntegrity.X509_RSA_SHA1, pki.person().chain(),
                x509RsaSha1(pki.organization()));
        SignatureReport s = verify(forged, offline);
        assertEquals(Indication.TOTAL_FAILED, s.indication(), s.toString());
        assertEquals(SubIndication.SIG_CRYPTO_FAILURE, s.subIndication().orElseThrow());
    }

    @Test
    void anAdbeX509RsaSha1WithoutCertificatesHasNoSigningCertificate() throws Exception {
        byte[] signed = sign(TestPdfs.letter(1, "Bao cao"), SignatureIntegrity.X509_RSA_SHA1, List.of(),
                x509RsaSha1(pki.person()));
        SignatureReport s = verify(signed, offline);
        assertEquals(Indication.INDETERMINATE, s.indication(), s.toString());
        assertEquals(SubIndication.NO_SIGNING_CERTIFICATE_FOUND, s.subIndication().orElseThrow());
    }

    @Test
    void aDetachedCmsWithoutSignedAttributesVerifiesOverTheByteRange() throws Exception {
        byte[] signed = sign(TestPdfs.letter(1, "Cong van 2014"), SignatureIntegrity.PKCS7_DETACHED, List.of(),
                content -> cms(pki.person(), content.readAllBytes(), false, false, pki.person().chain()));
        genuineAndTampered("pkcs7-detached-direct", signed);
    }

    @Test
    void aCmsCarryingOnlyTheSignersCertificateIsIntactAndItsChainComesFromThePolicyOrTheIssuersUrl() throws Exception {
        TestIdentity person = pki.person();
        byte[] signed = sign(TestPdfs.letter(1, "Cong van"), SignatureIntegrity.PKCS7_DETACHED, List.of(),
                content -> cms(person, content.readAllBytes(), false, true, List.of(person.certificate())));

        ValidationPolicy anchorsOnly = ValidationPolicy.builder().trustAnchors(pki.roots())
                .revocation(ValidationPolicy.Revocation.NONE).build();
        SignatureReport unknownPath = verify(signed, anchorsOnly);
        assertTrue(unknownPath.intact(), unknownPath.toString());
        assertEquals(Indication.INDETERMINATE, unknownPath.indication(), unknownPath.toString());
        assertEquals(SubIndication.NO_CERTIFICATE_CHAIN_FOUND, unknownPath.subIndication().orElseThrow());
        assertFalse(has(unknownPath, "CONTENT_ALTERED", Finding.Severity.ERROR));

        assertEquals(Indication.TOTAL_PASSED, verify(signed, offline).indication(), "intermediates from the policy");
        ByteArrayOutputStream withDss = new ByteArrayOutputStream();
        Dss.appendValidationData(Files.write(dir.resolve("signer-only-no-dss.pdf"), signed), person.chain(),
                java.time.Duration.ofSeconds(5), withDss);
        SignatureReport fromDss = verify(withDss.toByteArray(), anchorsOnly);
        assertEquals(Indication.TOTAL_PASSED, fromDss.indication(), "intermediate from the DSS: " + fromDss);
        ValidationPolicy online = ValidationPolicy.builder().trustAnchors(pki.roots())
                .revocation(ValidationPolicy.Revocation.EMBEDDED_THEN_ONLINE).build();
        SignatureReport fetched = verify(signed, online);
        assertEquals(Indication.TOTAL_PASSED, fetched.indication(), "issuer from AIA caIssuers: " + fetched);
        assertEquals(List.of(true), Pdfsig.integrity(Files.write(dir.resolve("signer-only.pdf"), signed)));
    }

    @Test
    void anUnknownSubFilterIsAFormatFailureNeverAPass() throws Exception {
        // a detached CMS that would verify, under a SubFilter no standard defines: a reader cannot know how it was meant
        byte[] signed = sign(TestPdfs.letter(1, "Cong van"), "vn.example.sha256", List.of(),
                content -> cms(pki.person(), content.readAllBytes(), false, true, pki.person().chain()));
        SignatureReport s = verify(signed, offline);
        assertEquals(Indication.TOTAL_FAILED, s.indication());
        assertEquals(SubIndication.FORMAT_FAILURE, s.subIndication().orElseThrow());
        assertTrue(has(s, "SUBFILTER_UNSUPPORTED", Finding.Severity.ERROR), s.findings().toString());
    }
}
