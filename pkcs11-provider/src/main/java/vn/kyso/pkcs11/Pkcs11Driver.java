package vn.kyso.pkcs11;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import sun.security.pkcs11.wrapper.CK_C_INITIALIZE_ARGS;
import sun.security.pkcs11.wrapper.PKCS11;
import sun.security.pkcs11.wrapper.PKCS11Exception;
import vn.kyso.DriverNotFoundException;

/**
 * One loaded PKCS#11 driver, shared by every key source of the process that names the same file.
 * PKCS#11 initialization is per process, so this is the one place that may finalize and
 * initialize the driver again (to see tokens plugged in after start-up), and it does so only
 * when no key source holds a session on it.
 *
 * <p>Initializing again reuses the JDK's wrapper (C_Finalize then C_Initialize on it) when the JVM
 * opens {@code sun.security.pkcs11.wrapper} to kyso (kyso-agent.jar does), which has no limit.
 * Otherwise each re-initialization needs a fresh wrapper under an equivalent path, of which there
 * are {@link Pkcs11Module#MAX_GENERATIONS}: when they run out the driver is left initialized (it
 * keeps working with the tokens it knows, but sees no new ones) instead of being finalized for
 * good.
 */
final class Pkcs11Driver {
    /** Process-wide like the drivers' own initialization state, which is what it mirrors. */
    private static final Map<Path, Pkcs11Driver> LOADED = new ConcurrentHashMap<>();
    private static final Method INITIALIZE = initializeMethod();

    private final Path library;
    private volatile PKCS11 p11;
    /** Read: a short driver call sequence (listing, reading certificates); write: re-initializing. */
    private final ReentrantReadWriteLock calls = new ReentrantReadWriteLock();
    private int sessions;
    private int generations = 1;

    private Pkcs11Driver(Path library, PKCS11 p11) {
        this.library = library;
        this.p11 = p11;
    }

    /** The shared driver for this file, loading it on first use. */
    static Pkcs11Driver of(Path library) throws DriverNotFoundException {
        Path key = library.toAbsolutePath().normalize();
        Pkcs11Driver d = LOADED.get(key);
        if (d != null) {
            return d;
        }
        synchronized (LOADED) {
            d = LOADED.get(key);
            if (d == null) {
                d = new Pkcs11Driver(library, Pkcs11Module.load(library));
                LOADED.put(key, d);
            }
            return d;
        }
    }

    PKCS11 p11() {
        return p11;
    }

    /** Holds off re-initialization for a short sequence of calls; close the returned lock. */
    ReentrantReadWriteLock.ReadLock reading() {
        ReentrantReadWriteLock.ReadLock lock = calls.readLock();
        lock.lock();
        return lock;
    }

    /** A signer of any key source opened a session: no re-initialization until it is closed. */
    synchronized void sessionOpened() {
        sessions++;
    }

    synchronized void sessionClosed() {
        sessions--;
    }

    synchronized int sessions() {
        return sessions;
    }

    /**
     * Finalizes the driver and initializes it again, so that it sees tokens plugged in since;
     * skipped (returning false) while any key source holds a session, while another thread is
     * in a call sequence, or when no fresh initialization is possible.
     */
    boolean reinitialize() {
        ReentrantReadWriteLock.WriteLock write = calls.writeLock();
        if (calls.getReadHoldCount() > 0 || !write.tryLock()) {
            return false;
        }
        try {
            synchronized (this) {
                if (sessions > 0) {
                    return false;
                }
                // fresh wrappers are few: keep the last one alive rather than finalize it for good
                if (INITIALIZE == null && generations >= Pkcs11Module.MAX_GENERATIONS) {
                    return false;
                }
                try {
                    p11.C_Finalize(null);
                } catch (PKCS11Exception ignored) {
                    // a driver that cannot finalize may still initialize again
                }
                if (INITIALIZE != null) {
                    try {
                        INITIALIZE.invoke(p11, initializeArgs());
                        return true;
                    } catch (IllegalAccessException | InvocationTargetException e) {
                        // CKR_CRYPTOKI_ALREADY_INITIALIZED or a failing driver: try a fresh wrapper below
                    }
                }
                try {
                    p11 = Pkcs11Module.load(library);
                    generations++;
                    return true;
                } catch (DriverNotFoundException e) {
                    return false;
                }
            }
        } finally {
            write.unlock();
        }
    }

    static CK_C_INITIALIZE_ARGS initializeArgs() {
        CK_C_INITIALIZE_ARGS args = new CK_C_INITIALIZE_ARGS();
        args.flags = Pkcs11Module.CKF_OS_LOCKING_OK;
        return args;
    }

    /** The wrapper's own C_Initialize, when the JVM opens the package to kyso; else null. */
    private static Method initializeMethod() {
        try {
            Method m = PKCS11.class.getDeclaredMethod("C_Initialize", Object.class);
            m.setAccessible(true);
            return m;
        } catch (NoSuchMethodException | RuntimeException notOpened) {
            return null;
        }
    }
}
