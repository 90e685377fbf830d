package vn.kyso.pkcs11;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Lock;
import sun.security.pkcs11.wrapper.CK_ATTRIBUTE;
import sun.security.pkcs11.wrapper.CK_TOKEN_INFO;
import sun.security.pkcs11.wrapper.PKCS11;
import sun.security.pkcs11.wrapper.PKCS11Exception;
import vn.kyso.CredentialCallback;
import vn.kyso.CredentialRequest;
import vn.kyso.DeviceKind;
import vn.kyso.KeyDescriptor;
import vn.kyso.KeyNotFoundException;
import vn.kyso.KeySource;
import vn.kyso.KysoException;
import vn.kyso.PinIncorrectException;
import vn.kyso.PinLockedException;
import vn.kyso.Signer;
import vn.kyso.SigningFailedException;
import vn.kyso.TokenAbsentException;
import vn.kyso.UserRejectedException;

/** The tokens behind one PKCS#11 driver, optionally narrowed to one token by label or serial. */
final class TokenKeySource implements KeySource {

    record Token(long slot, String label, String serial, String manufacturer, long flags) {
    }

    record Certificate(byte[] id, X509Certificate certificate) {
    }

    private final Pkcs11Driver driver;
    private final Path library;
    private final String tokenFilter;
    private final CredentialCallback credentials;
    private final Set<TokenSigner> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    TokenKeySource(Pkcs11Driver driver, Path library, String tokenFilter, CredentialCallback credentials) {
        this.driver = driver;
        this.library = library;
        this.tokenFilter = tokenFilter;
        this.credentials = credentials;
    }

    @Override
    public String providerId() {
        return Pkcs11Module.ID;
    }

    Path library() {
        return library;
    }

    /**
     * Tokens present now, filtered to the configured one; slot ids are re-read every time because
     * they move. When every token is wanted, when the wanted token is not there, or when the
     * driver fails to list its slots (a token pulled out and put back), the shared driver is
     * initialized again (many drivers see a token plugged in after start-up only then) if no key
     * source holds a session on it and it was not just done.
     */
    List<Token> tokens() throws KysoException {
        return tokens(tokenFilter == null);
    }

    private List<Token> tokens(boolean lookAgain) throws KysoException {
        checkOpen();
        if (lookAgain) {
            driver.reinitialize();
        }
        List<Token> out;
        try {
            out = scan();
        } catch (TokenAbsentException staleSlot) {
            // a driver whose token was pulled out may fail on the old slot until it is initialized again
            if (!driver.reinitialize()) {
                throw staleSlot;
            }
            out = scan();
        }
        if (out.isEmpty() && driver.reinitialize()) {
            out = scan();
        }
        if (out.isEmpty()) {
            throw new TokenAbsentException(Pkcs11Module.ID, tokenFilter == null
                    ? "no token is plugged in for driver " + library + ": plug in the USB token"
                    : "no token labelled or numbered '" + tokenFilter + "' is plugged in: plug it in, or check the "
                            + "'token' setting");
        }
        return out;
    }

    private List<Token> scan() throws KysoException {
        List<Token> out = new ArrayList<>();
        Lock reading = driver.reading();
        PKCS11 p11 = driver.p11();
        try {
            for (long slot : p11.C_GetSlotList(true)) {
                CK_TOKEN_INFO info = p11.C_GetTokenInfo(slot);
                Token t = new Token(slot, Pkcs11Module.text(info.label), Pkcs11Module.text(info.serialNumber),
                        Pkcs11Module.text(info.manufacturerID), info.flags);
                boolean initialized = (info.flags & Pkcs11Module.CKF_TOKEN_INITIALIZED) != 0;
                if (initialized && (tokenFilter == null || tokenFilter.equals(t.label())
                        || tokenFilter.equals(t.serial()))) {
                    out.add(t);
                }
            }
        } catch (PKCS11Exception e) {
            throw new TokenAbsentException(Pkcs11Module.ID, "the driver " + library + " cannot list its tokens ("
                    + e.getMessage() + "): replug the token", e);
        } finally {
            reading.unlock();
        }
        return out;
    }

    @Override
    public List<KeyDescriptor> keys() throws KysoException {
        List<KeyDescriptor> keys = new ArrayList<>();
        for (Token token : tokens()) {
            List<Certificate> certs = certificates(token);
            for (Certificate c : certs) {
                if (c.id().length == 0 || !canSign(c.certificate())) {
                    continue;
                }
                keys.add(new KeyDescriptor(token.serial() + "/" + HexFormat.of().formatHex(c.id()),
                        token.label() + " / " + vn.kyso.Certificates.commonName(c.certificate()),
                        chain(c.certificate(), certs), DeviceKind.USB_TOKEN));
            }
        }
        return keys;
    }

