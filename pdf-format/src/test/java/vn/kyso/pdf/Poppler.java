package vn.kyso.pdf;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * poppler's text and font tools, independent readers of what kyso wrote: the text a viewer shows
 * (pdftotext), and whether every font a page uses is embedded (pdffonts), so the result does not
 * depend on which fonts the machine happens to have installed.
 */
final class Poppler {
    private Poppler() {
    }

    /** The text pdftotext extracts from {@code pdf} (page content and annotation appearances). */
    static String text(Path pdf) throws IOException, InterruptedException {
        return run("pdftotext", "-enc", "UTF-8", pdf.toString(), "-");
    }

    /** One row per font pdffonts lists: its name, type and whether it is embedded. */
    record Font(String name, String type, boolean embedded) {
    }

    /** The fonts of every page of {@code pdf}, annotation appearances included. */
    static List<Font> fonts(Path pdf) throws IOException, InterruptedException {
        String out = run("pdffonts", pdf.toString());
        List<Font> fonts = new ArrayList<>();
        boolean table = false;
        for (String line : out.split("\n")) {
            if (line.startsWith("----")) {
                table = true;
                continue;
            }
            if (!table || line.isBlank()) {
                continue;
            }
            // name type [type...] encoding emb sub uni object-id: the three yes/no columns come before the id
            String[] t = line.trim().split("\\s+");
            if (t.length < 7) {
                throw new IOException("unexpected pdffonts line: " + line);
            }
            String emb = t[t.length - 5];
            if (!emb.equals("yes") && !emb.equals("no")) {
                throw new IOException("unexpected pdffonts line: " + line);
            }
            fonts.add(new Font(t[0], t[1], emb.equals("yes")));
        }
        return fonts;
    }

    /** Renders page {@code page} (1-based) of {@code pdf} at 100 dpi to a PNG next to it, for a person to look at. */
    static Path render(Path pdf, int page) throws IOException, InterruptedException {
        String prefix = pdf.toString().replaceFirst("\\.pdf$", "");
        run("pdftoppm", "-png", "-r", "100", "-f", Integer.toString(page), "-l", Integer.toString(page), "-singlefile",
                pdf.toString(), prefix);
        Path png = Path.of(prefix + ".png");
        if (!Files.isRegularFile(png)) {
            throw new IOException("pdftoppm wrote no " + png);
        }
        return png;
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(command[0] + " did not finish");
        }
        if (p.exitValue() != 0) {
            throw new IOException(command[0] + " failed (" + p.exitValue() + "):\n" + out);
        }
        return out;
    }
}
