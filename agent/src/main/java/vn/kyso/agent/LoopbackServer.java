package vn.kyso.agent;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Semaphore;
import javax.net.ServerSocketFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP discovery and the WebSocket on one port of 127.0.0.1 and ::1, and nowhere else. Every
 * request passes the Host check (DNS rebinding) and the exact Origin allow-list before anything
 * else happens; a refused WebSocket gets its 403 before the upgrade.
 */
final class LoopbackServer implements AutoCloseable {
    static final String HELLO_PATH = "/kyso/v1/hello";
    static final String SOCKET_PATH = "/kyso/v1/ws";
    static final int MAX_MESSAGE = 64 * 1024;
    /**
     * A signPdf or signXml message: the document in base64 and 64 KiB for the rest. At most {@link #MAX_CONNECTIONS}
     * of these are held at a time, so the agent's memory stays bounded.
     */
    static final int MAX_DOCUMENT_MESSAGE = 4 * ((DocumentSigning.MAX_DOCUMENT + 2) / 3) + MAX_MESSAGE;
    static final int MAX_CONNECTIONS = 16;
    static final int HEAD_TIMEOUT_MS = 10_000;
    static final int IDLE_TIMEOUT_MS = 10 * 60_000;
    private static final Logger LOG = LoggerFactory.getLogger(LoopbackServer.class);

    private final Origins origins;
    private final Protocol protocol;
    private final List<ServerSocket> listeners = new ArrayList<>();
    private final Semaphore connections = new Semaphore(MAX_CONNECTIONS);
    private final Set<Socket> open = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final int port;
    private final Set<String> hosts;
    private volatile boolean closed;

