package vn.kyso.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.InputStream;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.io.OutputStream;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import vn.kyso.Certificates;
import vn.kyso.CredentialCallback;
import vn.kyso.InMemoryUsageReporter;
import vn.kyso.KeySource;
import vn.kyso.Kyso;
import vn.kyso.KysoException;
import vn.kyso.BaselineLevel;
import vn.kyso.Document;
import vn.kyso.PendingSignature;
import vn.kyso.SignOptions;
import vn.kyso.SignatureFormat;
import vn.kyso.Signer;
import vn.kyso.ValidationPolicy;
import vn.kyso.VerificationReport;
import vn.kyso.pdf.DraftFields;
import vn.kyso.pdf.PadesOptions;
import vn.kyso.UsageEvent;
import vn.kyso.testkit.PhoneBehaviour;
import vn.kyso.testkit.RemoteSigningSimulator;
import vn.kyso.testkit.TestIdentity;
import vn.kyso.testkit.TestPki;

/**
 * {@code kyso demo [OUT_DIR]}: the library's main job end to end on embedded defaults. It starts
 * a test PKI with its TSA, OCSP and CRL on 127.0.0.1, signs with keys in PKCS#12 files through
 * the public API (the leader's official signature on the phone, through remote-sim and a simulated
 * SP769 signing service, completed from a saved pending state) (PDF: a draft given its number and date fields, then approval, official and
 * organization signatures, the last filling number and issue date; XML: a tax declaration, and an
 * e-invoice signed by seller, buyer and tax authority), verifies, prints a short report, and
 * leaves every file in OUT_DIR.
 */
@Command(name = "demo", description = "Chạy thử toàn bộ / Run the end-to-end demo on a test PKI.")
final class DemoCommand implements Callable<Integer> {
    static final char[] DEMO_PASSWORD = "123456".toCharArray();
    /** The leader's id at the simulated signing service, and how long the leader takes to confirm. */
    static final String PHONE_USER = "approve";
    static final Duration PHONE_DELAY = Duration.ofSeconds(2);

    @Parameters(paramLabel = "OUT_DIR", arity = "0..1", defaultValue = "kyso-demo-out",
            description = "Where every document, certificate and report is written (default: ${DEFAULT-VALUE}).")
    Path outDir;

    @picocli.CommandLine.Option(names = "--pkcs11-library", paramLabel = "PATH",
            description = "Sign the leader's signature on a USB token through this PKCS#11 driver "
                    + "(e.g. /usr/lib/softhsm/libsofthsm2.so); the PIN comes from KYSO_PIN or is asked.")
    Path pkcs11Library;

