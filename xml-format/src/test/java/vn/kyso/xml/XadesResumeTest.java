package vn.kyso.xml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import vn.kyso.BaselineLevel;
import vn.kyso.Document;
import vn.kyso.Kyso;
import vn.kyso.PendingSignature;
import vn.kyso.PendingStateException;
import vn.kyso.SignOptions;
import vn.kyso.SignatureFormat;
import vn.kyso.Signer;
import vn.kyso.SigningFailedException;
import vn.kyso.ValidationPolicy;
import vn.kyso.VerificationReport;
import vn.kyso.spi.PendingState;
import vn.kyso.testkit.TestIdentity;
import vn.kyso.testkit.TestPki;
import vn.kyso.testkit.TestPkiExtension;

/**
 * An XML signature prepared in one {@link Kyso}, its state saved, and completed from a second
 * {@link Kyso} that shares nothing with the first but the state bytes and the document: the same
 * bytes as completing in the first, for each profile, and a verifying signature.
 */
@ExtendWith(TestPkiExtension.class)
class XadesResumeTest {
    @TempDir
    Path dir;

    private static SignatureFormat xades() throws Exception {
        return Kyso.builder().noScanning().add(new XadesFormat()).build().format("xades");
    }

    private static SignOptions profile(XmlOptions options) {
        return SignOptions.builder().displayText("Ký hóa đơn 0000123").formatOptions(options).build();
    }

    /** Signs {@code xml} in one instance and from a second one; asserts both agree and returns the result. */
    private byte[] signBothWays(TestPki pki, byte[] xml, TestIdentity who, SignOptions options, boolean sameBytes)
            throws Exception {
        try (Signer signer = SigningFixtures.signer(who, dir)) {
            PendingSignature first = xades().prepare(Document.of(xml, "hd.xml"), signer.chain(),
                    SignatureFormat.algorithmFor(signer, options), options);
            byte[] state = first.save();
            byte[] value = signer.sign(first.request()).get(0);
            ByteArrayOutputStream same = new ByteArrayOutputStream();
            first.complete(value, same);

            ByteArrayOutputStream resumed = new ByteArrayOutputStream();
            try (PendingSignature second = xades().resume(Document.of(xml.clone(), "hd.xml"), state)) {
                assertArrayEquals(first.request().digest(0), second.request().digest(0));
                second.complete(value, resumed);
            }
            if (sameBytes) {
                assertArrayEquals(same.toByteArray(), resumed.toByteArray(),
                        new String(resumed.toByteArray(), StandardCharsets.UTF_8));
            } else {
                // a timestamp token is fetched at each completion: only the token differs
                assertNotEquals(0, resumed.size());
            }
            VerificationReport report = xades().verify(Document.of(resumed.toByteArray(), "signed.xml"),
                    ValidationPolicy.builder().trustAnchors(pki.roots()).build());
            assertTrue(report.allPassed(), report.toText());
            return resumed.toByteArray();
        }
    }

    @Test
    void aSellersInvoiceSignatureIsTheSameWhenCompletedFromTheSavedState(TestPki pki) throws Exception {
        signBothWays(pki, SigningFixtures.invoice(3).getBytes(StandardCharsets.UTF_8), pki.invoiceSeller(),
                profile(XmlOptions.of(XmlOptions.Profile.INVOICE_SELLER)), true);
    }

    @Test
    void theTaxAuthoritysSignatureWithItsOwnIdsIsTheSameWhenResumed(TestPki pki) throws Exception {
        // a taxpayer's notice signed by the taxpayer, answered by the tax authority (SigningTime-<uuid> Ids)
        byte[] seller = SigningFixtures.sign(SigningFixtures.notice(), SigningFixtures.signer(pki.invoiceSeller(), dir),
                SigningFixtures.options(XmlOptions.Profile.INVOICE_SELLER));
        signBothWays(pki, seller, pki.taxAuthority(), profile(XmlOptions.of(XmlOptions.Profile.INVOICE_TAX_AUTHORITY)),
                true);
    }

    @Test
    void aTaxDeclarationAndAGenericXadesVoucherAreTheSameWhenResumed(TestPki pki) throws Exception {
        signBothWays(pki, SigningFixtures.taxDeclaration("<CKyDTu/>").getBytes(StandardCharsets.UTF_8),
                pki.organization(), profile(XmlOptions.of(XmlOptions.Profile.TAX_DECLARATION)), true);
        signBothWays(pki, SigningFixtures.voucher().getBytes(StandardCharsets.UTF_8), pki.person(),
                profile(XmlOptions.builder(XmlOptions.Profile.GENERIC).signedElementId("CT-0001")
                        .signatureParentPath("/ChungTu/ChuKy/ThuTruong").xades(true).includeChain(true).build()), true);
        signBothWays(pki, SigningFixtures.minutes().getBytes(StandardCharsets.UTF_8), pki.organization(),
                profile(XmlOptions.builder(XmlOptions.Profile.INVOICE_BUYER).signatureId("NMua-fixed").build()), true);
    }

    @Test
    void aXadesBtSignatureGetsItsTimestampWhenCompletedFromTheState(TestPki pki) throws Exception {
        SignOptions t = SignOptions.builder().level(BaselineLevel.T).timestampUrl(pki.services().tsaUri())
                .formatOptions(XmlOptions.of(XmlOptions.Profile.INVOICE_SELLER)).build();
        byte[] signed = signBothWays(pki, SigningFixtures.invoice(1).getBytes(StandardCharsets.UTF_8),
                pki.invoiceSeller(), t, false);
        assertTrue(new String(signed, StandardCharsets.UTF_8).contains("EncapsulatedTimeStamp"));
    }

