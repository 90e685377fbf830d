package vn.kyso.testkit;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Key pairs of the test PKI, generated once per JVM and reused by every {@link TestPki}.
 *
 * <p>RSA-2048 generation takes tens to hundreds of milliseconds per key, so keys (never
 * certificates, which embed a port) are cached by alias. The cache only grows to the fixed
 * set of aliases the PKI uses. Thread-safe.
 */
final class Keys {

    /** The key types the PKI uses. */
    enum Type {
        RSA_2048("RSA", 2048),
        RSA_1024("RSA", 1024),
        EC_P256("EC", 256);

        final String algorithm;
        final int bits;

        Type(String algorithm, int bits) {
            this.algorithm = algorithm;
            this.bits = bits;
        }
    }

    private static final Map<String, KeyPair> CACHE = new ConcurrentHashMap<>(64);

    private Keys() {
    }

    /** Returns the key pair for this alias and type, generating it on first use; never null. */
    static KeyPair get(String alias, Type type) {
        Objects.requireNonNull(alias, "alias");
        Objects.requireNonNull(type, "type");
        return CACHE.computeIfAbsent(alias + '/' + type, k -> generate(type));
    }

    /** Generates the missing keys of {@code wanted} in parallel, so a first start is quick. */
    static void warmUp(Map<String, Type> wanted) {
        wanted.entrySet().parallelStream().forEach(e -> get(e.getKey(), e.getValue()));
    }

    /** Generates a fresh key pair of the given type, bypassing the cache. */
    static KeyPair generate(Type type) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(type.algorithm);
            if (type == Type.EC_P256) {
                generator.initialize(new ECGenParameterSpec("secp256r1"));
            } else {
                generator.initialize(type.bits);
            }
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate a " + type + " test key: " + e.getMessage(), e);
        }
    }
}