    @picocli.CommandLine.Option(names = "--pkcs11-token", paramLabel = "LABEL",
            description = "Label or serial of the token to use (default: the first one found).")
    String pkcs11Token;

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        Files.createDirectories(outDir.resolve("trust"));
        Files.createDirectories(outDir.resolve("keys"));
        InMemoryUsageReporter usage = new InMemoryUsageReporter();
        RegistryDemo registry = new RegistryDemo(outDir.resolve("registry"));
        Kyso kyso = Kyso.builder().usageReporter(registry.alsoTo(usage)).build();
        out.println("kyso demo → " + outDir.toAbsolutePath());
        out.println("  providers: " + kyso.providerIds() + ", formats: " + kyso.formatIds());
        try (TestPki pki = TestPki.start()) {
            out.println("  test PKI with TSA, OCSP and CRL at " + pki.services().baseUri());
            registry.register(pki);
            out.println("  key source: " + (pkcs11Library == null ? "the leader's phone through remote-sim (a simulated"
                    + " SP769 signing service), PKCS#12 key files for the others (keys/*.p12, password 123456)"
                    : "USB token through " + pkcs11Library + " for the leader, key files for the others"));
            Files.writeString(outDir.resolve("trust/cipher-root.pem"), pki.cipherRoot().certificatePem());
            Files.writeString(outDir.resolve("trust/national-root.pem"), pki.nationalRoot().certificatePem());
            // the intermediates, which XML signatures do not carry: they complete chains, trusted by nothing
            Files.createDirectories(outDir.resolve("ca"));
            Files.writeString(outDir.resolve("ca/cipher-ca.pem"), pki.cipherCa().certificatePem());
            Files.writeString(outDir.resolve("ca/vnpt-ca.pem"), pki.vnptCa().certificatePem());
            Files.createDirectories(outDir.resolve("certs"));
            DemoKeys keys = new DemoKeys(kyso, pki, outDir.resolve("keys"));
            ValidationPolicy policy = ValidationPolicy.builder().trustAnchors(pki.roots())
                    .intermediates(List.of(pki.cipherCa().certificate(), pki.vnptCa().certificate())).build();
            boolean ok = officialLetter(kyso, keys, policy, out);
            ok &= XmlDemo.run(kyso, keys, policy, outDir, out);
            Files.writeString(outDir.resolve("usage.csv"), usageCsv(usage), StandardCharsets.UTF_8);
            out.println("  usage events: " + usage.events().size() + " (usage.csv)");
            registry.finish(out, outDir.resolve("report"));
            out.println(ok ? "Demo hoàn tất / demo complete: every signature verified."
                    : "Demo KHÔNG đạt / demo FAILED: see the reports above.");
            return ok ? 0 : 1;
        }
    }

    private KeySource token(Kyso kyso) throws KysoException {
        java.util.Map<String, String> settings = new java.util.HashMap<>();
        settings.put("library", pkcs11Library.toString());
        if (pkcs11Token != null) {
            settings.put("token", pkcs11Token);
        }
        return kyso.connect("pkcs11", settings, request -> {
            String env = System.getenv("KYSO_PIN");
            if (env != null) {
                return env.toCharArray();
            }
            java.io.Console console = System.console();
            return console == null ? null : console.readPassword("PIN của token %s%s: ", request.target(),
                    request.isFinalTry() ? " (LẦN THỬ CUỐI / final try)" : "");
        });
    }

    /** The id of the first key that can sign, or a clear error when the source holds none (a token with only CA certificates). */
    static String firstSigningKey(KeySource source) throws KysoException {
        List<vn.kyso.KeyDescriptor> found = source.keys();
        if (found.isEmpty()) {
            throw new vn.kyso.KeyNotFoundException(source.providerId(), "no signing key was found (a certificate "
                    + "issued for signing, with its private key under the same id): check the token with "
                    + "'kyso tokens'");
        }
        return found.get(0).id();
    }

    private static String pem(List<X509Certificate> chain) {
        StringBuilder text = new StringBuilder();
        chain.forEach(c -> text.append(Certificates.toPem(c)));
        return text.toString();
    }

    /**
     * The province's workflow on one official letter: the department head's approval, the
     * director's official signature, then the clerk's organization signature, each an incremental
     * update at level LT (timestamp plus embedded OCSP), so every file verifies offline later.
     */
    private boolean officialLetter(Kyso kyso, DemoKeys keys, ValidationPolicy policy, PrintStream out) throws Exception {
        SampleDocuments.Letter letter;
        try (InputStream font = DemoCommand.class.getResourceAsStream(VerificationPdf.FONT)) {
            letter = SampleDocuments.officialLetter(font);
        }
        Files.createDirectories(outDir.resolve("unsigned"));
        // the draft gets its number and date fields before anyone signs: the clerk fills them at issue
        Path current = outDir.resolve("unsigned/cong-van-2806-SCT-VP.pdf");
        DraftFields.addTextFields(Document.of(letter.pdf(), "cong-van-2806-SCT-VP.pdf"), List.of(
                DraftFields.Field.atAnchor("so_vb", SampleDocuments.NUMBER_ANCHOR, 0, DraftFields.Alignment.RIGHT),
                DraftFields.Field.atAnchor("ngay_ban_hanh", SampleDocuments.DATE_ANCHOR, letter.dateWidth(),
                        DraftFields.Alignment.LEFT)), current);
        byte[] signature = SampleDocuments.signatureImage();
        Files.write(outDir.resolve("unsigned/chu-ky-giam-doc.png"), signature);
        byte[] seal = SampleDocuments.sealImage();
        Files.write(outDir.resolve("unsigned/con-dau.png"), seal);
        // Decree 30 Appendix I: the leader's image centred between title and name; the seal at its
        // real size (36 mm) over the left third of that image, the organization and time to its left;
        // the approval initials at the end of the text.
        float sigWidth = 150;
        float sigHeight = 70;
        float sealSize = 102;
        float textWidth = 132;
        float sealX = letter.signatureX() - sigWidth / 2 + sigWidth / 3 - sealSize;
        float sealY = letter.signatureY() - sealSize / 2;
        String issued = SampleDocuments.issueDate(java.time.LocalDate.now(java.time.ZoneId.of("Asia/Ho_Chi_Minh")));
        PadesOptions[] looks = {
            PadesOptions.builder().role(PadesOptions.Role.APPROVAL).place(1, letter.bodyEndX() + 6, letter.bodyEndY() - 3, 36, 14)
                    .text("TTBN").reason("Ký nháy (phê duyệt dự thảo)").location("Đồng Nai").build(),
            PadesOptions.builder().role(PadesOptions.Role.OFFICIAL).anchor(SampleDocuments.SIGNATURE_ANCHOR, sigWidth, sigHeight)
                    .image(signature).reason("Ký ban hành").location("Đồng Nai").build(),
            PadesOptions.builder().role(PadesOptions.Role.ORGANIZATION)
                    .place(1, sealX - textWidth, sealY, textWidth + sealSize, sealSize)
                    .image(seal).text("Sở Công Thương tỉnh Đồng Nai").fill("so_vb", "2806").fill("ngay_ban_hanh", issued)
                    .reason("Văn thư đóng dấu, cấp số").location("Đồng Nai").build(),
        };
        SignatureFormat pades = kyso.format("pades");
        String[][] steps = {
            {"ec-person", "1-ky-nhay.pdf", "Ký nháy (phê duyệt dự thảo)"},
            {"person", "2-ky-chinh-thuc.pdf", "Ký ban hành"},
            {"organization", "3-van-thu-dong-dau.pdf", "Văn thư đóng dấu, cấp số 2806/SCT-VP, " + issued},
        };
        // the leader confirms on the phone, through a cloud signing service the demo simulates itself
        try (RemoteSigningSimulator phone = pkcs11Library != null ? null : RemoteSigningSimulator.builder()
                .user(PHONE_USER, keys.pki.person(), PhoneBehaviour.approveAfter(PHONE_DELAY)).start()) {
            for (int i = 0; i < steps.length; i++) {
                String[] step = steps[i];
                TestIdentity who = keys.pki.identity(step[0]);
                boolean onToken = pkcs11Library != null && step[0].equals("person");
                boolean onPhone = phone != null && step[0].equals("person");
                SignOptions options = SignOptions.builder().level(BaselineLevel.LT)
                        .timestampUrl(keys.pki.services().tsaUri()).documentType("Công văn")
                        .displayText("Ký văn bản 2806/SCT-VP")
                        .formatOptions(looks[i]).build();
                Path target = outDir.resolve(step[1]);
                try (KeySource source = onToken ? token(kyso) : onPhone ? phone(kyso, phone) : keys.connect(who);
                        Signer signer = source.open(firstSigningKey(source))) {
                    try {
                        if (onPhone) {
                            signOnPhone(pades, signer, options, current, target, phone, out);
                        } else {
                            pades.sign(Document.of(current), signer, options, target);
                        }
                    } catch (vn.kyso.ServiceUnavailableException e) {
                        if (!onToken) {
                            throw e;
                        }
                        out.println("  (the token certificate's CA cannot be reached for OCSP/CRL: signing at level T; "
                                + "its revocation will show as unknown)");
                        pades.sign(Document.of(current), signer, options.toBuilder().level(BaselineLevel.T).build(), target);
                    }
                    Files.writeString(outDir.resolve("certs/" + step[0] + ".pem"), pem(signer.chain()));
                    if (onToken) {
                        List<X509Certificate> anchors = new java.util.ArrayList<>(policy.trustAnchors());
                        anchors.add(signer.chain().get(signer.chain().size() - 1));
                        policy = ValidationPolicy.builder().trustAnchors(anchors).intermediates(policy.intermediates()).build();
                        Files.writeString(outDir.resolve("trust/token-root.pem"),
                                Certificates.toPem(signer.chain().get(signer.chain().size() - 1)));
                    }
                    out.println("  " + step[2] + ": " + Certificates.commonName(signer.certificate()) + " → "
                            + target.getFileName() + "  [" + (onToken ? "USB token via " + pkcs11Library
                                    : onPhone ? "phone via remote-sim (SP769), user " + PHONE_USER
                                    : "key file keys/" + who.alias() + ".p12") + "]");
                }
                current = target;
            }
        }
        VerificationReport report = pades.verify(Document.of(current), policy);
        Files.writeString(outDir.resolve("report.txt"), report.toText(), StandardCharsets.UTF_8);
        out.print(indent(report.toText()));
        return report.allPassed() && report.signatures().size() == steps.length;
    }

    private static KeySource phone(Kyso kyso, RemoteSigningSimulator sim) throws KysoException {
        return kyso.connect("remote-sim", Map.of("dialect", "sp769", "url", sim.sp769Uri().toString(),
                "sp_id", sim.spId(), "user_id", PHONE_USER, "poll_interval", "500ms", "confirmation_timeout", "1m"),
                CredentialCallback.of(sim.spPassword().toCharArray()));
    }

    /**
     * The leader's signature through the phone, the way a server that may restart makes it: the
     * document is prepared and its state saved (pending/*.state) while the digest goes to the phone;
     * when the phone answers, a second {@link Kyso} instance, sharing nothing with the first but
     * that file and the document, completes it.
     */
    private void signOnPhone(SignatureFormat pades, Signer signer, SignOptions options, Path current, Path target,
            RemoteSigningSimulator sim, PrintStream out) throws Exception {
        Path state = Files.createDirectories(outDir.resolve("pending"))
                .resolve(target.getFileName().toString().replace(".pdf", ".state"));
        CompletableFuture<List<byte[]>> answer;
        try (PendingSignature pending = pades.prepare(Document.of(current), signer.chain(),
                SignatureFormat.algorithmFor(signer, options), options)) {
            Files.write(state, pending.save());
            answer = signer.signAsync(pending.request()).toCompletableFuture();
        }
        out.println("  waiting for the leader to confirm on the phone (SP769 simulator at " + sim.sp769Uri()
                + ", user " + PHONE_USER + "); prepared state saved to pending/" + state.getFileName() + " ("
                + Files.size(state) + " bytes)");
        long start = System.nanoTime();
        byte[] value;
        try {
            value = answer.get(2, TimeUnit.MINUTES).get(0);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof CompletionException c && c.getCause() != null ? c.getCause()
                    : e.getCause();
            if (cause instanceof KysoException k) {
                throw k;
            }
            throw e;
        }
        out.println("  the phone answered after " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)
                + " ms; completing from the saved state in a second kyso instance");
        SignatureFormat elsewhere = Kyso.discover().format(pades.id());
        Path partial = Files.createTempFile(target.toAbsolutePath().getParent(), "." + target.getFileName(), ".part");
        try {
            try (PendingSignature resumed = elsewhere.resume(Document.of(current), Files.readAllBytes(state));
                    OutputStream file = Files.newOutputStream(partial)) {
                resumed.complete(value, file);
            }
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    private static String indent(String text) {
        return text.lines().map(l -> "  " + l).collect(java.util.stream.Collectors.joining("\n", "", "\n"));
    }

    private static String usageCsv(InMemoryUsageReporter usage) {
        StringBuilder csv = new StringBuilder("at,signer,format,document_type,provider,device,outcome,signatures,millis\n");
        for (UsageEvent e : usage.events()) {
            csv.append(e.at()).append(',').append('"').append(e.signerName()).append('"').append(',')
                    .append(e.formatId()).append(',').append('"').append(e.documentType()).append('"').append(',')
                    .append(e.providerId()).append(',').append(e.deviceKind()).append(',').append(e.outcome())
                    .append(',').append(e.signatures()).append(',').append(e.duration().toMillis()).append('\n');
        }
        return csv.toString();
    }

    /** The demo's key files: each test identity exported to PKCS#12 and opened through the public API. */
    static final class DemoKeys {
        final Kyso kyso;
        final TestPki pki;
        private final Path dir;

        DemoKeys(Kyso kyso, TestPki pki, Path dir) {
            this.kyso = kyso;
            this.pki = pki;
            this.dir = dir;
        }

        KeySource connect(TestIdentity identity) throws IOException, KysoException {
            Path file = dir.resolve(identity.alias() + ".p12");
            Files.write(file, identity.toPkcs12(DEMO_PASSWORD));
            return kyso.connect("pkcs12", Map.of("file", file.toString()), CredentialCallback.of(DEMO_PASSWORD));
        }
    }
}
