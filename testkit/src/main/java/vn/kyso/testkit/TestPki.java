package vn.kyso.testkit;

import static vn.kyso.testkit.CertificateMaker.dn;

import com.sun.net.httpserver.HttpServer;
import java.math.BigInteger;
import java.net.URI;
import java.security.KeyPair;
import java.security.cert.CRLReason;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.bouncycastle.asn1.x500.style.BCStyle;
import vn.kyso.testkit.CertificateMaker.Kind;
import vn.kyso.testkit.CertificateMaker.Spec;

/**
 * A Vietnamese-shaped test PKI with its revocation and timestamp services live on loopback,
 * so signing and verification tests run against real certificates, CRLs, OCSP and RFC 3161
 * instead of mocks.
 *
 * <p>Two hierarchies, which do not chain to each other, as in Vietnam:
 * <ul>
 *   <li>{@link #cipherRoot()} "Test RootCA chuyên dùng Chính phủ" (like the Government Cipher
 *       Committee's root) → {@link #cipherCa()} "Test CA phục vụ các cơ quan Nhà nước", which
 *       issues {@link #person()}, {@link #organization()}, {@link #taxAuthority()} and
 *       {@link #revoked()};</li>
 *   <li>{@link #nationalRoot()} "Test Vietnam National Root CA" → {@link #vnptCa()}
 *       "Test VNPT-CA", which issues {@link #ecPerson()}, {@link #invoiceSeller()},
 *       {@link #expired()}, {@link #notYetValid()}, {@link #legacySha1()} and {@link #tsa()}.</li>
 * </ul>
 *
 * <p><b>Ports and URLs.</b> {@link #start()} first binds one HTTP server on
 * {@code 127.0.0.1} with an ephemeral port, then issues every certificate with its AIA (OCSP,
 * caIssuers) and CRL distribution point URLs on that port, then starts serving; see
 * {@link TestServices} for the paths. Certificates therefore differ between instances only by
 * port and signature; subjects, serials, validity and extensions are fixed.
 *
 * <p><b>Cost.</b> Keys, not certificates, are cached per JVM: the first start generates them
 * (about a second), later starts only issue certificates (milliseconds). Start one per test
 * class (or use {@link TestPkiExtension}) and close it after.
 *
 * <p><b>Time.</b> Validity is anchored to fixed dates, not to "now": ordinary end-entity
 * certificates are valid from {@link #ISSUED_AT} to {@link #EXPIRES_AT}, {@link #revoked()}
 * was revoked at {@link #REVOKED_AT}, {@link #expired()} ended on 2023-01-01 and
 * {@link #notYetValid()} starts on 2040-01-01 (all +07:00). The {@link Clock} given to
 * {@link #start(Clock)} only sets the times the services put in timestamps, OCSP responses and
 * CRLs; {@link #REFERENCE_TIME} is a convenient fixed "now".
 *
 * <p>Thread-safe; immutable except for the service switches of {@link #services()}.
 */
public final class TestPki implements AutoCloseable {

    /** Vietnam's offset, +07:00, used by the fixed dates of this PKI. */
    public static final ZoneOffset VIETNAM = ZoneOffset.ofHours(7);

    /** notBefore of the ordinary end-entity, TSA and OCSP certificates: 2024-01-01T00:00+07:00. */
    public static final Instant ISSUED_AT = at(2024, 1, 1, 0, 0);

    /** notAfter of the ordinary end-entity, TSA and OCSP certificates: 2044-01-01T00:00+07:00. */
    public static final Instant EXPIRES_AT = at(2044, 1, 1, 0, 0);

    /** When {@link #revoked()} was revoked (reason keyCompromise): 2024-06-01T09:00+07:00. */
    public static final Instant REVOKED_AT = at(2024, 6, 1, 9, 0);

    /**
     * A fixed "now", 2025-03-14T09:30+07:00, at which the ordinary certificates are valid,
     * {@link #revoked()} is already revoked, {@link #expired()} has expired and
     * {@link #notYetValid()} is not valid yet; use it with {@code Clock.fixed} for repeatable tests.
     */
    public static final Instant REFERENCE_TIME = at(2025, 3, 14, 9, 30);

    /** The policy OID (in the ITU-T "example" arc) the TSA puts in every token. */
    public static final String TSA_POLICY = "2.999.3161.1";

    private static final Instant CA_FROM = at(2020, 1, 1, 0, 0);
    private static final Instant ROOT_UNTIL = at(2050, 1, 1, 0, 0);
    private static final Instant INTERMEDIATE_UNTIL = at(2045, 1, 1, 0, 0);
    private static final String SHA256_RSA = "SHA256withRSA";

    private static final String CIPHER_ORG = "Ban Cơ yếu Chính phủ (test)";
    private static final String SO_CONG_THUONG = "Sở Công Thương tỉnh Đồng Nai";
    private static final String DONG_NAI = "Đồng Nai";

