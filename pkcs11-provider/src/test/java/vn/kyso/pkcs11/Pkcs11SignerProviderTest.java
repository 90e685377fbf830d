package vn.kyso.pkcs11;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Signature;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.kyso.CredentialCallback;
import vn.kyso.CredentialRequest;
import vn.kyso.DeviceKind;
import vn.kyso.Document;
import vn.kyso.DriverNotFoundException;
import vn.kyso.InMemoryCertificateRegistry;
import vn.kyso.InMemoryUsageReporter;
import vn.kyso.KeyDescriptor;
import vn.kyso.KeySource;
import vn.kyso.Kyso;
import vn.kyso.PinIncorrectException;
import vn.kyso.SignOptions;
import vn.kyso.SignRequest;
import vn.kyso.SignatureAlgorithm;
import vn.kyso.Signer;
import vn.kyso.StaffGroup;
import vn.kyso.TokenAbsentException;
import vn.kyso.ValidationPolicy;
import vn.kyso.VerificationReport;
import vn.kyso.testkit.TestPki;

class Pkcs11SignerProviderTest {
    private static TestPki pki;
    private final Pkcs11SignerProvider provider = new Pkcs11SignerProvider();

    @TempDir
    Path dir;

    @BeforeAll
    static void tokens() throws Exception {
        pki = SoftHsm.tokens();
    }

    private KeySource connect(String token) throws Exception {
        return provider.connect(Map.of("library", SoftHsm.MODULE.toString(), "token", token),
                CredentialCallback.of(SoftHsm.PIN.toCharArray()));
    }

    @Test
    void twoTokensArePickedByLabelOrBySerialNeverBySlot() throws Exception {
        try (KeySource leader = connect(SoftHsm.LEADER_TOKEN); KeySource clerk = connect(SoftHsm.CLERK_TOKEN)) {
            List<KeyDescriptor> leaderKeys = leader.keys();
            assertEquals(2, leaderKeys.size());
            assertTrue(leaderKeys.stream().allMatch(k -> k.deviceKind() == DeviceKind.USB_TOKEN));
            assertEquals(pki.person().certificate(), leaderKeys.stream().filter(k -> k.id().endsWith("/01"))
                    .findFirst().orElseThrow().certificate());
            KeyDescriptor rsa = leaderKeys.stream().filter(k -> k.id().endsWith("/01")).findFirst().orElseThrow();
            assertEquals(2, rsa.chain().size(), "the CA certificate on the token continues the chain");
            assertEquals(pki.organization().certificate(), clerk.keys().get(0).certificate());
        }
        String serial = SoftHsm.serialOf(SoftHsm.CLERK_TOKEN);
        try (KeySource bySerial = connect(serial)) {
            assertEquals(pki.organization().certificate(), bySerial.keys().get(0).certificate());
            assertTrue(bySerial.keys().get(0).id().startsWith(serial + "/"));
        }
        try (KeySource all = provider.connect(Map.of("library", SoftHsm.MODULE.toString()),
                CredentialCallback.of(SoftHsm.PIN.toCharArray()))) {
            assertEquals(4, all.keys().size(), "every key on the three tokens");
        }
    }

    @Test
    void aMissingTokenIsTokenAbsentAndSaysWhatToDo() throws Exception {
        try (KeySource source = connect("no-such-token")) {
            var e = assertThrows(TokenAbsentException.class, source::keys);
            assertTrue(e.getMessage().contains("no-such-token") && e.getMessage().contains("plug"), e.getMessage());
        }
    }

    @Test
    void aTokenPluggedInAfterStartIsFoundByInitializingTheDriverAgain() throws Exception {
        try (KeySource before = connect(SoftHsm.CLERK_TOKEN)) {
            assertEquals(1, before.keys().size(), "the driver is initialized and sees the first tokens");
        }
        SoftHsm.plugIn("kyso-moi-cam");
        try (KeySource after = connect("kyso-moi-cam")) {
            assertEquals(List.of(), after.keys(), "the new token is found (it holds no key yet) instead of TokenAbsent");
        }
        try (KeySource clerk = connect(SoftHsm.CLERK_TOKEN); Signer s = clerk.open(clerk.keys().get(0).id())) {
            assertTrue(s.sign(SignatureAlgorithm.RSA_SHA256, new byte[32], "").length > 0, "old tokens still sign");
        }
    }

    @Test
    void aWrongDriverPathOrArchitectureIsDriverNotFound() throws Exception {
        var missing = assertThrows(DriverNotFoundException.class, () -> provider.connect(
                Map.of("library", dir.resolve("vnptca_p11_v8.dll").toString()), CredentialCallback.none()));
        assertTrue(missing.getMessage().contains("install"));
        byte[] elf32 = new byte[64];
        elf32[0] = 0x7F;
        elf32[1] = 'E';
        elf32[2] = 'L';
        elf32[3] = 'F';
        elf32[4] = 1;
        Path driver = Files.write(dir.resolve("libcastle.so.1.0.0"), elf32);
        var wrongArch = assertThrows(DriverNotFoundException.class,
                () -> provider.connect(Map.of("library", driver.toString()), CredentialCallback.none()));
        assertTrue(wrongArch.wrongArchitecture());
        assertTrue(wrongArch.getMessage().contains("32-bit"), wrongArch.getMessage());
        var noneFound = assertThrows(DriverNotFoundException.class, () -> provider.connect(
                Map.of("libraries", dir.resolve("a.so") + "," + dir.resolve("b.so")), CredentialCallback.none()));
        assertTrue(noneFound.getMessage().contains("tried 2"), noneFound.getMessage());
    }

