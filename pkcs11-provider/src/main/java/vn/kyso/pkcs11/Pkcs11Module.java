package vn.kyso.pkcs11;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import sun.security.pkcs11.wrapper.CK_C_INITIALIZE_ARGS;
import sun.security.pkcs11.wrapper.PKCS11;
import sun.security.pkcs11.wrapper.PKCS11Exception;
import vn.kyso.DriverNotFoundException;
import vn.kyso.KysoException;
import vn.kyso.PinExpiredException;
import vn.kyso.PinIncorrectException;
import vn.kyso.PinLockedException;
import vn.kyso.SigningFailedException;
import vn.kyso.TokenAbsentException;
import vn.kyso.TokenRemovedException;

/** Loading a PKCS#11 driver, the table of drivers Vietnamese tokens ship with, and PKCS#11 codes. */
final class Pkcs11Module {
    static final String ID = "pkcs11";

    static final long CKR_GENERAL_ERROR = 0x05;
    static final long CKR_DEVICE_ERROR = 0x30;
    static final long CKR_DEVICE_REMOVED = 0x32;
    static final long CKR_SESSION_CLOSED = 0xB0;
    static final long CKR_SESSION_HANDLE_INVALID = 0xB3;
    static final long CKR_PIN_INCORRECT = 0xA0;
    static final long CKR_PIN_INVALID = 0xA1;
    static final long CKR_PIN_LEN_RANGE = 0xA2;
    static final long CKR_PIN_EXPIRED = 0xA3;
    static final long CKR_PIN_LOCKED = 0xA4;
    static final long CKR_TOKEN_NOT_PRESENT = 0xE0;
    static final long CKR_USER_ALREADY_LOGGED_IN = 0x100;
    static final long CKR_CRYPTOKI_NOT_INITIALIZED = 0x190;
    /** How many times one driver can be initialized again in a JVM (see {@link #load}). */
    static final int MAX_GENERATIONS = 32;

    static final long CKF_LOGIN_REQUIRED = 0x4;
    static final long CKF_TOKEN_INITIALIZED = 0x400;
    static final long CKF_USER_PIN_COUNT_LOW = 0x10000;
    static final long CKF_USER_PIN_FINAL_TRY = 0x20000;
    static final long CKF_USER_PIN_LOCKED = 0x40000;
    static final long CKF_USER_PIN_TO_BE_CHANGED = 0x80000;
    static final long CKF_SERIAL_SESSION = 0x4;
    static final long CKF_OS_LOCKING_OK = 0x2;

    static final long CKO_CERTIFICATE = 1;
    static final long CKO_PRIVATE_KEY = 3;
    static final long CKA_CLASS = 0;
    static final long CKA_TOKEN = 1;
    static final long CKA_LABEL = 3;
    static final long CKA_VALUE = 0x11;
    static final long CKA_ID = 0x102;
    static final long CKA_SIGN = 0x108;
    static final long CKA_ALWAYS_AUTHENTICATE = 0x202;
    static final long CKU_USER = 1;
    static final long CKU_CONTEXT_SPECIFIC = 2;
    static final long CKM_RSA_PKCS = 1;
    static final long CKM_RSA_X_509 = 3;
    static final long CKM_ECDSA = 0x1041;

