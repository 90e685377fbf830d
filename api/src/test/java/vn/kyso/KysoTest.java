package vn.kyso;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.kyso.pkcs12.Pkcs12SignerProvider;
import vn.kyso.spi.SignerProvider;

class KysoTest {

    @TempDir
    Path dir;

    @Test
    void discoversThePkcs12ProviderThroughServiceLoader() throws Exception {
        Kyso kyso = Kyso.discover();
        assertTrue(kyso.providerIds().contains("pkcs12"));
        assertEquals("pkcs12", kyso.provider("pkcs12").id());
        assertTrue(kyso.problems().isEmpty());
    }

    @Test
    void unknownProviderNamesTheArtifactToAdd() {
        Kyso kyso = Kyso.discover();
        var e = assertThrows(PluginNotFoundException.class, () -> kyso.provider("pkcs11"));
        assertTrue(e.getMessage().contains("vn.kyso:kyso-pkcs11-provider"), e.getMessage());
        var f = assertThrows(PluginNotFoundException.class, () -> kyso.format("pades"));
        assertTrue(f.getMessage().contains("vn.kyso:kyso-pdf-format"), f.getMessage());
        var g = assertThrows(PluginNotFoundException.class, () -> kyso.provider("hsm-x"));
        assertTrue(g.getMessage().contains("'hsm-x'") && g.getMessage().contains("spelling"), g.getMessage());
    }

    @Test
    void twoProvidersWithOneIdAreAnErrorAtDiscovery() {
        SignerProvider impostor = new SignerProvider() {
            @Override
            public String id() {
                return "pkcs12";
            }

            @Override
            public KeySource connect(Map<String, String> settings, CredentialCallback credentials) {
                throw new UnsupportedOperationException();
            }
        };
        var e = assertThrows(IllegalStateException.class,
                () -> Kyso.builder().add(impostor).build());
        assertTrue(e.getMessage().contains("'pkcs12'"), e.getMessage());
    }

    @Test
    void explicitPluginsSkipScanning() throws Exception {
        Kyso kyso = Kyso.builder().noScanning().add(new Pkcs12SignerProvider()).build();
        assertEquals(List.of("pkcs12"), kyso.providerIds());
        assertEquals(List.of(), kyso.formatIds());
    }

    @Test
    void everySignerFromConnectReportsUsageOnceWithItsContext() throws Exception {
        InMemoryUsageReporter reporter = new InMemoryUsageReporter();
        Kyso kyso = Kyso.builder().usageReporter(reporter).build();
        Path file = TestKeys.pkcs12(dir, TestKeys.rsa(), "CN=Nguyễn Văn An,C=VN");
        try (KeySource source = kyso.connect("pkcs12", Map.of("file", file.toString()),
                CredentialCallback.of(TestKeys.PASSWORD)); Signer signer = source.open("key")) {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(new byte[] {1});
            signer.sign(SignRequest.batch(SignatureAlgorithm.RSA_SHA256, List.of(digest, digest), "Ký 2 văn bản")
                    .forDocument("pades", "Công văn"));
            assertThrows(IllegalArgumentException.class,
                    () -> signer.sign(SignatureAlgorithm.ECDSA_SHA256, digest, ""));
        }
        List<UsageEvent> events = reporter.events();
        assertEquals(2, events.size());
        UsageEvent ok = events.get(0);
        assertEquals(UsageEvent.Outcome.SIGNED, ok.outcome());
        assertEquals(2, ok.signatures());
        assertEquals("Nguyễn Văn An", ok.signerName());
        assertEquals("pades", ok.formatId());
        assertEquals("Công văn", ok.documentType());
        assertEquals("pkcs12", ok.providerId());
        assertEquals(DeviceKind.FILE, ok.deviceKind());
        assertEquals("", ok.errorKind());
        assertEquals(UsageEvent.Outcome.FAILED, events.get(1).outcome());
        assertEquals(0, events.get(1).signatures());
        // the kind of error is kept, so reports show where signing breaks
        assertEquals("IllegalArgumentException", events.get(1).errorKind());
    }

    @Test
    void aFailingReporterNeverBreaksSigning() throws Exception {
        Kyso kyso = Kyso.builder().usageReporter(event -> {
            throw new IllegalStateException("database down");
        }).build();
        Path file = TestKeys.pkcs12(dir, TestKeys.ec(), "CN=An,C=VN");
        try (KeySource source = kyso.connect("pkcs12", Map.of("file", file.toString()),
                CredentialCallback.of(TestKeys.PASSWORD)); Signer signer = source.open("key")) {
            byte[] value = signer.sign(SignatureAlgorithm.ECDSA_SHA256, new byte[32], "");
            assertTrue(value.length > 0);
        }
    }

    @Test
    void asynchronousSigningIsReportedToo() throws Exception {
        InMemoryUsageReporter reporter = new InMemoryUsageReporter();
        Kyso kyso = Kyso.builder().usageReporter(reporter).build();
        Path file = TestKeys.pkcs12(dir, TestKeys.ec(), "CN=An,C=VN");
        try (KeySource source = kyso.connect("pkcs12", Map.of("file", file.toString()),
                CredentialCallback.of(TestKeys.PASSWORD)); Signer signer = source.open("key")) {
            List<byte[]> values = signer.signAsync(SignRequest.of(SignatureAlgorithm.ECDSA_SHA256, new byte[32], ""))
                    .toCompletableFuture().get();
            assertEquals(1, values.size());
        }
        assertEquals(UsageEvent.Outcome.SIGNED, reporter.events().get(0).outcome());
    }

    /** A format that reads every document; several of them make the choice among formats observable. */
    private static SignatureFormat readsEverything(String id) {
        return new SignatureFormat() {
            @Override
            public String id() {
                return id;
            }

            @Override
            public boolean accepts(Document document) {
                return true;
            }

            @Override
            public PendingSignature prepare(Document document, List<java.security.cert.X509Certificate> chain,
                    SignatureAlgorithm algorithm, SignOptions options) {
                throw new UnsupportedOperationException("not needed here");
            }

            @Override
            public VerificationReport verify(Document document, ValidationPolicy policy) {
                throw new UnsupportedOperationException("not needed here");
            }
        };
    }

    @Test
    void formatForAsksTheFormatsInTheOrderOfTheirIdsWhateverOrderTheyWereFoundIn() throws Exception {
        // twenty formats that all accept the document, registered in a scrambled order: an order that
        // depended on hashing would pick "f00" only by luck (about one run in twenty)
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            ids.add(String.format("f%02d", i));
        }
        java.util.Collections.shuffle(ids, new java.util.Random(12));
        Kyso.Builder builder = Kyso.builder().noScanning();
        ids.forEach(id -> builder.add(readsEverything(id)));
        Document doc = Document.of(new byte[] {'<', 'a', '/', '>'}, "a.xml");
        assertEquals("f00", builder.build().formatFor(doc).id());
        java.util.Collections.reverse(ids);
        Kyso.Builder reversed = Kyso.builder().noScanning();
        ids.forEach(id -> reversed.add(readsEverything(id)));
        assertEquals("f00", reversed.build().formatFor(doc).id());
    }
}