    @Test
    void aWrongPinIsAskedOnceWithTheTokenNamedAndNeverRetried() throws Exception {
        AtomicInteger asked = new AtomicInteger();
        AtomicReference<CredentialRequest> request = new AtomicReference<>();
        try (KeySource source = provider.connect(Map.of("library", SoftHsm.MODULE.toString(), "token",
                SoftHsm.CLERK_TOKEN), r -> {
                    asked.incrementAndGet();
                    request.set(r);
                    return "000000".toCharArray();
                })) {
            String id = source.keys().get(0).id();
            assertThrows(PinIncorrectException.class, () -> source.open(id));
        }
        assertEquals(1, asked.get());
        assertEquals(SoftHsm.CLERK_TOKEN, request.get().target());
        assertEquals(CredentialRequest.Kind.PIN, request.get().kind());
        try (KeySource source = connect(SoftHsm.CLERK_TOKEN); Signer s = source.open(source.keys().get(0).id())) {
            assertTrue(s.sign(SignatureAlgorithm.RSA_SHA256, new byte[32], "").length > 0, "the right PIN still works");
        }
    }

    @Test
    void aKeyThatAsksItsPinAtEverySigningAsksOncePerBatchAndNeverRetriesAWrongOne() throws Exception {
        List<CredentialRequest> asked = new ArrayList<>();
        AtomicReference<String> signaturePin = new AtomicReference<>(SoftHsm.PIN);
        try (KeySource source = provider.connect(Map.of("library", SoftHsm.MODULE.toString(), "token",
                SoftHsm.SIGNATURE_PIN_TOKEN), r -> {
                    asked.add(r);
                    return (r.kind() == CredentialRequest.Kind.PIN ? SoftHsm.PIN : signaturePin.get()).toCharArray();
                }); Signer signer = source.open(source.keys().get(0).id())) {
            assertEquals(pki.invoiceSeller().certificate(), signer.certificate());
            List<byte[]> digests = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                digests.add(SignatureAlgorithm.RSA_SHA256.digest().digest(new byte[] {(byte) i}));
            }
            List<byte[]> values = signer.sign(SignRequest.batch(SignatureAlgorithm.RSA_SHA256, digests, "Ký 5 hóa đơn"));
            for (int i = 0; i < 5; i++) {
                Signature v = Signature.getInstance("SHA256withRSA");
                v.initVerify(signer.certificate());
                v.update(new byte[] {(byte) i});
                assertTrue(v.verify(values.get(i)), "signature " + i);
            }
            assertEquals(List.of(CredentialRequest.Kind.PIN, CredentialRequest.Kind.SIGNATURE_PIN),
                    asked.stream().map(CredentialRequest::kind).toList(), "one login PIN, one signature PIN for the batch");
            assertEquals(SoftHsm.SIGNATURE_PIN_TOKEN, asked.get(1).target());

            signaturePin.set("000000");
            PinIncorrectException wrong = assertThrows(PinIncorrectException.class,
                    () -> signer.sign(SignatureAlgorithm.RSA_SHA256, new byte[32], ""));
            assertTrue(wrong.getMessage().contains("signature PIN"), wrong.getMessage());
            assertEquals(3, asked.size(), "a wrong signature PIN is asked once, never retried");

            signaturePin.set(SoftHsm.PIN);
            assertTrue(signer.sign(SignatureAlgorithm.RSA_SHA256, new byte[32], "").length > 0,
                    "the right signature PIN works again on the same session");
        }
    }

    @Test
    void aBatchOfOneHundredDigestsSignsUnderOneLogin() throws Exception {
        AtomicInteger logins = new AtomicInteger();
        try (KeySource source = provider.connect(Map.of("library", SoftHsm.MODULE.toString(), "token",
                SoftHsm.CLERK_TOKEN), r -> {
                    logins.incrementAndGet();
                    return SoftHsm.PIN.toCharArray();
                }); Signer signer = source.open(source.keys().get(0).id())) {
            List<byte[]> data = new ArrayList<>();
            List<byte[]> digests = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                data.add(("hóa đơn " + i).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                digests.add(SignatureAlgorithm.RSA_SHA256.digest().digest(data.get(i)));
            }
            List<byte[]> values = signer.sign(SignRequest.batch(SignatureAlgorithm.RSA_SHA256, digests, "Ký 100 hóa đơn"));
            for (int i = 0; i < 100; i++) {
                Signature v = Signature.getInstance("SHA256withRSA");
                v.initVerify(signer.certificate());
                v.update(data.get(i));
                assertTrue(v.verify(values.get(i)));
            }
        }
        assertEquals(1, logins.get());
    }

    @Test
    void aPdfIsSignedEndToEndOnTheTokenAndItsCertificatesGoIntoTheRegister() throws Exception {
        InMemoryUsageReporter usage = new InMemoryUsageReporter();
        Kyso kyso = Kyso.builder().usageReporter(usage).build();
        InMemoryCertificateRegistry registry = new InMemoryCertificateRegistry();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] pdf;
        try (org.apache.pdfbox.pdmodel.PDDocument doc = new org.apache.pdfbox.pdmodel.PDDocument()) {
            doc.addPage(new org.apache.pdfbox.pdmodel.PDPage());
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            doc.save(b);
            pdf = b.toByteArray();
        }
        try (KeySource token = kyso.connect("pkcs11", Map.of("library", SoftHsm.MODULE.toString(), "token",
                SoftHsm.LEADER_TOKEN), CredentialCallback.of(SoftHsm.PIN.toCharArray()))) {
            assertEquals(2, registry.registerKeys(token.keys(), "Ban Giám đốc", StaffGroup.LEADER_MANAGER).size());
            KeyDescriptor rsa = token.keys().stream().filter(k -> k.id().endsWith("/01")).findFirst().orElseThrow();
            try (Signer signer = token.open(rsa.id())) {
                kyso.format("pades").sign(Document.of(pdf, "a.pdf"), signer, SignOptions.defaults(), out);
            }
        }
        VerificationReport report = kyso.format("pades").verify(Document.of(out.toByteArray(), "a.pdf"),
                ValidationPolicy.builder().trustAnchors(pki.roots()).build());
        assertTrue(report.allPassed(), report.toText());
        assertEquals(2, registry.all().size());
        assertTrue(registry.all().stream().allMatch(r -> r.deviceKind() == DeviceKind.USB_TOKEN));
        assertEquals("pkcs11", usage.events().get(0).providerId());
        assertEquals(DeviceKind.USB_TOKEN, usage.events().get(0).deviceKind());
    }

    @Test
    void anInvoiceAndATaxDeclarationAreSignedEndToEndOnTheTokenWithOneRsaAndOneEcKey() throws Exception {
        Kyso kyso = Kyso.discover();
        String invoice = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<HDon><DLHDon Id=\"_593651\"><TTChung>"
                + "<KHHDon>C25TKS</KHHDon><SHDon>7</SHDon></TTChung><NDHDon><NBan><MST>0312345678</MST></NBan>"
                + "</NDHDon></DLHDon><DSCKS><NBan/><NMua/></DSCKS></HDon>\n";
        String declaration = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<HSoThueDTu xmlns=\"http://kekhaithue.gdt.gov.vn/"
                + "TKhaiThue\"><HSoKhaiThue id=\"_NODE_TO_SIGN\"><ct22>1500000</ct22></HSoKhaiThue><CKyDTu></CKyDTu>"
                + "</HSoThueDTu>\n";
        ValidationPolicy policy = ValidationPolicy.builder().trustAnchors(pki.roots()).build();
        try (KeySource token = kyso.connect("pkcs11", Map.of("library", SoftHsm.MODULE.toString(), "token",
                SoftHsm.LEADER_TOKEN), CredentialCallback.of(SoftHsm.PIN.toCharArray()))) {
            // the seller signs first: an invoice signed only in the buyer's slot is never a valid invoice
            for (String[] job : new String[][] {{"/02", invoice, "INVOICE_SELLER"}, {"/01", declaration, "TAX_DECLARATION"}}) {
                KeyDescriptor key = token.keys().stream().filter(k -> k.id().endsWith(job[0])).findFirst().orElseThrow();
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                try (Signer signer = token.open(key.id())) {
                    kyso.format("xades").sign(Document.of(job[1].getBytes(java.nio.charset.StandardCharsets.UTF_8),
                            "a.xml"), signer, SignOptions.builder().formatOptions(
                                    vn.kyso.xml.XmlOptions.of(vn.kyso.xml.XmlOptions.Profile.valueOf(job[2]))).build(), out);
                }
                VerificationReport report = kyso.format("xades").verify(Document.of(out.toByteArray(), "a.xml"), policy);
                assertTrue(report.allPassed(), job[2] + "\n" + report.toText());
                assertEquals(key.certificate(), report.signatures().get(0).signerCertificate().orElseThrow());
            }
        }
    }

    @Test
    void diagnosticsShowTokensAndCertificatesWithExpiry() {
        String report = Pkcs11Diagnostics.report(Map.of("library", SoftHsm.MODULE.toString()));
        assertTrue(report.contains(SoftHsm.LEADER_TOKEN) && report.contains(SoftHsm.CLERK_TOKEN), report);
        assertTrue(report.contains("Nguyễn Văn An") && report.contains("2044-01-01"), report);
        String missing = Pkcs11Diagnostics.report(Map.of("library", "/nowhere/vnptca_p11_v8.so"));
        assertTrue(missing.contains("missing"), missing);
    }
}
