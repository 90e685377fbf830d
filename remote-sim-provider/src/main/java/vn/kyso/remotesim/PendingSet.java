package vn.kyso.remotesim;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import vn.kyso.SigningFailedException;

/** The signatures a key source waits for, so closing it fails them at once instead of leaving callers hanging. */
final class PendingSet {
    private final Set<CompletableFuture<?>> pending = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    boolean add(CompletableFuture<?> future) {
        if (closed) {
            return false;
        }
        pending.add(future);
        if (closed) {
            pending.remove(future);
            return false;
        }
        return true;
    }

    void remove(CompletableFuture<?> future) {
        pending.remove(future);
    }

    /** Whether the source is closing: pending signatures are being failed and their services told. */
    boolean isClosed() {
        return closed;
    }

    int size() {
        return pending.size();
    }

    void closeAll() {
        closed = true;
        for (CompletableFuture<?> f : pending) {
            f.completeExceptionally(new SigningFailedException(RemoteSimProvider.ID,
                    "the remote-sim key source was closed while the signature was pending; nothing was signed"));
        }
        pending.clear();
    }
}