    /** Every certificate of the PKI, issuers before what they issue. */
    private static final List<Spec> SPECS = List.of(
            ca("cipher-root", null, Kind.ROOT, 0x01, ROOT_UNTIL,
                    dn(BCStyle.C, "VN", BCStyle.O, CIPHER_ORG, BCStyle.CN, "Test RootCA chuyên dùng Chính phủ")),
            ca("cipher-ca", "cipher-root", Kind.INTERMEDIATE, 0x101, INTERMEDIATE_UNTIL,
                    dn(BCStyle.C, "VN", BCStyle.O, CIPHER_ORG, BCStyle.CN, "Test CA phục vụ các cơ quan Nhà nước")),
            ca("national-root", null, Kind.ROOT, 0x02, ROOT_UNTIL,
                    dn(BCStyle.C, "VN", BCStyle.O, "Ministry of Information and Communications (test)",
                            BCStyle.CN, "Test Vietnam National Root CA")),
            ca("vnpt-ca", "national-root", Kind.INTERMEDIATE, 0x102, INTERMEDIATE_UNTIL,
                    dn(BCStyle.C, "VN", BCStyle.O, "VNPT (test)", BCStyle.CN, "Test VNPT-CA")),
            leaf("person", "cipher-ca", Kind.SIGNER, 0x1001, Keys.Type.RSA_2048,
                    person("Nguyễn Văn An", SO_CONG_THUONG, "CCCD:075085001234")),
            leaf("organization", "cipher-ca", Kind.SIGNER, 0x1002, Keys.Type.RSA_2048,
                    dn(BCStyle.C, "VN", BCStyle.L, DONG_NAI, BCStyle.O, "Ủy ban nhân dân tỉnh Đồng Nai",
                            BCStyle.UID, "MST:3600123456", BCStyle.CN, SO_CONG_THUONG)),
            leaf("tax-authority", "cipher-ca", Kind.SIGNER, 0x1003, Keys.Type.RSA_2048,
                    dn(BCStyle.C, "VN", BCStyle.L, "Hà Nội", BCStyle.O, "BỘ TÀI CHÍNH",
                            BCStyle.CN, "CỤC THUẾ (test)")),
            leaf("revoked", "cipher-ca", Kind.SIGNER, 0x1004, Keys.Type.RSA_2048,
                    person("Lê Thị Dung", SO_CONG_THUONG, "CCCD:075188003579")),
            leaf("ocsp-cipher-ca", "cipher-ca", Kind.OCSP_RESPONDER, 0x1005, Keys.Type.RSA_2048,
                    dn(BCStyle.C, "VN", BCStyle.O, CIPHER_ORG,
                            BCStyle.CN, "Test OCSP CA phục vụ các cơ quan Nhà nước")),
            leaf("ec-person", "vnpt-ca", Kind.SIGNER, 0x2001, Keys.Type.EC_P256,
                    person("Trần Thị Bích Ngọc", "Văn phòng Ủy ban nhân dân tỉnh Đồng Nai", "CCCD:075190004321")),
            leaf("invoice-seller", "vnpt-ca", Kind.SIGNER, 0x2002, Keys.Type.RSA_2048,
                    dn(BCStyle.C, "VN", BCStyle.L, "Thành phố Hồ Chí Minh",
                            BCStyle.UID, "MST:0312345678", BCStyle.CN, "Công ty Cổ phần Giải pháp Kỳ Số (test)")),
            new Spec("expired", "vnpt-ca", Kind.SIGNER,
                    person("Phạm Minh Cường", SO_CONG_THUONG, "CCCD:075080002468"),
                    serial(0x2003), at(2021, 1, 1, 0, 0), at(2023, 1, 1, 0, 0), Keys.Type.RSA_2048, SHA256_RSA),
            new Spec("not-yet-valid", "vnpt-ca", Kind.SIGNER,
                    person("Hoàng Văn Đức", SO_CONG_THUONG, "CCCD:075092006789"),
                    serial(0x2004), at(2040, 1, 1, 0, 0), EXPIRES_AT, Keys.Type.RSA_2048, SHA256_RSA),
            new Spec("legacy-sha1", "vnpt-ca", Kind.SIGNER,
                    person("Võ Thị Hạnh", SO_CONG_THUONG, "CMND:271234567"),
                    serial(0x2005), ISSUED_AT, EXPIRES_AT, Keys.Type.RSA_1024, "SHA1withRSA"),
            leaf("tsa", "vnpt-ca", Kind.TSA, 0x2006, Keys.Type.RSA_2048,
                    dn(BCStyle.C, "VN", BCStyle.O, "VNPT (test)", BCStyle.CN, "Test VNPT TSA")),
            leaf("ocsp-vnpt-ca", "vnpt-ca", Kind.OCSP_RESPONDER, 0x2007, Keys.Type.RSA_2048,
                    dn(BCStyle.C, "VN", BCStyle.O, "VNPT (test)", BCStyle.CN, "Test VNPT-CA OCSP")));

