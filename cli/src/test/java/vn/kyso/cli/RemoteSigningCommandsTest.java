package vn.kyso.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PipedReader;
import java.io.PipedWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code kyso simulator --json} started as a script would start it, and {@code kyso sign
 * --provider remote-sim} pointed at it with what its first line says.
 */
class RemoteSigningCommandsTest {

    @TempDir
    Path dir;

    private static String field(String json, String dialect, String name) {
        Matcher m = Pattern.compile("\"" + dialect + "\":\\{\"url\":\"([^\"]*)\"").matcher(json);
        if (name.equals("url")) {
            assertTrue(m.find(), json);
            return m.group(1);
        }
        Matcher f = Pattern.compile("\"" + name + "\":\"([^\"]*)\"").matcher(json);
        assertTrue(f.find(), name + " in " + json);
        return f.group(1);
    }

    private int sign(List<String> args, StringWriter err) {
        return new CommandLine(new KysoCommand()).setErr(new PrintWriter(err, true))
                .setOut(new PrintWriter(new StringWriter(), true)).execute(args.toArray(String[]::new));
    }

    @Test
    void theSimulatorPrintsOneJsonLineThenKysoSignSignsThroughItAndItPostsTheResultToTheWebhook() throws Exception {
        java.util.concurrent.BlockingQueue<String> posted = new java.util.concurrent.LinkedBlockingQueue<>();
        com.sun.net.httpserver.HttpServer receiver = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 8);
        receiver.createContext("/hook", exchange -> {
            try (exchange) {
                posted.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                exchange.sendResponseHeaders(200, -1);
            }
        });
        receiver.start();
        PipedReader pipe = new PipedReader();
        PrintWriter out = new PrintWriter(new PipedWriter(pipe), true);
        Thread simulator = new Thread(() -> new CommandLine(new KysoCommand()).setOut(out)
                .execute("simulator", "--json", "--port", "0", "--delay", "PT0.1S", "--sp769-webhook",
                        "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook"), "simulator-command");
        simulator.setDaemon(true);
        simulator.start();
        try {
            String first = new BufferedReader(pipe).readLine();
            assertNotNull(first, "the simulator printed nothing");
            assertTrue(first.startsWith("{\"sp769\":{") && first.contains("\"csc\":{") && first.contains("\"mss\":{"), first);
            String url = field(first, "sp769", "url");
            assertTrue(url.startsWith("http://127.0.0.1:"), url);

            Path in = dir.resolve("qd.pdf");
            try (PDDocument doc = new PDDocument(); ByteArrayOutputStream bytes = new ByteArrayOutputStream()) {
                doc.addPage(new PDPage());
                doc.save(bytes);
                Files.write(in, bytes.toByteArray());
            }
            Path secret = Files.writeString(dir.resolve("secret.txt"), field(first, "sp769", "sp_password") + "\n");
            List<String> args = new ArrayList<>(List.of("sign", in.toString(), dir.resolve("qd-signed.pdf").toString(),
                    "--provider", "remote-sim", "--set", "dialect=sp769", "--set", "url=" + url,
                    "--set", "sp_id=" + field(first, "sp769", "sp_id"), "--set", "poll_interval=50ms",
                    "--secret-file", secret.toString(), "--text", "Ký Quyết định 12/QĐ-UBND", "--role", "APPROVAL"));
            args.addAll(List.of("--set", "user_id=approve"));
            StringWriter err = new StringWriter();
            assertEquals(SignCommand.SIGNED, sign(args, err), err.toString());
            assertEquals(List.of(true), pdfsig(dir.resolve("qd-signed.pdf")), "pdfsig checks the signature's integrity");
            String result = posted.poll(30, TimeUnit.SECONDS);
            assertNotNull(result, "the simulator posted no result to --sp769-webhook");
            assertTrue(result.contains("\"message\":\"SUCCESS\""), result);

            args.set(args.size() - 1, "user_id=reject");
            args.set(2, dir.resolve("rejected.pdf").toString());
            StringWriter refused = new StringWriter();
            assertEquals(SignCommand.FAILED, sign(args, refused));
            assertTrue(refused.toString().contains("declined"), refused.toString());
            assertTrue(!Files.exists(dir.resolve("rejected.pdf")), "no output when the person declines");
        } finally {
            simulator.interrupt();
            simulator.join(TimeUnit.SECONDS.toMillis(30));
            receiver.stop(0);
        }
    }

    private static List<Boolean> pdfsig(Path pdf) throws Exception {
        Process p = new ProcessBuilder("pdfsig", "-nocert", pdf.toString()).redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        List<Boolean> result = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.contains("Signature Validation:")) {
                result.add(line.contains("Signature is Valid."));
            }
        }
        return result;
    }
}
