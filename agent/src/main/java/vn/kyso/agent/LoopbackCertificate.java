package vn.kyso.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.GeneralSubtree;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.NameConstraints;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The TLS certificate of the {@code wss://} port, for browsers that refuse plain ws to loopback
 * (Safari, Firefox in HTTPS-Only mode). Made once per machine: a CA of its own, name-constrained
 * to 127.0.0.1, ::1 and localhost, issues the loopback certificate, and its private key is
 * never written anywhere, so nothing else can ever be issued under it. The installer adds
 * {@code kyso-agent-ca.crt} to the system's (and Firefox's) trusted roots.
 */
final class LoopbackCertificate {
    static final String CA_FILE = "kyso-agent-ca.crt";
    static final String KEY_FILE = "loopback.p12";
    static final Duration LIFETIME = Duration.ofDays(800);
    /** Protects nothing by itself: the file's permissions do; PKCS#12 just needs one. */
    private static final char[] STORE_PASSWORD = "kyso-agent".toCharArray();

    private LoopbackCertificate() {
    }

    /** The TLS context from {@code dir}, making the CA and the certificate first when missing or due. */
    static SSLContext loadOrCreate(Path dir) throws IOException {
        try {
            Path store = dir.resolve(KEY_FILE);
            KeyStore ks = KeyStore.getInstance("PKCS12");
            boolean usable = false;
            if (Files.isRegularFile(store)) {
                try (InputStream in = Files.newInputStream(store)) {
                    ks.load(in, STORE_PASSWORD);
                }
                X509Certificate leaf = (X509Certificate) ks.getCertificate("loopback");
                usable = leaf != null && leaf.getNotAfter().toInstant().isAfter(Instant.now().plus(Duration.ofDays(30)));
            }
            if (!usable) {
                ks = create(dir);
            }
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, STORE_PASSWORD);
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(kmf.getKeyManagers(), null, null);
            return tls;
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IOException("cannot make the loopback TLS certificate: " + e.getMessage(), e);
        }
    }

    private static KeyStore create(Path dir)
            throws GeneralSecurityException, OperatorCreationException, IOException {
        SecureRandom random = new SecureRandom();
        KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
        gen.initialize(new ECGenParameterSpec("secp256r1"), random);
        KeyPair ca = gen.generateKeyPair();
        KeyPair leaf = gen.generateKeyPair();
        Instant now = Instant.now();
        Date from = Date.from(now.minus(Duration.ofDays(1)));
        Date to = Date.from(now.plus(LIFETIME));
        JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
        X500Name caName = new X500Name("CN=kyso-agent local CA " + Long.toHexString(random.nextLong())
                + ",O=kyso-agent on this computer only");
        GeneralName[] loopback = {
            new GeneralName(GeneralName.iPAddress, new DEROctetString(new byte[] {127, 0, 0, 1})),
            new GeneralName(GeneralName.iPAddress, new DEROctetString(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                0, 0, 0, 1})),
            new GeneralName(GeneralName.dNSName, "localhost")};
        GeneralSubtree[] permitted = {
            new GeneralSubtree(new GeneralName(GeneralName.iPAddress, new DEROctetString(new byte[] {127, 0, 0, 1,
                (byte) 255, (byte) 255, (byte) 255, (byte) 255}))),
            new GeneralSubtree(new GeneralName(GeneralName.iPAddress, new DEROctetString(loopbackV6WithMask()))),
            new GeneralSubtree(new GeneralName(GeneralName.dNSName, "localhost"))};
        X509v3CertificateBuilder caBuilder = new JcaX509v3CertificateBuilder(caName, new BigInteger(64, random).abs(),
                from, to, caName, ca.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                .addExtension(Extension.nameConstraints, true, new NameConstraints(permitted, null))
                .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(ca.getPublic()));
        X509Certificate caCert = new JcaX509CertificateConverter().getCertificate(
                caBuilder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(ca.getPrivate())));
        X509v3CertificateBuilder leafBuilder = new JcaX509v3CertificateBuilder(caCert,
                new BigInteger(64, random).abs(), from, to, new X500Name("CN=127.0.0.1"), leaf.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(loopback))
                .addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(caCert));
        X509Certificate leafCert = new JcaX509CertificateConverter().getCertificate(
                leafBuilder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(ca.getPrivate())));
        // from here on the CA's private key is unreachable: it was never written, so nothing else
        // can be issued under the root the installer trusts
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("loopback", leaf.getPrivate(), STORE_PASSWORD, new X509Certificate[] {leafCert, caCert});
        Files.createDirectories(dir);
        Path tmp = dir.resolve(KEY_FILE + ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            ks.store(out, STORE_PASSWORD);
        }
        try {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
            // Windows: the user's profile folder is private already
        }
        Files.move(tmp, dir.resolve(KEY_FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        String pem = "-----BEGIN CERTIFICATE-----\n"
                + java.util.Base64.getMimeEncoder(64, "\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                        .encodeToString(caCert.getEncoded()) + "\n-----END CERTIFICATE-----\n";
        Files.writeString(dir.resolve(CA_FILE), pem);
        return ks;
    }

    private static byte[] loopbackV6WithMask() {
        byte[] b = new byte[32];
        b[15] = 1;
        for (int i = 16; i < 32; i++) {
            b[i] = (byte) 0xFF;
        }
        return b;
    }
}