    @Test
    void aFileBackedInvoiceResumesFromTheSameFile(TestPki pki) throws Exception {
        Path file = Files.writeString(dir.resolve("hd.xml"), SigningFixtures.invoice(2));
        SignOptions options = profile(XmlOptions.of(XmlOptions.Profile.INVOICE_SELLER));
        try (Signer signer = SigningFixtures.signer(pki.invoiceSeller(), dir)) {
            PendingSignature first = xades().prepare(Document.of(file), signer.chain(),
                    SignatureFormat.algorithmFor(signer, options), options);
            byte[] state = first.save();
            byte[] value = signer.sign(first.request()).get(0);
            ByteArrayOutputStream same = new ByteArrayOutputStream();
            first.complete(value, same);
            ByteArrayOutputStream resumed = new ByteArrayOutputStream();
            xades().resume(Document.of(file), state).complete(value, resumed);
            assertArrayEquals(same.toByteArray(), resumed.toByteArray());
        }
    }

    private byte[] sellerState(TestPki pki, byte[] xml) throws Exception {
        SignOptions options = profile(XmlOptions.of(XmlOptions.Profile.INVOICE_SELLER));
        try (Signer signer = SigningFixtures.signer(pki.invoiceSeller(), dir)) {
            return xades().prepare(Document.of(xml, "hd.xml"), signer.chain(),
                    SignatureFormat.algorithmFor(signer, options), options).save();
        }
    }

    @Test
    void anotherInvoiceOrAnAlteredStateOrAPdfStateIsATypedErrorAndNothingIsWritten(TestPki pki) throws Exception {
        byte[] xml = SigningFixtures.invoice(2).getBytes(StandardCharsets.UTF_8);
        byte[] state = sellerState(pki, xml);
        // the same invoice with one more goods line: not the document the state was prepared for
        byte[] other = SigningFixtures.invoice(3).getBytes(StandardCharsets.UTF_8);
        assertEquals(PendingStateException.Reason.OTHER_DOCUMENT, assertThrows(PendingStateException.class,
                () -> xades().resume(Document.of(other, "hd.xml"), state)).reason());
        byte[] altered = state.clone();
        altered[40] ^= 0x20;
        assertEquals(PendingStateException.Reason.CORRUPT, assertThrows(PendingStateException.class,
                () -> xades().resume(Document.of(xml, "hd.xml"), altered)).reason());
        byte[] pdfState = PendingState.seal("pades", 1, Document.of(xml, "hd.xml"), new PendingState.Writer());
        assertEquals(PendingStateException.Reason.OTHER_FORMAT, assertThrows(PendingStateException.class,
                () -> xades().resume(Document.of(xml, "hd.xml"), pdfState)).reason());
    }

    @Test
    void aWellSealedStateWhoseBodyDoesNotDescribeTheDocumentIsRefused(TestPki pki) throws Exception {
        byte[] xml = SigningFixtures.invoice(2).getBytes(StandardCharsets.UTF_8);
        // whoever holds the state can reseal it (the digest is no secret): a body saying something
        // else than the document (an empty body here) must still be refused, not signed
        byte[] resealed = PendingState.seal("xades", 1, Document.of(xml, "hd.xml"),
                new PendingState.Writer().string("RSA_SHA256"));
        assertEquals(PendingStateException.Reason.CORRUPT, assertThrows(PendingStateException.class,
                () -> xades().resume(Document.of(xml, "hd.xml"), resealed)).reason());
    }

    @Test
    void aValueMadeForAnotherDigestWritesNothing(TestPki pki) throws Exception {
        byte[] xml = SigningFixtures.invoice(1).getBytes(StandardCharsets.UTF_8);
        byte[] state = sellerState(pki, xml);
        try (Signer signer = SigningFixtures.signer(pki.invoiceSeller(), dir)) {
            PendingSignature resumed = xades().resume(Document.of(xml, "hd.xml"), state);
            byte[] value = signer.sign(vn.kyso.SignRequest.of(resumed.request().algorithm(),
                    new byte[32], "")).get(0);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            assertThrows(SigningFailedException.class, () -> resumed.complete(value, out));
            assertEquals(0, out.size());
        }
    }

    private static final byte[] PROPERTY_XML = SigningFixtures.invoice(1).getBytes(StandardCharsets.UTF_8);
    private static byte[] propertyState;

    /** Any one byte of a state changed: refused as a typed error, never resumed into a signature. */
    @Property(tries = 300)
    void anyFlippedByteOfAStateIsRefused(@ForAll @IntRange(min = 0, max = 100_000) int position,
            @ForAll @IntRange(min = 1, max = 255) int mask) throws Exception {
        byte[] state = propertyState();
        byte[] flipped = state.clone();
        flipped[position % state.length] ^= (byte) mask;
        assertThrows(PendingStateException.class,
                () -> new XadesFormat().resume(Document.of(PROPERTY_XML, "hd.xml"), flipped));
    }

    private static synchronized byte[] propertyState() throws Exception {
        if (propertyState == null) {
            try (TestPki pki = TestPki.start()) {
                TestIdentity seller = pki.invoiceSeller();
                SignOptions options = profile(XmlOptions.of(XmlOptions.Profile.INVOICE_SELLER));
                PendingSignature p = new XadesFormat().prepare(Document.of(PROPERTY_XML, "hd.xml"),
                        seller.chain(), vn.kyso.SignatureAlgorithm.forKey(seller.certificate().getPublicKey(),
                                options.digest()), options);
                propertyState = p.save();
            }
        }
        return propertyState;
    }
}
