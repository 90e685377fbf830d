package vn.kyso.pdf;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs poppler's pdfsig, an independent verifier, and reads its verdict on each signature's integrity. */
final class Pdfsig {
    private Pdfsig() {
    }

    static boolean available() {
        try {
            Process p = new ProcessBuilder("pdfsig", "-v").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** For each signature in order: whether pdfsig says "Signature is Valid." */
    static List<Boolean> integrity(Path pdf) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("pdfsig", "-nocert", pdf.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("pdfsig did not finish");
        }
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
}
