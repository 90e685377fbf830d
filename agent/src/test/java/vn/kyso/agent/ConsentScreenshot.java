package vn.kyso.agent;

import java.awt.Rectangle;
import java.awt.Robot;
import java.awt.image.BufferedImage;
import java.io.File;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import javax.imageio.ImageIO;
import javax.swing.JDialog;
import javax.swing.SwingUtilities;
import vn.kyso.testkit.TestPki;

/**
 * Shows the real signing window on the display (Xvfb in {@link SwingConsentIT}) and saves a
 * screenshot of it: {@code ConsentScreenshot OUT.png}.
 */
final class ConsentScreenshot {
    private ConsentScreenshot() {
    }

    public static void main(String[] args) throws Exception {
        TestPki pki = TestPki.start();
        Consent.SigningPrompt prompt = new Consent.SigningPrompt("https://dms.dongnai.gov.vn",
                pki.person().certificate(), "kyso-lanh-dao", List.of(
                        new Consent.Document("Công văn về việc triển khai chữ ký số", "12/UBND-VP", "approved"),
                        new Consent.Document("Quyết định phê duyệt kế hoạch", "34/QĐ-UBND", "issued")));
        AtomicReference<JDialog> shown = new AtomicReference<>();
        SwingUtilities.invokeAndWait(() -> {
            JDialog dialog = SwingConsent.dialog(prompt, new AtomicReference<>());
            dialog.setModal(false);
            dialog.setVisible(true);
            shown.set(dialog);
        });
        Thread.sleep(1500);
        Rectangle[] bounds = new Rectangle[1];
        SwingUtilities.invokeAndWait(() -> bounds[0] = shown.get().getBounds());
        BufferedImage image = new Robot().createScreenCapture(bounds[0]);
        ImageIO.write(image, "png", new File(args[0]));
        pki.close();
        System.exit(0);
    }
}