    private static final Map<String, String> RESPONDERS =
            Map.of("cipher-ca", "ocsp-cipher-ca", "vnpt-ca", "ocsp-vnpt-ca");

    private final Map<String, TestIdentity> identities;
    private final TestServices services;

    private TestPki(Map<String, TestIdentity> identities, TestServices services) {
        this.identities = identities;
        this.services = services;
    }

    /**
     * Starts the services on a free loopback port and issues the PKI for it, with the system
     * clock for service times. Close it when done; the port is released then.
     *
     * @return a new, running PKI; never null
     * @throws java.io.UncheckedIOException if no loopback port can be bound
     */
    public static TestPki start() {
        return start(Clock.systemUTC());
    }

    /**
     * Like {@link #start()}, with {@code clock} giving the time the TSA, the OCSP responder and
     * the CRLs use as "now" (revocation is reported only once the clock has reached
     * {@link #REVOKED_AT}).
     *
     * @param clock never null
     */
    public static TestPki start(Clock clock) {
        Objects.requireNonNull(clock, "clock");
        Map<String, Keys.Type> keyTypes = new LinkedHashMap<>();
        SPECS.forEach(s -> keyTypes.put(s.alias(), s.keyType()));
        Keys.warmUp(keyTypes);
        HttpServer server = TestServices.bind();
        try {
            Map<String, TestIdentity> identities = issueAll(TestServices.baseUri(server));
            List<String> cas = SPECS.stream()
                    .filter(s -> s.kind() == Kind.ROOT || s.kind() == Kind.INTERMEDIATE)
                    .map(Spec::alias).toList();
            Directory directory = new Directory(identities, cas, RESPONDERS, "tsa");
            return new TestPki(identities, TestServices.start(server, directory, clock));
        } catch (RuntimeException | Error e) {
            server.stop(0);
            throw e;
        }
    }

    private static Map<String, TestIdentity> issueAll(URI base) {
        Map<String, TestIdentity> issued = new LinkedHashMap<>();
        for (Spec spec : SPECS) {
            KeyPair keys = Keys.get(spec.alias(), spec.keyType());
            TestIdentity issuer = spec.issuerAlias() == null ? null : issued.get(spec.issuerAlias());
            X509Certificate cert = CertificateMaker.issue(spec, keys,
                    issuer == null ? null : issuer.certificate(),
                    issuer == null ? keys.getPrivate() : issuer.privateKey(), base);
            List<X509Certificate> chain = new ArrayList<>();
            chain.add(cert);
            if (issuer != null && !issuer.certificate().equals(issuer.root())) {
                chain.addAll(issuer.chain());
            }
            boolean revoked = spec.alias().equals("revoked");
            issued.put(spec.alias(), new TestIdentity(spec.alias(),
                    issuer == null ? spec.alias() : issuer.alias(), keys, cert, chain,
                    issuer == null ? cert : issuer.root(),
                    revoked ? REVOKED_AT : null, revoked ? CRLReason.KEY_COMPROMISE : null));
        }
        return Map.copyOf(issued);
    }

    /** The live HTTP services (TSA, OCSP, CRL, caIssuers) this PKI's URLs point at; never null. */
    public TestServices services() {
        return services;
    }

    /** Root like the Government Cipher Committee's: "Test RootCA chuyên dùng Chính phủ". */
    public TestIdentity cipherRoot() {
        return identity("cipher-root");
    }

    /** Intermediate under {@link #cipherRoot()}: "Test CA phục vụ các cơ quan Nhà nước". */
    public TestIdentity cipherCa() {
        return identity("cipher-ca");
    }

    /** Root like the national one above the public CAs: "Test Vietnam National Root CA". */
    public TestIdentity nationalRoot() {
        return identity("national-root");
    }

    /** Public CA under {@link #nationalRoot()}: "Test VNPT-CA". */
    public TestIdentity vnptCa() {
        return identity("vnpt-ca");
    }

    /** A civil servant, RSA-2048, cipher hierarchy: CN=Nguyễn Văn An, O=Sở Công Thương tỉnh Đồng Nai. */
    public TestIdentity person() {
        return identity("person");
    }

    /** A civil servant with an EC P-256 key, VNPT hierarchy: CN=Trần Thị Bích Ngọc. */
    public TestIdentity ecPerson() {
        return identity("ec-person");
    }

    /** An agency's organization certificate (the seal), cipher hierarchy: CN=Sở Công Thương tỉnh Đồng Nai, UID=MST:3600123456. */
    public TestIdentity organization() {
        return identity("organization");
    }

