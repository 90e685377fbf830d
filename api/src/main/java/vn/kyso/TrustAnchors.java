package vn.kyso;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A named set of trust anchors and the untrusted CA certificates that complete chains below
 * them, given to a policy with {@link ValidationPolicy.Builder#trust(TrustAnchors)}.
 *
 * <p>{@link #vietnam()} is built in: the two Vietnamese roots, each pinned by its SHA-256
 * fingerprint, and the issuing CAs under them. A separate type, rather than two more lists on
 * the builder, so that the set travels as one value with its name (reports and the command line
 * show it) and its pins are checked in one place.
 */
public final class TrustAnchors {
    private static final String BASE = "/vn/kyso/trust/vietnam/";

    /** Trusted: the roots, by file and pinned SHA-256 fingerprint (docs/trust-vietnam.md cites their sources). */
    private static final String[][] VIETNAM_ROOTS = {
        // Vietnam National Root CA (MIC/NEAC), root of the licensed public CAs
        {"vnrca256.pem", "bac8bf609ab420a8ee1780d74f4de5c7f7184959d2a7375b0a75e4c29f0908e7"},
        // RootCA chuyên dùng Chính phủ G2 (Ban Cơ yếu Chính phủ), root of the state bodies' PKI
        {"rootcag2.pem", "f04ba4b459a7c9a1b971ad9b1cb833e695a80c79aea63b174b66a70edfe2fdb8"},
    };

    /** Untrusted intermediates: they complete chains (XML carries the leaf only) and gain trust only from a root. */
    private static final String[][] VIETNAM_INTERMEDIATES = {
        // CA phục vụ các cơ quan Nhà nước G2, under the Cipher Committee's G2 root (issues the tax authority's)
        {"cpcag2.pem", "d8cab7a4aef92e6bb2509d7c61cee7b44f3731b2d21074963530277b366fae4b"},
        // VNPT-CA SHA2, under the national root
        {"vnpt-ca-sha2.pem", "7d6ba5245317f9ed5d8bc765a4634d26ac6340d36b9f584df3b52d9c4a81a306"},
        // VNPT SmartCA RS (VNPT's remote-signing CA), under the national root
        {"vnpt-smartca-rs.pem", "95cf8f36c986e0c0f7e03761b17d7804072cb644b235a8f1c62107f8804a4889"},
        // Viettel-CA RS (Viettel's remote-signing CA, MySign), under the national root
        {"viettel-ca-rs.pem", "860bcbe22fdc6757fe03b4597f7c61ca7f36e13ceb74a78cbefc9c5b267b8662"},
        // FastCA SHA-256, under the national root (expired 2025-12-22: still completes chains of signatures timestamped before)
        {"fastca-sha256.pem", "bce53bfc017dc917ccac7f314bcddf257c53ec8ffc0165f33a80558deded01f1"},
    };

    private static final TrustAnchors VIETNAM = new TrustAnchors("vn", load(VIETNAM_ROOTS), load(VIETNAM_INTERMEDIATES));

    private final String name;
    private final List<X509Certificate> anchors;
    private final List<X509Certificate> intermediates;

    private TrustAnchors(String name, List<X509Certificate> anchors, List<X509Certificate> intermediates) {
        this.name = name;
        this.anchors = List.copyOf(anchors);
        this.intermediates = List.copyOf(intermediates);
    }

    /**
     * The Vietnamese set, named "vn": anchors Vietnam National Root CA and RootCA chuyên dùng
     * Chính phủ G2; intermediates CA phục vụ các cơ quan Nhà nước G2 and the licensed public CAs'
     * certificates under the national root that kyso carries.
     */
    public static TrustAnchors vietnam() {
        return VIETNAM;
    }

    /** A set of the caller's own: {@code anchors} trusted, {@code intermediates} only completing chains. */
    public static TrustAnchors of(String name, List<X509Certificate> anchors, List<X509Certificate> intermediates) {
        return new TrustAnchors(Objects.requireNonNull(name, "name must not be null"),
                Objects.requireNonNull(anchors, "anchors must not be null"),
                Objects.requireNonNull(intermediates, "intermediates must not be null"));
    }

    public String name() {
        return name;
    }

    /** The trusted certificates. */
    public List<X509Certificate> anchors() {
        return anchors;
    }

    /** CA certificates that may complete a chain without being trusted themselves. */
    public List<X509Certificate> intermediates() {
        return intermediates;
    }

    @Override
    public String toString() {
        return "TrustAnchors[" + name + ", " + anchors.size() + " anchors, " + intermediates.size() + " intermediates]";
    }

    /** Reads each bundled certificate and refuses one whose fingerprint is not the pinned one. */
    private static List<X509Certificate> load(String[][] pinned) {
        List<X509Certificate> out = new ArrayList<>();
        for (String[] p : pinned) {
            try (InputStream in = TrustAnchors.class.getResourceAsStream(BASE + p[0])) {
                if (in == null) {
                    throw new IllegalStateException("kyso's built-in trust is missing " + p[0] + ": a damaged kyso-api jar");
                }
                X509Certificate c = Certificates.parse(in.readAllBytes()).get(0);
                String fingerprint = Certificates.fingerprint(c).toLowerCase(Locale.ROOT);
                if (!fingerprint.equals(p[1])) {
                    throw new IllegalStateException("kyso's built-in " + p[0] + " has SHA-256 " + fingerprint
                            + ", not the pinned " + p[1] + ": the kyso-api jar was altered");
                }
                out.add(c);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (CertificateException e) {
                throw new IllegalStateException("kyso's built-in " + p[0] + " cannot be read", e);
            }
        }
        return out;
    }
}
