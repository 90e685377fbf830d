package vn.kyso.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Linux app image that agent/jpackage.sh builds from target/kyso-agent.jar with jpackage:
 * the script's own smoke test passes, and the packaged launcher (not java -jar) lists its
 * options and answers discovery for an allowed origin only. Run by {@code mvn verify}
 * (failsafe, after the jar is built).
 */
class JpackageIT {
    private static final String DMS = "https://dms.example.gov.vn";
    @TempDir
    Path dir;

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String run(ProcessBuilder builder) throws Exception {
        Process p = builder.redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "hangs: " + builder.command());
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    @Test
    void theAppImageBuiltByJpackageListsItsOptionsAndAnswersDiscoveryForAnAllowedOriginOnly() throws Exception {
        assertTrue(Files.isRegularFile(Path.of("target/kyso-agent.jar")), "mvn package builds target/kyso-agent.jar");
        ProcessBuilder build = new ProcessBuilder("bash", "jpackage.sh");
        build.environment().put("KYSO_SMOKE_PORT", String.valueOf(freePort()));
        assertTrue(run(build).contains("kyso-agent app image OK"));
        Path launcher = Path.of("target/jpackage/kyso-agent/bin/kyso-agent").toAbsolutePath();
        assertTrue(Files.isExecutable(launcher), launcher + " is the packaged launcher");
        assertTrue(Files.isDirectory(launcher.getParent().resolveSibling("lib/runtime")),
                "the image carries its own Java runtime");

        String help = run(new ProcessBuilder(launcher.toString(), "--help"));
        for (String option : List.of("--port", "--secure-port", "--allow-origin", "--driver", "--settings", "--data",
                "--timeout", "--help")) {
            assertTrue(help.contains(option), option + " is listed: " + help);
        }

        int port = freePort();
        Process agent = new ProcessBuilder(launcher.toString(), "--port", String.valueOf(port), "--secure-port", "off",
                "--allow-origin", DMS, "--data", dir.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("agent.log").toFile()).start();
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            HttpResponse<String> hello = null;
            for (int i = 0; i < 150 && hello == null; i++) {
                try {
                    hello = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/kyso/v1/hello"))
                            .header("Origin", DMS).build(), HttpResponse.BodyHandlers.ofString());
                } catch (IOException notYet) {
                    assertTrue(agent.isAlive(), () -> "the launcher stopped: " + log());
                    Thread.sleep(200);
                }
            }
            assertTrue(hello != null, () -> "no discovery answer: " + log());
            assertEquals(200, hello.statusCode(), hello.body());
            assertEquals(DMS, hello.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
            @SuppressWarnings("unchecked")
            Map<String, Object> body = (Map<String, Object>) Json.parse(hello.body());
            assertTrue(String.valueOf(body.get("capabilities")).contains("signBatch"), hello.body());
            HttpResponse<String> other = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/kyso/v1/hello")).header("Origin", "https://evil.example")
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(403, other.statusCode());
            assertTrue(other.headers().firstValue("Access-Control-Allow-Origin").isEmpty());
        } finally {
            agent.destroy();
            if (!agent.waitFor(10, TimeUnit.SECONDS)) {
                agent.destroyForcibly();
            }
        }
    }

    private String log() {
        try {
            return Files.readString(dir.resolve("agent.log"));
        } catch (IOException e) {
            return e.toString();
        }
    }
}