    @Override
    public Signer open(String keyId) throws KysoException {
        checkOpen();
        int slash = keyId.indexOf('/');
        if (slash < 0) {
            throw new KeyNotFoundException(Pkcs11Module.ID, "'" + keyId + "' is not a key id of this provider: "
                    + "use an id from keys()");
        }
        String serial = keyId.substring(0, slash);
        byte[] id;
        try {
            id = HexFormat.of().parseHex(keyId.substring(slash + 1));
        } catch (IllegalArgumentException e) {
            throw new KeyNotFoundException(Pkcs11Module.ID, "'" + keyId + "' is not a key id of this provider", e);
        }
        // listed without initializing the driver again first: opening a key is the hot path
        Token found = tokens(false).stream().filter(t -> t.serial().equals(serial)).findFirst().orElse(null);
        if (found == null && driver.reinitialize()) {
            found = tokens(false).stream().filter(t -> t.serial().equals(serial)).findFirst().orElse(null);
        }
        Token token = found;
        if (token == null) {
            throw new TokenAbsentException(Pkcs11Module.ID, "token " + serial + " is not plugged in: plug it in and "
                    + "try again");
        }
        Certificate cert = certificates(token).stream().filter(c -> Arrays.equals(c.id(), id)).findFirst()
                .orElseThrow(() -> new KeyNotFoundException(Pkcs11Module.ID, "token " + token.label()
                        + " holds no certificate with id " + keyId.substring(slash + 1)));
        if ((token.flags() & Pkcs11Module.CKF_USER_PIN_LOCKED) != 0) {
            throw new PinLockedException(Pkcs11Module.ID, "the PIN of token " + token.label()
                    + " is locked: unlock it with the SO PIN or at the issuing CA");
        }
        int triesLeft = (token.flags() & Pkcs11Module.CKF_USER_PIN_FINAL_TRY) != 0 ? 1 : -1;
        char[] pin = credentials.secret(new CredentialRequest(Pkcs11Module.ID, token.label(), CredentialRequest.Kind.PIN,
                triesLeft));
        if (pin == null) {
            throw new UserRejectedException(Pkcs11Module.ID, "PIN entry for token " + token.label() + " was cancelled");
        }
        Lock reading = driver.reading();
        PKCS11 p11 = driver.p11();
        long session;
        try {
            session = p11.C_OpenSession(token.slot(), Pkcs11Module.CKF_SERIAL_SESSION, null, null);
        } catch (PKCS11Exception e) {
            Arrays.fill(pin, '\0');
            reading.unlock();
            throw Pkcs11Module.error(e, token.label(), "opening a session");
        }
        boolean ok = false;
        try {
            try {
                p11.C_Login(session, Pkcs11Module.CKU_USER, pin);
            } catch (PKCS11Exception e) {
                if (e.getErrorCode() != Pkcs11Module.CKR_USER_ALREADY_LOGGED_IN) {
                    KysoException error = Pkcs11Module.error(e, token.label(), "login");
                    if (error instanceof PinIncorrectException) {
                        error = new PinIncorrectException(Pkcs11Module.ID, error.getMessage().substring(
                                error.getMessage().indexOf(']') + 2), triesLeftAfterFailure(token.slot()), e);
                    }
                    throw error;
                }
            } finally {
                Arrays.fill(pin, '\0');
            }
            long key = privateKey(session, id, token);
            TokenSigner signer = new TokenSigner(p11, session, key, token.label(), chain(cert.certificate(),
                    certificates(token)), mechanisms(token.slot()), alwaysAuthenticate(session, key) ? credentials : null,
                    closed -> {
                        open.remove(closed);
                        driver.sessionClosed();
                    });
            driver.sessionOpened();
            open.add(signer);
            ok = true;
            return signer;
        } finally {
            if (!ok) {
                closeQuietly(session);
            }
            reading.unlock();
        }
    }

    private int triesLeftAfterFailure(long slot) {
        try {
            long flags = driver.p11().C_GetTokenInfo(slot).flags;
            return (flags & Pkcs11Module.CKF_USER_PIN_FINAL_TRY) != 0 ? 1 : -1;
        } catch (PKCS11Exception e) {
            return -1;
        }
    }

    /** Whether the key asks its PIN again at every signing (a second, signature PIN on some tokens). */
    private boolean alwaysAuthenticate(long session, long key) {
        CK_ATTRIBUTE[] attr = {new CK_ATTRIBUTE(Pkcs11Module.CKA_ALWAYS_AUTHENTICATE)};
        try {
            driver.p11().C_GetAttributeValue(session, key, attr);
            return attr[0].pValue instanceof Boolean b ? b : attr[0].pValue instanceof byte[] v && v.length > 0 && v[0] != 0;
        } catch (PKCS11Exception notSupported) {
            return false;
        }
    }

