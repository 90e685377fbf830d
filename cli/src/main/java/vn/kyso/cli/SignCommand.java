package vn.kyso.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import vn.kyso.CredentialCallback;
import vn.kyso.Document;
import vn.kyso.KeyDescriptor;
import vn.kyso.KeySource;
import vn.kyso.Kyso;
import vn.kyso.KysoException;
import vn.kyso.SignOptions;
import vn.kyso.SignatureFormat;
import vn.kyso.Signer;
import vn.kyso.pdf.PadesOptions;
import vn.kyso.xml.XmlOptions;

/**
 * {@code kyso sign IN OUT --provider ID}: signs a PDF or XML file with a key of any provider
 * (pkcs12, pkcs11, remote-sim), showing a progress line while a remote confirmation is pending
 * and the typed error's advice when it fails.
 */
@Command(name = "sign", description = "Ký số tệp PDF hoặc XML / Sign a PDF or XML file with a key of any provider.")
final class SignCommand implements Callable<Integer> {
    static final int SIGNED = 0;
    static final int FAILED = 1;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "IN", description = "The PDF or XML file to sign.")
    Path in;

    @Parameters(index = "1", paramLabel = "OUT", description = "Where the signed file is written (never IN).")
    Path out;

    @Option(names = "--provider", required = true, paramLabel = "ID", description = "pkcs12, pkcs11 or remote-sim.")
    String provider;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "A provider setting, e.g. file=key.p12, "
            + "dialect=sp769, url=…, user_id=…; repeat for each.")
    Map<String, String> settings = new LinkedHashMap<>();

    @Option(names = "--key", paramLabel = "ID", description = "The key to use; without it the only key, or an error listing them.")
    String key;

    @Option(names = "--secret-file", paramLabel = "FILE",
            description = "Read the PIN or password from the first line of FILE; without it from the console.")
    Path secretFile;

    @Option(names = "--text", paramLabel = "TEXT", description = "What the phone shows, e.g. \"Ký Quyết định 12/QĐ-UBND\".")
    String text;

    @Option(names = "--role", paramLabel = "ROLE", description = "PDF: APPROVAL, OFFICIAL, ORGANIZATION or ATTACHMENT.")
    PadesOptions.Role role;

    @Option(names = "--profile", paramLabel = "PROFILE",
            description = "XML: INVOICE_SELLER, INVOICE_BUYER, INVOICE_TAX_AUTHORITY or TAX_DECLARATION.")
    XmlOptions.Profile profile;

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        if (in.toAbsolutePath().normalize().equals(out.toAbsolutePath().normalize())) {
            err.println("kyso: OUT must differ from IN: the input is never modified");
            return FAILED;
        }
        Kyso kyso = Kyso.discover();
        Document document = Document.of(in);
        try {
            SignatureFormat format = kyso.formatFor(document);
            SignOptions options = options(format.id());
            try (KeySource source = kyso.connect(provider, settings, credentials());
                    Signer signer = source.open(pickKey(source))) {
                CompletableFuture<Path> signing = format.signAsync(document, signer, options, out).toCompletableFuture();
                waitWithProgress(signing, signer, err);
            }
        } catch (KysoException e) {
            err.println("kyso: " + e.getMessage());
            return FAILED;
        } catch (IllegalArgumentException e) {
            err.println("kyso: " + e.getMessage());
            return FAILED;
        }
        spec.commandLine().getOut().println("signed " + out);
        return SIGNED;
    }

    private SignOptions options(String formatId) {
        SignOptions.Builder b = SignOptions.builder();
        if (text != null) {
            b.displayText(text);
        }
        if (role != null) {
            if (!formatId.equals("pades")) {
                throw new IllegalArgumentException("--role is for PDF; use --profile for XML");
            }
            b.formatOptions(PadesOptions.builder().role(role).build());
        }
        if (profile != null) {
            if (!formatId.equals("xades")) {
                throw new IllegalArgumentException("--profile is for XML; use --role for PDF");
            }
            b.formatOptions(XmlOptions.of(profile));
        }
        return b.build();
    }

    private CredentialCallback credentials() throws IOException {
        if (secretFile != null) {
            List<String> lines = Files.readAllLines(secretFile, StandardCharsets.UTF_8);
            return CredentialCallback.of((lines.isEmpty() ? "" : lines.get(0)).toCharArray());
        }
        return request -> {
            java.io.Console console = System.console();
            if (console == null) {
                return null;
            }
            return console.readPassword("%s for %s: ", request.kind() == vn.kyso.CredentialRequest.Kind.PASSWORD
                    ? "Password" : "PIN", request.target());
        };
    }

    private String pickKey(KeySource source) throws KysoException {
        List<KeyDescriptor> keys = source.keys();
        if (key != null) {
            return key;
        }
        if (keys.size() == 1) {
            return keys.get(0).id();
        }
        StringBuilder list = new StringBuilder();
        for (KeyDescriptor k : keys) {
            list.append("\n  ").append(k.id()).append("  ").append(k.label());
        }
        throw new IllegalArgumentException(keys.size() + " keys; choose one with --key:" + list);
    }

    /** Waits for the signature, printing how long the phone has been waiting once a second. */
    private static void waitWithProgress(CompletableFuture<Path> signing, Signer signer, PrintWriter err)
            throws KysoException, IOException, InterruptedException {
        long start = System.nanoTime();
        boolean shown = false;
        while (true) {
            try {
                signing.get(1, TimeUnit.SECONDS);
                if (shown) {
                    err.println();
                }
                return;
            } catch (TimeoutException e) {
                long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
                err.print("\rwaiting for confirmation on the phone of "
                        + signer.certificate().getSubjectX500Principal().getName() + " … " + seconds + " s");
                err.flush();
                shown = true;
            } catch (ExecutionException e) {
                if (shown) {
                    err.println();
                }
                Throwable cause = e.getCause() instanceof java.util.concurrent.CompletionException c && c.getCause() != null
                        ? c.getCause() : e.getCause();
                if (cause instanceof KysoException k) {
                    throw k;
                }
                if (cause instanceof IOException io) {
                    throw io;
                }
                if (cause instanceof RuntimeException r) {
                    throw r;
                }
                throw new IOException(cause);
            } catch (InterruptedException e) {
                signing.cancel(true);
                throw e;
            }
        }
    }
}
