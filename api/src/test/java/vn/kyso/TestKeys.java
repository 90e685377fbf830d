package vn.kyso;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Self-signed keys for the api's own tests (the full test PKI lives in testkit, which depends on api). */
public final class TestKeys {
    public static final char[] PASSWORD = "123456".toCharArray();
    private static KeyPair rsa;
    private static KeyPair ec;

    private TestKeys() {
    }

    public static synchronized KeyPair rsa() throws Exception {
        if (rsa == null) {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            rsa = g.generateKeyPair();
        }
        return rsa;
    }

    public static synchronized KeyPair ec() throws Exception {
        if (ec == null) {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            ec = g.generateKeyPair();
        }
        return ec;
    }

    public static X509Certificate certificate(KeyPair keys, String subject) throws Exception {
        Instant now = Instant.now();
        var builder = new JcaX509v3CertificateBuilder(new X500Name(subject), BigInteger.valueOf(now.toEpochMilli()),
                Date.from(now.minus(1, ChronoUnit.DAYS)), Date.from(now.plus(365, ChronoUnit.DAYS)),
                new X500Name(subject), keys.getPublic());
        String alg = keys.getPublic().getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder(alg).build(keys.getPrivate())));
    }

    /** Writes a PKCS#12 file holding {@code keys} under alias "key" and returns its path. */
    public static Path pkcs12(Path dir, KeyPair keys, String subject) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("key", keys.getPrivate(), PASSWORD,
                new java.security.cert.Certificate[] {certificate(keys, subject)});
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        store.store(out, PASSWORD);
        Path file = Files.createTempFile(dir, "key", ".p12");
        Files.write(file, out.toByteArray());
        return file;
    }
}
