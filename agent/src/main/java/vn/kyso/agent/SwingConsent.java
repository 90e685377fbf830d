package vn.kyso.agent;

import java.awt.BorderLayout;
import java.awt.Color;
import java.awt.GraphicsEnvironment;
import java.awt.GridBagConstraints;
import java.awt.GridBagLayout;
import java.awt.Insets;
import java.awt.MenuItem;
import java.awt.PopupMenu;
import java.awt.SystemTray;
import java.awt.TrayIcon;
import java.awt.image.BufferedImage;
import java.lang.reflect.InvocationTargetException;
import java.security.cert.X509Certificate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import javax.swing.BorderFactory;
import javax.swing.JButton;
import javax.swing.JDialog;
import javax.swing.JLabel;
import javax.swing.JOptionPane;
import javax.swing.JPanel;
import javax.swing.JPasswordField;
import javax.swing.JScrollPane;
import javax.swing.JTextArea;
import javax.swing.SwingUtilities;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.kyso.Certificates;

/**
 * The agent's own window: an always-on-top modal dialog in front of the browser, in Vietnamese
 * and English, showing the requesting site, the certificate and every document, with the PIN
 * field. Without a display nothing can be asked, so everything is refused.
 */
final class SwingConsent implements Consent {
    private static final Logger LOG = LoggerFactory.getLogger(SwingConsent.class);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("dd/MM/yyyy").withZone(ZoneId.systemDefault());

    @Override
    public boolean allowOrigin(String origin) {
        if (GraphicsEnvironment.isHeadless()) {
            LOG.warn("no display: {} cannot be allowed", origin);
            return false;
        }
        AtomicReference<Boolean> answer = new AtomicReference<>(false);
        onScreen(() -> {
            JOptionPane pane = new JOptionPane("<html>Cho phép trang <b>" + escape(origin) + "</b> dùng token ký số "
                    + "của bạn?<br>Allow <b>" + escape(origin) + "</b> to use your signing token?</html>",
                    JOptionPane.QUESTION_MESSAGE, JOptionPane.YES_NO_OPTION);
            JDialog dialog = pane.createDialog("kyso-agent");
            dialog.setAlwaysOnTop(true);
            dialog.toFront();
            dialog.setVisible(true);
            answer.set(Integer.valueOf(JOptionPane.YES_OPTION).equals(pane.getValue()));
            dialog.dispose();
        });
        return answer.get();
    }

    @Override
    public int chooseCertificate(String origin, List<Choice> choices) {
        if (GraphicsEnvironment.isHeadless()) {
            LOG.warn("no display: no certificate can be chosen for {}", origin);
            return -1;
        }
        String[] names = new String[choices.size()];
        for (int i = 0; i < names.length; i++) {
            X509Certificate c = choices.get(i).certificate();
            names[i] = Certificates.commonName(c) + " — " + c.getIssuerX500Principal().getName().replaceAll(",.*", "")
                    + " — " + DAY.format(c.getNotAfter().toInstant()) + " — " + choices.get(i).tokenLabel();
        }
        int[] answer = {-1};
        onScreen(() -> {
            JOptionPane pane = new JOptionPane("<html>Chọn chứng thư để ký cho <b>" + escape(origin) + "</b><br>"
                    + "Choose the certificate to sign for <b>" + escape(origin) + "</b></html>",
                    JOptionPane.QUESTION_MESSAGE, JOptionPane.OK_CANCEL_OPTION);
            pane.setWantsInput(true);
            pane.setSelectionValues(names);
            pane.setInitialSelectionValue(names[0]);
            JDialog dialog = pane.createDialog("kyso-agent");
            dialog.setAlwaysOnTop(true);
            dialog.toFront();
            dialog.setVisible(true);
            Object picked = pane.getInputValue();
            if (Integer.valueOf(JOptionPane.OK_OPTION).equals(pane.getValue())) {
                answer[0] = Arrays.asList(names).indexOf(picked);
            }
            dialog.dispose();
        });
        return answer[0];
    }

    @Override
    public char[] approve(SigningPrompt prompt) {
        if (GraphicsEnvironment.isHeadless()) {
            LOG.warn("no display: the signature asked by {} cannot be approved", prompt.origin());
            return null;
        }
        AtomicReference<char[]> pin = new AtomicReference<>();
        onScreen(() -> {
            JDialog dialog = dialog(prompt, pin);
            dialog.setVisible(true);
            dialog.dispose();
        });
        return pin.get();
    }

