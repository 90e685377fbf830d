package vn.kyso.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.kyso.UsageReporter;

/** The HTTP and WebSocket front door, byte by byte, with no token behind it. */
class LoopbackServerTest {
    private static final String DMS = "https://dms.example.gov.vn";
    @TempDir
    Path dir;
    private Agent agent;
    private final ScriptedConsent consent = new ScriptedConsent(null);

    @BeforeEach
    void start() throws IOException {
        agent = Agent.start(new Agent.Settings(0, List.of(DMS), List.of(), null, null, Duration.ofSeconds(30)),
                consent, UsageReporter.none());
    }

    @AfterEach
    void stop() {
        agent.close();
    }

    private RawClient socket() throws IOException {
        RawClient c = RawClient.connect("127.0.0.1", agent.port());
        assertEquals(101, c.upgrade("localhost:" + agent.port(), DMS).status());
        return c;
    }

    @SuppressWarnings("unchecked")
    private static String code(String reply) throws Exception {
        Map<String, Object> m = (Map<String, Object>) Json.parse(reply);
        return (String) ((Map<String, Object>) m.get("error")).get("code");
    }

    @Test
    void badRequestsGetTypedErrorsAndTheConnectionStaysUsable() throws Exception {
        try (RawClient ws = socket()) {
            for (String bad : List.of("not json", "[]", "{\"v\":1,\"op\":\"hello\"}",
                    "{\"v\":1,\"id\":\"a\",\"id\":\"b\",\"op\":\"hello\"}", "{\"v\":1,\"id\":\"a\",\"op\":\"format\"}",
                    "{\"v\":1,\"id\":\"a\",\"op\":\"hello\",\"library\":\"/tmp/evil.so\"}",
                    "{\"v\":1,\"id\":\"" + "x".repeat(65) + "\",\"op\":\"hello\"}",
                    "{\"v\":\"1\",\"id\":\"a\",\"op\":\"hello\"}",
                    "{\"v\":1e99999999999999999999,\"id\":\"a\",\"op\":\"hello\"}")) {
                ws.send(bad);
                assertEquals("BAD_REQUEST", code(ws.receive()), bad);
            }
            ws.send("{\"v\":2,\"id\":\"a\",\"op\":\"hello\"}");
            assertEquals("VERSION_MISMATCH", code(ws.receive()));
            ws.send("{\"v\":1,\"id\":\"s\",\"op\":\"sign\",\"certificate\":\"0:x/01\",\"algorithm\":\"MD5\","
                    + "\"digest\":\"AA==\",\"document\":{\"title\":\"t\"}}");
            assertEquals("UNSUPPORTED_ALGORITHM", code(ws.receive()));
            ws.send("{\"v\":1,\"id\":\"s\",\"op\":\"sign\",\"certificate\":\"0:x/01\",\"algorithm\":\"RSA_SHA256\","
                    + "\"digest\":\"AA==\",\"document\":{\"title\":\"t\"}}");
            assertEquals("BAD_REQUEST", code(ws.receive()), "a digest of the wrong length");
            ws.send("{\"v\":1,\"id\":\"h\",\"op\":\"hello\"}");
            assertTrue(ws.receive().contains("\"ok\":true"));
        }
        assertEquals(0, consent.prompts.size(), "nothing invalid reaches the user");
    }

    @Test
    void aMessageOverTheLimitClosesWith1009AndAnUnmaskedFrameWith1002() throws Exception {
        try (RawClient ws = socket()) {
            ws.send("x".repeat(LoopbackServer.MAX_MESSAGE + 1));
            RawClient.Frame close = ws.readFrame();
            assertEquals(WebSocket.OP_CLOSE, close.opcode());
            assertEquals(1009, close.closeCode());
        }
        try (RawClient ws = socket()) {
            // fragments that add up to more than the limit are refused as well
            byte[] half = new byte[LoopbackServer.MAX_MESSAGE / 2 + 1];
            ws.frame(0x01, half, true);
            ws.frame(0x00, half, true);
            assertEquals(1009, ws.readFrame().closeCode());
        }
        try (RawClient ws = socket()) {
            ws.frame(0x81, "{}".getBytes(StandardCharsets.UTF_8), false);
            assertEquals(1002, ws.readFrame().closeCode());
        }
        try (RawClient ws = socket()) {
            ws.frame(0x82, new byte[] {1, 2}, true);
            assertEquals(1003, ws.readFrame().closeCode(), "binary messages are not spoken");
        }
        try (RawClient ws = socket()) {
            ws.frame(0x81, new byte[] {(byte) 0xC3, (byte) 0x28}, true);
            assertEquals(1007, ws.readFrame().closeCode(), "invalid UTF-8");
        }
        try (RawClient ws = socket()) {
            ws.frame(0xC1, "{}".getBytes(StandardCharsets.UTF_8), true);
            assertEquals(1002, ws.readFrame().closeCode(), "a reserved bit without an extension");
        }
    }