    /** Drivers of the tokens civil servants hold, by file name; searched when no library is configured. */
    static final List<String> WINDOWS_DRIVERS = List.of(
            "vnptca_p11_v10.dll", "vnptca_p11_v9.dll", "vnptca_p11_v8.dll", "vnptca_p11_v7.dll", "vnptca_p11_v6.dll",
            "vnpt-ca_csp11.dll", "viettel-ca_v6.dll", "viettel-ca_v5.dll", "viettel-ca_v4.dll", "viettel-ca_v3.dll",
            "viettel-ca_v2.dll", "viettel-ca_v1.dll", "fptca_v6.dll", "fptca_v5.dll", "fptca_v4.dll", "fptca_v3.dll",
            "fpt-ca.dll", "BkavCA.dll", "BkavCAv2S.dll", "nca_v9.dll", "nca_v8.dll", "nca_v7.dll", "nca_v6.dll",
            "nca_v5.dll", "nca_v4.dll", "CA2_v34.dll", "CA2_v33.dll", "eps2003csp11.dll", "ShuttleCsp11_3003.dll",
            "ngp11v211.dll", "eTPKCS11.dll");
    static final List<String> LINUX_DRIVERS = List.of(
            "/usr/lib/libcastle.so.1.0.0", "/usr/lib/x86_64-linux-gnu/libcastle.so.1.0.0", "/usr/lib/libeTPkcs11.so",
            "/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so", "/usr/lib/opensc-pkcs11.so",
            "/usr/lib/softhsm/libsofthsm2.so", "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so");

    private Pkcs11Module() {
    }

    /** The candidate driver paths: the configured ones, else the built-in table for this OS. */
    static List<Path> candidates(String library, String libraries) {
        List<Path> out = new ArrayList<>();
        if (library != null && !library.isBlank()) {
            out.add(Path.of(library.trim()));
            return out;
        }
        if (libraries != null && !libraries.isBlank()) {
            for (String p : libraries.split("[,;" + java.io.File.pathSeparator + "]")) {
                if (!p.isBlank()) {
                    out.add(Path.of(p.trim()));
                }
            }
            return out;
        }
        boolean windows = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("win");
        if (windows) {
            Path system32 = Path.of(System.getenv().getOrDefault("SystemRoot", "C:\\Windows"), "System32");
            WINDOWS_DRIVERS.forEach(name -> out.add(system32.resolve(name)));
        } else {
            LINUX_DRIVERS.forEach(p -> out.add(Path.of(p)));
        }
        return out;
    }

    /**
     * Loads a driver, telling a missing file, a driver built for another architecture, and a
     * JVM started without access to the JDK's PKCS#11 wrapper apart.
     */
    static PKCS11 load(Path library) throws DriverNotFoundException {
        if (!Files.isRegularFile(library)) {
            throw new DriverNotFoundException(ID, "no PKCS#11 driver at " + library + ": install the token's software "
                    + "from its CA, or set 'library' to the driver's path", false, null);
        }
        Integer bits = architectureBits(library);
        String jvmBits = System.getProperty("sun.arch.data.model", "64");
        if (bits != null && !String.valueOf(bits).equals(jvmBits)) {
            throw new DriverNotFoundException(ID, library + " is a " + bits + "-bit driver but this Java is " + jvmBits
                    + "-bit: install the " + jvmBits + "-bit driver from the token's CA, or run a " + bits + "-bit Java",
                    true, null);
        }
        try {
            CK_C_INITIALIZE_ARGS args = new CK_C_INITIALIZE_ARGS();
            args.flags = CKF_OS_LOCKING_OK;
            // The JDK keeps one wrapper per path string and calls C_Initialize only when it creates
            // it. After a C_Finalize (to see re-plugged tokens) the cached wrapper is dead, so an
            // equivalent path ("dir/./lib.so") is used to get a fresh wrapper and a new C_Initialize.
            Path absolute = library.toAbsolutePath();
            for (int generation = 0; generation < MAX_GENERATIONS; generation++) {
                Path variant = generation == 0 ? library
                        : absolute.getParent().resolve("./".repeat(generation) + absolute.getFileName());
                PKCS11 p11 = PKCS11.getInstance(variant.toString(), "C_GetFunctionList", args, false);
                try {
                    p11.C_GetSlotList(false);
                    return p11;
                } catch (PKCS11Exception e) {
                    if (e.getErrorCode() != CKR_CRYPTOKI_NOT_INITIALIZED) {
                        return p11;
                    }
                }
            }
            throw new DriverNotFoundException(ID, "the PKCS#11 driver " + library + " was initialized again "
                    + MAX_GENERATIONS + " times in this process: restart the application", false, null);
        } catch (IOException | PKCS11Exception | UnsatisfiedLinkError e) {
            throw new DriverNotFoundException(ID, "the PKCS#11 driver " + library + " cannot be loaded (" + e.getMessage()
                    + "): reinstall the token's software", false, e);
        } catch (IllegalAccessError e) {
            throw new DriverNotFoundException(ID, "this JVM hides the JDK's PKCS#11 wrapper: start Java with "
                    + "--add-exports jdk.crypto.cryptoki/sun.security.pkcs11.wrapper=ALL-UNNAMED", false, e);
        }
    }

