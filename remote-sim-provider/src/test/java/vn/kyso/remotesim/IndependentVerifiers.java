package vn.kyso.remotesim;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import vn.kyso.Certificates;

/** poppler's pdfsig and xmlsec1, verifiers independent of kyso, run on files signed through remote-sim. */
final class IndependentVerifiers {
    private IndependentVerifiers() {
    }

    /** For each signature of {@code pdf}: whether pdfsig says "Signature is Valid." */
    static List<Boolean> pdfsig(Path pdf) throws IOException, InterruptedException {
        String out = run(List.of("pdfsig", "-nocert", pdf.toString()));
        List<Boolean> result = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (line.contains("Signature Validation:")) {
                result.add(line.contains("Signature is Valid."));
            }
        }
        if (result.isEmpty()) {
            throw new IOException("pdfsig reported no signature:\n" + out);
        }
        return result;
    }

    /**
     * Runs {@code xmlsec1 --verify} on the first signature of {@code xml}, trusting {@code roots},
     * with {@code idAttrs} as {@code --id-attr} pairs; returns its output, or throws when it fails.
     */
    static String xmlsec1(Path xml, List<X509Certificate> roots, List<X509Certificate> intermediates, Path dir,
            String... idAttrs) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("xmlsec1", "--verify", "--enabled-reference-uris", "empty,same-doc",
                "--node-xpath", "(//*[local-name()='Signature'])[1]"));
        for (int i = 0; i < idAttrs.length; i += 2) {
            cmd.add("--id-attr:" + idAttrs[i]);
            cmd.add(idAttrs[i + 1]);
        }
        int n = 0;
        for (X509Certificate c : roots) {
            cmd.add("--trusted-pem");
            cmd.add(Files.writeString(dir.resolve("root" + n++ + ".pem"), Certificates.toPem(c)).toString());
        }
        for (X509Certificate c : intermediates) {
            cmd.add("--untrusted-pem");
            cmd.add(Files.writeString(dir.resolve("ca" + n++ + ".pem"), Certificates.toPem(c)).toString());
        }
        cmd.add(xml.toString());
        return run(cmd);
    }

    private static String run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(cmd.get(0) + " did not finish");
        }
        if (cmd.get(0).equals("xmlsec1") && (p.exitValue() != 0 || !out.contains("OK"))) {
            throw new IOException("xmlsec1 refused the signature:\n" + String.join(" ", cmd) + "\n" + out);
        }
        return out;
    }
}