    /** A company selling with e-invoices, VNPT hierarchy: UID=MST:0312345678. */
    public TestIdentity invoiceSeller() {
        return identity("invoice-seller");
    }

    /** The tax authority's signing certificate, cipher hierarchy: CN=CỤC THUẾ (test), O=BỘ TÀI CHÍNH. */
    public TestIdentity taxAuthority() {
        return identity("tax-authority");
    }

    /** A person whose certificate expired on 2023-01-01T00:00+07:00 (valid from 2021-01-01), VNPT hierarchy. */
    public TestIdentity expired() {
        return identity("expired");
    }

    /** A person whose certificate was revoked at {@link #REVOKED_AT}, reason keyCompromise, cipher hierarchy. */
    public TestIdentity revoked() {
        return identity("revoked");
    }

    /** A person whose certificate is valid only from 2040-01-01T00:00+07:00, VNPT hierarchy. */
    public TestIdentity notYetValid() {
        return identity("not-yet-valid");
    }

    /** A legacy RSA-1024 key in a certificate signed with SHA1withRSA, otherwise valid, VNPT hierarchy. */
    public TestIdentity legacySha1() {
        return identity("legacy-sha1");
    }

    /** The timestamp authority's certificate (EKU timeStamping, critical), VNPT hierarchy. */
    public TestIdentity tsa() {
        return identity("tsa");
    }

    /**
     * The delegated OCSP responder (EKU OCSPSigning, id-pkix-ocsp-nocheck) of an intermediate CA.
     * Responses about the intermediates themselves are signed by their roots directly.
     *
     * @param ca {@link #cipherCa()} or {@link #vnptCa()}
     * @throws IllegalArgumentException for any other identity
     */
    public TestIdentity ocspResponder(TestIdentity ca) {
        Objects.requireNonNull(ca, "ca");
        String responder = RESPONDERS.get(ca.alias());
        if (responder == null || identities.get(ca.alias()) != ca) {
            throw new IllegalArgumentException("no delegated OCSP responder for " + ca.alias()
                    + " in this PKI; pass cipherCa() or vnptCa() of the same TestPki");
        }
        return identity(responder);
    }

    /**
     * The identity with this alias (see {@link TestIdentity#alias()}).
     *
     * @throws IllegalArgumentException if there is none; the message lists the aliases
     */
    public TestIdentity identity(String alias) {
        TestIdentity identity = identities.get(alias);
        if (identity == null) {
            throw new IllegalArgumentException("no test identity '" + alias + "'; known: " + aliases());
        }
        return identity;
    }

    /** Every identity, CAs first then end entities, issuers before what they issue; immutable. */
    public List<TestIdentity> identities() {
        return aliases().stream().map(identities::get).toList();
    }

    /** The two roots, cipher then national; immutable. */
    public List<X509Certificate> roots() {
        return List.of(cipherRoot().certificate(), nationalRoot().certificate());
    }

    /** The two roots as PKIX trust anchors (no name constraints); immutable. */
    public Set<TrustAnchor> trustAnchors() {
        Set<TrustAnchor> anchors = new LinkedHashSet<>();
        roots().forEach(r -> anchors.add(new TrustAnchor(r, null)));
        return Set.copyOf(anchors);
    }

    /** Stops the services and releases the port. Idempotent. */
    @Override
    public void close() {
        services.close();
    }

    @Override
    public String toString() {
        return "TestPki[" + services.baseUri() + "]";
    }

    private static List<String> aliases() {
        return SPECS.stream().map(Spec::alias).toList();
    }

    private static Spec ca(String alias, String issuer, Kind kind, long serial, Instant until,
                           org.bouncycastle.asn1.x500.X500Name subject) {
        return new Spec(alias, issuer, kind, subject, serial(serial), CA_FROM, until, Keys.Type.RSA_2048, SHA256_RSA);
    }

    private static Spec leaf(String alias, String issuer, Kind kind, long serial, Keys.Type type,
                             org.bouncycastle.asn1.x500.X500Name subject) {
        return new Spec(alias, issuer, kind, subject, serial(serial), ISSUED_AT, EXPIRES_AT, type, SHA256_RSA);
    }

    private static org.bouncycastle.asn1.x500.X500Name person(String name, String organization, String uid) {
        return dn(BCStyle.C, "VN", BCStyle.L, DONG_NAI, BCStyle.O, organization,
                BCStyle.UID, uid, BCStyle.CN, name);
    }

    /** Serials are fixed, positive, 64-bit, and start with "KYSO" in ASCII. */
    private static BigInteger serial(long n) {
        return BigInteger.valueOf(0x4B59534F_00000000L + n);
    }

    private static Instant at(int year, int month, int day, int hour, int minute) {
        return LocalDateTime.of(year, month, day, hour, minute).toInstant(VIETNAM);
    }
}