    /**
     * Binds 127.0.0.1 (required) and ::1 (when the machine has IPv6) on {@code port}, 0 for any.
     */
    LoopbackServer(int port, Origins origins, Protocol protocol, ServerSocketFactory sockets) throws IOException {
        this.origins = origins;
        this.protocol = protocol;
        ServerSocket v4 = sockets.createServerSocket();
        v4.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 50);
        listeners.add(v4);
        this.port = v4.getLocalPort();
        try {
            ServerSocket v6 = sockets.createServerSocket();
            v6.bind(new InetSocketAddress(InetAddress.getByName("::1"), this.port), 50);
            listeners.add(v6);
        } catch (IOException noIpv6) {
            LOG.info("::1 is not available ({}); listening on 127.0.0.1 only", noIpv6.getMessage());
        }
        this.hosts = Set.of("127.0.0.1:" + this.port, "localhost:" + this.port, "[::1]:" + this.port);
        for (ServerSocket listener : listeners) {
            Thread t = new Thread(() -> accept(listener), "kyso-agent-accept-" + listener.getInetAddress());
            t.setDaemon(true);
            t.start();
        }
    }

    int port() {
        return port;
    }

    private void accept(ServerSocket listener) {
        while (!closed) {
            Socket socket;
            try {
                socket = listener.accept();
            } catch (IOException e) {
                if (!closed) {
                    LOG.warn("accepting a connection failed", e);
                }
                continue;
            }
            if (!connections.tryAcquire()) {
                closeQuietly(socket);
                continue;
            }
            open.add(socket);
            Thread t = new Thread(() -> {
                try {
                    serve(socket);
                } finally {
                    closeQuietly(socket);
                    open.remove(socket);
                    connections.release();
                }
            }, "kyso-agent-connection");
            t.setDaemon(true);
            t.start();
        }
    }

    private void serve(Socket socket) {
        try {
            socket.setSoTimeout(HEAD_TIMEOUT_MS);
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = new BufferedOutputStream(socket.getOutputStream());
            HttpHead head;
            try {
                head = HttpHead.read(in);
            } catch (HttpHead.BadRequest e) {
                respond(out, e.status, null, e.getMessage(), "");
                return;
            }
            if (head == null) {
                return;
            }
            String host = head.header("host");
            if (host == null || !hosts.contains(host.toLowerCase(Locale.ROOT))) {
                // a page on a rebound DNS name reaches this port with its own name as Host
                respond(out, 403, null, "this agent answers only to 127.0.0.1, localhost and [::1] on port " + port,
                        "");
                return;
            }
            String origin = head.header("origin");
            if (origin == null || origin.equals("null") || !origins.isAllowed(origin)) {
                respond(out, 403, null, "this web site is not allowed to use the signing agent", "");
                return;
            }
            String path = head.target();
            if (path.equals(HELLO_PATH) && head.method().equals("GET")) {
                respond(out, 200, origin, Json.write(Protocol.hello()), "Content-Type: application/json\r\n");
            } else if (head.method().equals("OPTIONS") && (path.equals(HELLO_PATH) || path.equals(SOCKET_PATH))) {
                respond(out, 204, origin, "", "Access-Control-Allow-Methods: GET\r\n"
                        + "Access-Control-Allow-Headers: Content-Type\r\nAccess-Control-Max-Age: 600\r\n");
            } else if (path.equals(SOCKET_PATH) && head.method().equals("GET")) {
                upgrade(socket, in, out, head, origin);
            } else {
                respond(out, 404, origin, "not found", "");
            }
        } catch (SocketTimeoutException | SocketException e) {
            LOG.debug("connection ended: {}", e.getMessage());
        } catch (IOException e) {
            LOG.debug("connection failed", e);
        }
    }

    private void upgrade(Socket socket, InputStream in, OutputStream out, HttpHead head, String origin)
            throws IOException {
        String key = head.header("sec-websocket-key");
        if (!head.headerHasToken("upgrade", "websocket") || !head.headerHasToken("connection", "upgrade")
                || key == null || !validKey(key)) {
            respond(out, 400, origin, "a WebSocket upgrade needs Upgrade, Connection and Sec-WebSocket-Key", "");
            return;
        }
        if (!"13".equals(head.header("sec-websocket-version"))) {
            respond(out, 426, origin, "WebSocket version 13 only", "Sec-WebSocket-Version: 13\r\n");
            return;
        }
        out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + WebSocket.accept(key) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        socket.setSoTimeout(IDLE_TIMEOUT_MS);
        WebSocket ws = new WebSocket(in, out, MAX_MESSAGE, MAX_DOCUMENT_MESSAGE,
                WebSocket.startsAs(Protocol.DOCUMENT_OPERATIONS.toArray(new String[0])));
        try {
            while (!closed) {
                String message = ws.readMessage();
                protocol.handle(origin, message, reply -> {
                    try {
                        ws.sendText(reply);
                    } catch (IOException gone) {
                        LOG.debug("the page left before its reply: {}", gone.getMessage());
                    }
                });
            }
        } catch (WebSocket.Closed | WebSocket.ProtocolException e) {
            LOG.debug("WebSocket ended: {}", e.getMessage());
        } catch (SocketTimeoutException idle) {
            ws.close(1001, "idle");
        }
    }

    private static boolean validKey(String key) {
        try {
            return Base64.getDecoder().decode(key).length == 16;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** One response and the end of the connection; ACAO only ever carries the exact allowed origin. */
    private static void respond(OutputStream out, int status, String allowedOrigin, String body, String extra)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder("HTTP/1.1 ").append(status).append(' ').append(reason(status))
                .append("\r\n");
        if (allowedOrigin != null) {
            head.append("Access-Control-Allow-Origin: ").append(allowedOrigin).append("\r\nVary: Origin\r\n");
        }
        if (!extra.contains("Content-Type")) {
            head.append("Content-Type: text/plain; charset=utf-8\r\n");
        }
        head.append(extra).append("Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n")
                .append("Content-Length: ").append(bytes.length).append("\r\nConnection: close\r\n\r\n");
        out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.flush();
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 204 -> "No Content";
            case 400 -> "Bad Request";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 413 -> "Content Too Large";
            case 426 -> "Upgrade Required";
            case 431 -> "Request Header Fields Too Large";
            default -> "Error";
        };
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // nothing left to release
        }
    }

    /** Stops listening and ends every connection, so no page keeps talking to a stopped agent. */
    @Override
    public void close() {
        closed = true;
        for (ServerSocket s : listeners) {
            try {
                s.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
        for (Socket s : List.copyOf(open)) {
            closeQuietly(s);
        }
    }
}
