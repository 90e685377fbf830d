package vn.kyso.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.kyso.testkit.SoftHsm2;

class MainTest {
    @TempDir
    Path dir;

    @Test
    void helpListsEveryOption() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertNull(Main.parse(new String[] {"--help"}, new PrintStream(out, true, StandardCharsets.UTF_8)));
        String help = out.toString(StandardCharsets.UTF_8);
        for (String option : List.of("--port", "--secure-port", "--allow-origin", "--driver", "--settings", "--data", "--timeout",
                "--help")) {
            assertTrue(help.contains(option), option);
        }
    }

    @Test
    void theCommandLineOverridesTheAdministratorsFile() throws Exception {
        Path file = Files.writeString(dir.resolve("agent.properties"), "port=9000\n"
                + "allowedOrigins=https://dms.dongnai.gov.vn, https://VANBAN.example:443\ndrivers=" + SoftHsm2.MODULE
                + "," + SoftHsm2.MODULE + "," + dir.resolve("missing.so") + "\n");
        Agent.Settings fromFile = Main.parse(new String[] {"--settings", file.toString(), "--data", dir.toString()},
                System.out);
        assertEquals(9000, fromFile.port());
        assertEquals(9001, fromFile.securePort(), "wss on the next port unless set");
        assertEquals(dir.resolve("tls"), fromFile.tlsDirectory());
        assertEquals(List.of("https://dms.dongnai.gov.vn", "https://vanban.example"), fromFile.allowedOrigins());
        assertEquals(List.of(SoftHsm2.MODULE), fromFile.drivers(), "each installed driver once, missing ones left out");
        assertEquals(dir.resolve("audit.log"), fromFile.auditFile());
        Agent.Settings overridden = Main.parse(new String[] {"--settings", file.toString(), "--port", "9100",
            "--allow-origin", "https://a.example", "--allow-origin", "https://b.example:8443"}, System.out);
        assertEquals(9100, overridden.port());
        assertEquals(9101, overridden.securePort());
        assertEquals(-1, Main.parse(new String[] {"--settings", file.toString(), "--secure-port", "off"}, System.out)
                .securePort());
        assertEquals(List.of("https://a.example", "https://b.example:8443"), overridden.allowedOrigins());
    }

    @Test
    void wrongOptionsAreRefusedWithAReason() {
        for (String[] args : List.of(new String[] {"--port", "0"}, new String[] {"--port", "70000"},
                new String[] {"--allow-origin", "http://dms.example"}, new String[] {"--allow-origin", "https://*.gov.vn"},
                new String[] {"--allow-origin", "https://dms.example/path"}, new String[] {"--allow-origin", "null"},
                new String[] {"--bogus", "1"}, new String[] {"--port"},
                new String[] {"--port", "9000", "--secure-port", "9000"}, new String[] {"--secure-port", "x"})) {
            assertThrows(IllegalArgumentException.class, () -> Main.parse(args, System.out), String.join(" ", args));
        }
    }
}
