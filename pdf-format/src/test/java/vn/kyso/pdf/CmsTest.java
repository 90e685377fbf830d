package vn.kyso.pdf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.PDSignature;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import vn.kyso.Document;
import vn.kyso.PendingSignature;
import vn.kyso.SignatureAlgorithm;
import vn.kyso.SignOptions;
import vn.kyso.Signer;
import vn.kyso.testkit.TestPki;

/** The hand-built CMS of a PAdES signature verifies in Bouncy Castle for any small PDF. */
class CmsTest {
    private static TestPki pki;
    private static Signer rsa;
    private static Signer ec;
    private static Path dir;

    @BeforeContainer
    static void start() throws Exception {
        pki = TestPki.start();
        dir = Files.createTempDirectory("kyso-cms");
        rsa = TestPdfs.signer(pki.person(), dir);
        ec = TestPdfs.signer(pki.ecPerson(), dir);
    }

    @AfterContainer
    static void stop() throws Exception {
        rsa.close();
        ec.close();
        pki.close();
    }

    @Property(tries = 25)
    void signedPdfsVerifyWithBouncyCastleOverTheirByteRange(@ForAll @IntRange(min = 1, max = 4) int pages,
            @ForAll @AlphaChars @StringLength(min = 1, max = 60) String text, @ForAll boolean useEc) throws Exception {
        Signer signer = useEc ? ec : rsa;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new PadesFormat().sign(Document.of(TestPdfs.letter(pages, text), "p.pdf"), signer, SignOptions.defaults(), out);
        byte[] signed = out.toByteArray();
        try (PDDocument doc = Loader.loadPDF(signed)) {
            List<PDSignature> signatures = doc.getSignatureDictionaries();
            assertEquals(1, signatures.size());
            PDSignature signature = signatures.get(0);
            int[] r = signature.getByteRange();
            assertEquals(signed.length, r[2] + r[3]);
            byte[] content = new byte[r[1] + r[3]];
            System.arraycopy(signed, r[0], content, 0, r[1]);
            System.arraycopy(signed, r[2], content, r[1], r[3]);
            CMSSignedData cms = new CMSSignedData(new CMSProcessableByteArray(content), signature.getContents());
            SignerInformation info = cms.getSignerInfos().getSigners().iterator().next();
            assertTrue(info.verify(new JcaSimpleSignerInfoVerifierBuilder().build(signer.certificate())));
            assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(content), info.getContentDigest());
            assertTrue(info.getSignedAttributes().get(PKCSObjectIdentifiers.id_aa_signingCertificateV2) != null);
            assertNull(info.getSignedAttributes().get(CMSAttributes.signingTime), "PAdES puts the time in /M");
            assertEquals(signer.chain().size(), cms.getCertificates().getMatches(null).size());
        }
    }

    @Example
    void rsaPssSignaturesCarryTheirParametersAndVerifyInBouncyCastleAndPdfsig() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (PendingSignature pending = new PadesFormat().prepare(Document.of(TestPdfs.letter(1, "PSS"), "p.pdf"),
                rsa.chain(), SignatureAlgorithm.RSA_PSS_SHA256, SignOptions.defaults())) {
            pending.complete(rsa.sign(pending.request()).get(0), out);
        }
        byte[] signed = out.toByteArray();
        try (PDDocument doc = Loader.loadPDF(signed)) {
            PDSignature signature = doc.getSignatureDictionaries().get(0);
            CMSSignedData cms = new CMSSignedData(new CMSProcessableByteArray(signature.getSignedContent(signed)),
                    signature.getContents());
            SignerInformation info = cms.getSignerInfos().getSigners().iterator().next();
            assertEquals(PKCSObjectIdentifiers.id_RSASSA_PSS.getId(), info.getEncryptionAlgOID());
            assertTrue(info.verify(new JcaSimpleSignerInfoVerifierBuilder()
                    .setProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider()).build(rsa.certificate())));
        }
        assertEquals(List.of(true), Pdfsig.integrity(Files.write(dir.resolve("pss.pdf"), signed)));
    }
    /**
     * A PKCS#1 v1.5 value whose padding holds a SHA-1 DigestInfo followed by extra bytes: lenient
     * parsers that read the DigestInfo and ignore the rest accept forgeries made with small RSA
     * exponents (Bleichenbacher 2006). Only a value that is exactly one DER DigestInfo opens.
     */
    @Example
    void onlyAnExactDigestInfoOpensFromAnRsaValue() throws Exception {
        java.security.interfaces.RSAPublicKey key = (java.security.interfaces.RSAPublicKey) pki.person().publicKey();
        byte[] digest = vn.kyso.DigestAlgorithm.SHA1.digest("tờ khai".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        byte[] info = new org.bouncycastle.asn1.x509.DigestInfo(Cms.digestAlgorithm(vn.kyso.DigestAlgorithm.SHA1), digest)
                .getEncoded(org.bouncycastle.asn1.ASN1Encoding.DER);
        assertArrayEquals(digest, Cms.recoverDigestInfo(key, rawRsa(info)).getDigest());
        byte[] trailing = java.util.Arrays.copyOf(info, info.length + 8);
        assertNull(Cms.recoverDigestInfo(key, rawRsa(trailing)), "a DigestInfo with bytes after it");
        assertNull(Cms.recoverDigestInfo(key, rawRsa(digest)), "a bare digest, no DigestInfo");
        assertNull(Cms.recoverDigestInfo((java.security.interfaces.RSAPublicKey) pki.organization().publicKey(),
                rawRsa(info)), "another key");
    }

    /** The person's RSA private-key operation over PKCS#1 type 1 padding around {@code payload}. */
    private static byte[] rawRsa(byte[] payload) throws Exception {
        int k = (((java.security.interfaces.RSAPublicKey) pki.person().publicKey()).getModulus().bitLength() + 7) / 8;
        byte[] em = new byte[k];
        em[1] = 1;
        java.util.Arrays.fill(em, 2, k - payload.length - 1, (byte) 0xFF);
        System.arraycopy(payload, 0, em, k - payload.length, payload.length);
        javax.crypto.Cipher raw = javax.crypto.Cipher.getInstance("RSA/ECB/NoPadding");
        raw.init(javax.crypto.Cipher.ENCRYPT_MODE, pki.person().privateKey());
        return raw.doFinal(em);
    }
}