    @Test
    void fragmentsArePutTogetherPingsAnsweredAndTheCloseHandshakeCompleted() throws Exception {
        try (RawClient ws = socket()) {
            byte[] all = "{\"v\":1,\"id\":\"f\",\"op\":\"hello\"}".getBytes(StandardCharsets.UTF_8);
            ws.frame(0x01, java.util.Arrays.copyOfRange(all, 0, 10), true);
            ws.frame(0x89, "p".getBytes(StandardCharsets.UTF_8), true);
            RawClient.Frame pong = ws.readFrame();
            assertEquals(WebSocket.OP_PONG, pong.opcode());
            assertEquals("p", pong.text());
            ws.frame(0x80, java.util.Arrays.copyOfRange(all, 10, all.length), true);
            assertTrue(ws.receive().contains("\"id\":\"f\""));
            ws.frame(0x88, new byte[] {0x03, (byte) 0xE8}, true);
            RawClient.Frame close = ws.readFrame();
            assertEquals(WebSocket.OP_CLOSE, close.opcode());
            assertEquals(1000, close.closeCode());
            assertThrows(IOException.class, ws::readFrame, "the server ends the connection after the close");
        }
    }

    @Test
    void stoppingTheAgentEndsItsOpenConnections() throws Exception {
        try (RawClient ws = socket()) {
            ws.send("{\"v\":1,\"id\":\"h\",\"op\":\"hello\"}");
            assertTrue(ws.receive().contains("\"ok\":true"));
            agent.close();
            IOException ended = assertThrows(IOException.class, ws::readFrame);
            assertFalse(ended instanceof java.net.SocketTimeoutException, "the connection is ended, not left hanging");
        }
    }

    @Test
    void malformedHttpIsRefusedBeforeAnyCheckPasses() throws Exception {
        int port = agent.port();
        String host = "Host: 127.0.0.1:" + port;
        try (RawClient c = RawClient.connect("127.0.0.1", port)) {
            assertEquals(431, c.request("GET /kyso/v1/hello HTTP/1.1", host, "Origin: " + DMS,
                    "X-Big: " + "a".repeat(HttpHead.MAX_HEAD)).status());
        }
        try (RawClient c = RawClient.connect("127.0.0.1", port)) {
            assertEquals(400, c.request("GET /kyso/v1/hello HTTP/1.0", host, "Origin: " + DMS).status());
        }
        try (RawClient c = RawClient.connect("127.0.0.1", port)) {
            assertEquals(413, c.request("POST /kyso/v1/hello HTTP/1.1", host, "Origin: " + DMS,
                    "Transfer-Encoding: chunked").status());
        }
        try (RawClient c = RawClient.connect("127.0.0.1", port)) {
            RawClient.Response r = c.request("GET /kyso/v1/ws HTTP/1.1", host, "Origin: " + DMS,
                    "Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Version: 8",
                    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==");
            assertEquals(426, r.status());
            assertEquals("13", r.headers().get("sec-websocket-version"));
        }
        try (RawClient c = RawClient.connect("127.0.0.1", port)) {
            RawClient.Response r = c.request("OPTIONS /kyso/v1/hello HTTP/1.1", host, "Origin: " + DMS,
                    "Access-Control-Request-Method: GET");
            assertEquals(204, r.status());
            assertEquals(DMS, r.headers().get("access-control-allow-origin"));
        }
        try (RawClient c = RawClient.connect("127.0.0.1", port)) {
            RawClient.Response r = c.request("GET /etc/passwd HTTP/1.1", host, "Origin: " + DMS);
            assertEquals(404, r.status());
            assertEquals("not found", r.body(), "no file is ever served");
        }
    }
}