    private long[] mechanisms(long slot) {
        try {
            return driver.p11().C_GetMechanismList(slot);
        } catch (PKCS11Exception e) {
            return new long[0];
        }
    }

    private long privateKey(long session, byte[] id, Token token) throws KysoException {
        try {
            long[] found = find(session, new CK_ATTRIBUTE[] {
                new CK_ATTRIBUTE(Pkcs11Module.CKA_CLASS, Pkcs11Module.CKO_PRIVATE_KEY),
                new CK_ATTRIBUTE(Pkcs11Module.CKA_ID, id)});
            if (found.length == 0) {
                throw new KeyNotFoundException(Pkcs11Module.ID, "token " + token.label()
                        + " holds the certificate but no private key with the same id: the key may have been deleted");
            }
            return found[0];
        } catch (PKCS11Exception e) {
            throw Pkcs11Module.error(e, token.label(), "looking for the key");
        }
    }

    List<Certificate> certificates(Token token) throws KysoException {
        Lock reading = driver.reading();
        PKCS11 p11 = driver.p11();
        long session;
        try {
            session = p11.C_OpenSession(token.slot(), Pkcs11Module.CKF_SERIAL_SESSION, null, null);
        } catch (PKCS11Exception e) {
            reading.unlock();
            throw Pkcs11Module.error(e, token.label(), "opening a session");
        }
        try {
            List<Certificate> out = new ArrayList<>();
            long[] handles = find(session, new CK_ATTRIBUTE[] {
                new CK_ATTRIBUTE(Pkcs11Module.CKA_CLASS, Pkcs11Module.CKO_CERTIFICATE)});
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (long h : handles) {
                CK_ATTRIBUTE[] attrs = {new CK_ATTRIBUTE(Pkcs11Module.CKA_ID), new CK_ATTRIBUTE(Pkcs11Module.CKA_VALUE)};
                p11.C_GetAttributeValue(session, h, attrs);
                byte[] id = attrs[0].pValue instanceof byte[] b ? b : new byte[0];
                byte[] der = attrs[1].pValue instanceof byte[] b ? b : null;
                if (der == null) {
                    continue;
                }
                try {
                    out.add(new Certificate(id,
                            (X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der))));
                } catch (CertificateException unreadable) {
                    // a damaged certificate object: skip it, the diagnostics show what is readable
                }
            }
            return out;
        } catch (PKCS11Exception e) {
            throw Pkcs11Module.error(e, token.label(), "reading certificates");
        } catch (CertificateException e) {
            throw new SigningFailedException(Pkcs11Module.ID, "X.509 support is missing from this JVM", e);
        } finally {
            closeQuietly(session);
            reading.unlock();
        }
    }

    private long[] find(long session, CK_ATTRIBUTE[] template) throws PKCS11Exception {
        PKCS11 p11 = driver.p11();
        p11.C_FindObjectsInit(session, template);
        try {
            List<Long> all = new ArrayList<>();
            for (int round = 0; round < 100; round++) {
                long[] batch = p11.C_FindObjects(session, 64);
                if (batch == null || batch.length == 0) {
                    break;
                }
                for (long h : batch) {
                    all.add(h);
                }
            }
            return all.stream().mapToLong(Long::longValue).toArray();
        } finally {
            p11.C_FindObjectsFinal(session);
        }
    }

    /** The signing certificate followed by whatever CA certificates on the token continue its chain. */
    private static List<X509Certificate> chain(X509Certificate leaf, List<Certificate> onToken) {
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(leaf);
        X509Certificate current = leaf;
        for (int i = 0; i < 5 && !current.getSubjectX500Principal().equals(current.getIssuerX500Principal()); i++) {
            X509Certificate issuer = null;
            for (Certificate c : onToken) {
                if (c.certificate().getSubjectX500Principal().equals(current.getIssuerX500Principal())
                        && !chain.contains(c.certificate())) {
                    issuer = c.certificate();
                }
            }
            if (issuer == null) {
                break;
            }
            chain.add(issuer);
            current = issuer;
        }
        return chain;
    }

    private static boolean canSign(X509Certificate c) {
        boolean[] usage = c.getKeyUsage();
        boolean ca = c.getBasicConstraints() >= 0;
        return !ca && (usage == null || usage[0] || usage[1]);
    }

    private void closeQuietly(long session) {
        try {
            driver.p11().C_CloseSession(session);
        } catch (PKCS11Exception ignored) {
            // the token may be gone; nothing is left to release
        }
    }

    @Override
    public void close() {
        closed = true;
        for (TokenSigner s : List.copyOf(open)) {
            s.close();
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("this pkcs11 key source is closed: connect again");
        }
    }
}