    /** 32 or 64 from an ELF or PE header, or null when the file is neither. */
    static Integer architectureBits(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(4096);
            if (head.length > 5 && head[0] == 0x7F && head[1] == 'E' && head[2] == 'L' && head[3] == 'F') {
                return head[4] == 1 ? 32 : head[4] == 2 ? 64 : null;
            }
            if (head.length > 0x40 && head[0] == 'M' && head[1] == 'Z') {
                int pe = (head[0x3C] & 0xFF) | (head[0x3D] & 0xFF) << 8 | (head[0x3E] & 0xFF) << 16;
                if (pe + 6 <= head.length && head[pe] == 'P' && head[pe + 1] == 'E') {
                    int machine = (head[pe + 4] & 0xFF) | (head[pe + 5] & 0xFF) << 8;
                    return machine == 0x14C ? 32 : machine == 0x8664 || machine == 0xAA64 ? 64 : null;
                }
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }

    /** The typed error for a PKCS#11 failure during login or signing. */
    static KysoException error(PKCS11Exception e, String token, String doing) {
        long code = e.getErrorCode();
        if (code == CKR_PIN_INCORRECT || code == CKR_PIN_INVALID || code == CKR_PIN_LEN_RANGE) {
            if (doing.contains("signature PIN")) {
                return new PinIncorrectException(ID, "wrong signature PIN for token " + token + " (this key asks its PIN"
                        + " again at every signing): check it and try again; kyso does not retry", -1, e);
            }
            return new PinIncorrectException(ID, "wrong PIN for token " + token + ": check it and try again; "
                    + "kyso does not retry, each wrong try brings the token closer to locking", -1, e);
        }
        if (code == CKR_GENERAL_ERROR && doing.equals("login")) {
            return new PinIncorrectException(ID, "token " + token + " refused the login with CKR_GENERAL_ERROR "
                    + "(some drivers answer a wrong PIN this way, without saying why): check the PIN", -1, e);
        }
        if (code == CKR_PIN_LOCKED) {
            return new PinLockedException(ID, "the PIN of token " + token + " is locked after too many wrong tries: "
                    + "unlock it with the SO PIN or at the issuing CA", e);
        }
        if (code == CKR_PIN_EXPIRED) {
            return new PinExpiredException(ID, "the PIN of token " + token + " has expired: change it with the "
                    + "token's software, then sign again", e);
        }
        if (code == CKR_DEVICE_REMOVED || code == CKR_TOKEN_NOT_PRESENT || code == CKR_SESSION_HANDLE_INVALID
                || code == CKR_SESSION_CLOSED) {
            return new TokenRemovedException(ID, "token " + token + " was removed while " + doing
                    + ": plug it in again and retry; nothing was signed", e);
        }
        if (code == CKR_DEVICE_ERROR) {
            return new TokenAbsentException(ID, "token " + token + " does not answer (device error): replug it", e);
        }
        return new SigningFailedException(ID, "token " + token + " failed while " + doing + " with " + e.getMessage()
                + ": replug the token; if it persists, run the kyso diagnostics and send them to the help desk", e);
    }

    static String text(char[] padded) {
        return padded == null ? "" : new String(padded).trim();
    }
}
