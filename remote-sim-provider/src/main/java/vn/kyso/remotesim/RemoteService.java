package vn.kyso.remotesim;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import vn.kyso.KysoException;
import vn.kyso.SignatureAlgorithm;

/** One dialect's client: lists the user's credentials and signs hashes under one confirmation. */
interface RemoteService {

    /** A credential of the user at the service: its id there and its chain, signing certificate first. */
    record Credential(String id, String label, List<X509Certificate> chain) {
    }

    /** What the service signs, as one confirmation on the phone. */
    record Job(Credential credential, SignatureAlgorithm algorithm, List<byte[]> digests, String displayText,
            String fileType, String transactionId, long deadlineNanos) {
    }

    /** The user's credentials; read once at connect time. */
    List<Credential> credentials() throws KysoException;

    /** The most characters the phone of this dialect shows. */
    int displayLimit();

    /**
     * Submits the job and waits (without a thread) for the person's answer until the job's
     * deadline; the stage completes with the raw signature values, in order, or fails with a
     * typed {@link KysoException}. {@code cancelled} is polled between steps; once true the
     * service is told and the stage is left to the caller.
     */
    CompletableFuture<List<byte[]>> sign(Job job, java.util.function.BooleanSupplier cancelled);

    /** Tells the service to drop a pending job, best effort. */
    void cancel(Job job);
}
