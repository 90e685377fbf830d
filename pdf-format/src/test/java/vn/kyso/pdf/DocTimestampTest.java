package vn.kyso.pdf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.PDSignature;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.tsp.TimeStampToken;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.kyso.BaselineLevel;
import vn.kyso.Document;
import vn.kyso.SignOptions;
import vn.kyso.Signer;
import vn.kyso.testkit.TestPki;

class DocTimestampTest {
    private static TestPki pki;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        pki = TestPki.start();
    }

    @AfterAll
    static void stop() {
        pki.close();
    }

    private static byte[] signedRange(byte[] pdf, int[] range) {
        byte[] data = new byte[range[1] + range[3]];
        System.arraycopy(pdf, range[0], data, 0, range[1]);
        System.arraycopy(pdf, range[2], data, range[1], range[3]);
        return data;
    }

    @Test
    void levelLtaAddsDssAndADocumentTimestampAfterTheSignature() throws Exception {
        byte[] signed;
        try (Signer signer = TestPdfs.signer(pki.organization(), dir)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            new PadesFormat().sign(Document.of(TestPdfs.letter(2, "LTA"), "in.pdf"), signer, SignOptions.builder()
                    .level(BaselineLevel.LTA).timestampUrl(pki.services().tsaUri()).build(), out);
            signed = out.toByteArray();
        }
        try (PDDocument doc = Loader.loadPDF(signed)) {
            List<PDSignature> signatures = doc.getSignatureDictionaries();
            assertEquals(2, signatures.size());
            PDSignature signature = signatures.get(0);
            PDSignature timestamp = signatures.get(1);

            CMSSignedData cms = new CMSSignedData(new CMSProcessableByteArray(
                    signedRange(signed, signature.getByteRange())), signature.getContents());
            SignerInformation info = cms.getSignerInfos().getSigners().iterator().next();
            X509Certificate cert = pki.organization().certificate();
            assertTrue(info.verify(new JcaSimpleSignerInfoVerifierBuilder().build(cert)));
            assertNotNull(info.getUnsignedAttributes().get(PKCSObjectIdentifiers.id_aa_signatureTimeStampToken));

            COSDictionary dss = doc.getDocumentCatalog().getCOSObject().getCOSDictionary(Dss.DSS);
            assertNotNull(dss);
            assertNotNull(dss.getCOSDictionary(Dss.VRI).getCOSDictionary(
                    COSName.getPDFName(Dss.vriKey(signature.getContents()))));

            assertEquals("DocTimeStamp", timestamp.getCOSObject().getNameAsString(COSName.TYPE));
            assertEquals("ETSI.RFC3161", timestamp.getSubFilter());
            int[] range = timestamp.getByteRange();
            assertEquals(signed.length, range[2] + range[3], "the document timestamp covers the whole file");
            TimeStampToken token = new TimeStampToken(new CMSSignedData(timestamp.getContents()));
            assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(signedRange(signed, range)),
                    token.getTimeStampInfo().getMessageImprintDigest());
            X509CertificateHolder tsa = (X509CertificateHolder) token.getCertificates()
                    .getMatches(token.getSID()).iterator().next();
            token.validate(new JcaSimpleSignerInfoVerifierBuilder().build(tsa));
        }
        Path file = Files.write(dir.resolve("lta.pdf"), signed);
        // poppler 22 cannot check ETSI.RFC3161 document timestamps (the token is checked above with
        // Bouncy Castle); it must still find the CAdES signature intact after both later revisions.
        List<Boolean> valid = Pdfsig.integrity(file);
        assertEquals(2, valid.size());
        assertTrue(valid.get(0), "pdfsig: " + valid);
        assertTrue(Arrays.equals(signed, Files.readAllBytes(file)));
    }

    @Test
    void anOversizedDocumentTimestampTokenIsATypedErrorAndTheStreamStaysEmpty() throws Exception {
        try (LoopbackTsa tsa = new LoopbackTsa(pki, request -> request == 0 ? 0 : 30_000);
                Signer signer = TestPdfs.signer(pki.organization(), dir)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            vn.kyso.SigningFailedException e = org.junit.jupiter.api.Assertions.assertThrows(
                    vn.kyso.SigningFailedException.class, () -> new PadesFormat().sign(Document.of(TestPdfs.letter(1, "LTA"),
                            "in.pdf"), signer, SignOptions.builder().level(BaselineLevel.LTA).timestampUrl(tsa.uri())
                            .build(), out));
            assertTrue(e.getMessage().contains("document timestamp token from " + tsa.uri()), e.getMessage());
            assertEquals(0, out.size(), "the signature and its DSS were not written half-way");
        }
    }
}
