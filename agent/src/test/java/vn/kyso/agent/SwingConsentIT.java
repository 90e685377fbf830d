package vn.kyso.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real consent window under Xvfb, photographed. Run by {@code mvn verify} (failsafe; it needs
 * the Debian packages xvfb and xauth): {@code xvfb-run -a} starts a private X server on a free
 * display, so it needs no desktop. The screenshot is left in target/consent-window.png for a
 * person to look at.
 */
class SwingConsentIT {
    @TempDir
    Path dir;

    @Test
    void theSigningWindowShowsOnScreenWithTheSiteInDarkRed() throws Exception {
        for (String tool : new String[] {"/usr/bin/xvfb-run", "/usr/bin/Xvfb", "/usr/bin/xauth"}) {
            if (!Files.isExecutable(Path.of(tool))) {
                fail(tool + " is missing: install the Debian packages xvfb and xauth");
            }
        }
        Path png = Path.of("target", "consent-window.png").toAbsolutePath();
        Files.deleteIfExists(png);
        Process p = new ProcessBuilder("xvfb-run", "-a", "-s", "-screen 0 1280x900x24", "java",
                "-cp", System.getProperty("java.class.path"), ConsentScreenshot.class.getName(), png.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the screenshot hangs");
        assertEquals(0, p.exitValue(), out);
        BufferedImage image = ImageIO.read(png.toFile());
        assertTrue(image.getWidth() > 300 && image.getHeight() > 200, image.getWidth() + "x" + image.getHeight());
        Set<Integer> colours = new HashSet<>();
        boolean darkRed = false;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y) & 0xFFFFFF;
                colours.add(rgb);
                int r = rgb >> 16;
                int g = (rgb >> 8) & 0xFF;
                int b = rgb & 0xFF;
                darkRed |= r > 100 && g < 60 && b < 60;
            }
        }
        assertTrue(colours.size() > 20, "text and widgets are drawn, not an empty window: " + colours.size());
        assertTrue(darkRed, "the requesting site is drawn in dark red");
    }
}