    /** The signing dialog; package-private so a screenshot test can show it under Xvfb. */
    static JDialog dialog(SigningPrompt prompt, AtomicReference<char[]> pin) {
        JDialog dialog = new JDialog((java.awt.Frame) null, "kyso-agent: Ký số / Sign", true);
        dialog.setAlwaysOnTop(true);
        JPanel panel = new JPanel(new GridBagLayout());
        panel.setBorder(BorderFactory.createEmptyBorder(12, 12, 12, 12));
        GridBagConstraints c = new GridBagConstraints();
        c.gridx = 0;
        c.gridy = 0;
        c.anchor = GridBagConstraints.WEST;
        c.fill = GridBagConstraints.HORIZONTAL;
        c.insets = new Insets(3, 3, 3, 3);
        JLabel site = new JLabel("<html>Trang yêu cầu / Requested by: <b>" + escape(prompt.origin()) + "</b></html>");
        site.setForeground(new Color(0x8B0000));
        panel.add(site, c);
        c.gridy++;
        X509Certificate cert = prompt.certificate();
        panel.add(new JLabel("<html>Chứng thư / Certificate: <b>" + escape(Certificates.commonName(cert)) + "</b><br>"
                + "CA: " + escape(cert.getIssuerX500Principal().getName()) + "<br>Serial: "
                + cert.getSerialNumber().toString(16) + ", hạn / valid until " + DAY.format(cert.getNotAfter().toInstant())
                + "<br>Token: " + escape(prompt.tokenLabel()) + "</html>"), c);
        c.gridy++;
        panel.add(new JLabel(prompt.documents().size() + " văn bản / document(s):"), c);
        c.gridy++;
        JTextArea docs = new JTextArea(Math.min(8, prompt.documents().size() + 1), 50);
        docs.setEditable(false);
        StringBuilder text = new StringBuilder();
        for (Document d : prompt.documents()) {
            text.append("• ").append(d.title());
            if (d.number() != null) {
                text.append("  [").append(d.number()).append(']');
            }
            if (d.role() != null) {
                text.append("  (").append(d.role()).append(')');
            }
            text.append('\n');
        }
        docs.setText(text.toString());
        panel.add(new JScrollPane(docs), c);
        c.gridy++;
        panel.add(new JLabel("Mã PIN của token / Token PIN:"), c);
        c.gridy++;
        JPasswordField field = new JPasswordField(20);
        panel.add(field, c);
        JPanel buttons = new JPanel();
        JButton sign = new JButton("Ký / Sign");
        JButton cancel = new JButton("Hủy / Cancel");
        sign.addActionListener(e -> {
            char[] typed = field.getPassword();
            if (typed.length > 0) {
                pin.set(typed);
                dialog.setVisible(false);
            }
        });
        cancel.addActionListener(e -> dialog.setVisible(false));
        buttons.add(sign);
        buttons.add(cancel);
        dialog.getRootPane().setDefaultButton(sign);
        dialog.getContentPane().add(panel, BorderLayout.CENTER);
        dialog.getContentPane().add(buttons, BorderLayout.SOUTH);
        dialog.pack();
        dialog.setLocationRelativeTo(null);
        dialog.addWindowListener(new java.awt.event.WindowAdapter() {
            @Override
            public void windowClosed(java.awt.event.WindowEvent e) {
                Arrays.fill(field.getPassword(), '\0');
            }
        });
        dialog.toFront();
        return dialog;
    }

    /**
     * A tray icon where the desktop has one, with the allowed sites (click one to make the agent
     * ask again next time) and Quit.
     */
    static void trayIcon(Agent agent, List<String> origins, Runnable quit) {
        if (GraphicsEnvironment.isHeadless() || !SystemTray.isSupported()) {
            return;
        }
        onScreen(() -> {
            PopupMenu menu = new PopupMenu();
            for (String origin : origins) {
                MenuItem revoke = new MenuItem("Thu hồi / Revoke " + origin);
                revoke.addActionListener(e -> {
                    try {
                        agent.revoke(origin);
                    } catch (java.io.IOException ex) {
                        LOG.warn("cannot revoke {}", origin, ex);
                    }
                });
                menu.add(revoke);
            }
            MenuItem exit = new MenuItem("Thoát / Quit");
            exit.addActionListener(e -> quit.run());
            menu.add(exit);
            BufferedImage image = new BufferedImage(16, 16, BufferedImage.TYPE_INT_ARGB);
            java.awt.Graphics2D g = image.createGraphics();
            g.setColor(new Color(0xC00000));
            g.fillRoundRect(1, 1, 14, 14, 4, 4);
            g.setColor(Color.WHITE);
            g.drawString("K", 4, 13);
            g.dispose();
            TrayIcon icon = new TrayIcon(image, "kyso-agent", menu);
            try {
                SystemTray.getSystemTray().add(icon);
            } catch (java.awt.AWTException e) {
                LOG.info("no tray icon: {}", e.getMessage());
            }
        });
    }

    private static void onScreen(Runnable r) {
        if (SwingUtilities.isEventDispatchThread()) {
            r.run();
            return;
        }
        try {
            SwingUtilities.invokeAndWait(r);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (InvocationTargetException e) {
            LOG.error("the consent window failed", e.getCause());
        }
    }

    private static String escape(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
