package vn.kyso.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One pending confirmation of the simulator. Its outcome is decided lazily, when it is next
 * looked at, from the behaviour the credential had when the prompt was sent: thousands of
 * pending transactions cost a few objects each and no thread.
 */
final class SimTransaction {

    /** Where a transaction stands, as every dialect maps it to its own status values. */
    enum State { WAITING, SIGNED, REJECTED, EXPIRED, PIN_BLOCKED, CANCELLED, UNREACHABLE }

    final String id;
    final SimulatedUser user;
    final String displayText;
    final List<String> docIds;
    /** What is to be signed: bare hashes, or DER DigestInfos when {@link #digestInfo} is set. */
    final List<byte[]> inputs;
    final boolean digestInfo;
    final String tranCode;
    final long createdAt;
    private final PhoneBehaviour behaviour;
    private final long decideAt;
    private final long expiresAt;
    private State state = State.WAITING;
    private List<byte[]> signatures;
    private final java.util.concurrent.atomic.AtomicBoolean accepted = new java.util.concurrent.atomic.AtomicBoolean();
    /** The values signed ahead while the person is still deciding, or null (see {@link #signAhead}). */
    private CompletableFuture<List<byte[]>> ahead;

    SimTransaction(String id, SimulatedUser user, String displayText, List<String> docIds, List<byte[]> inputs,
            boolean digestInfo, long lifetimeNanos) {
        this(id, user, displayText, docIds, inputs, digestInfo, lifetimeNanos, true);
    }

    /**
     * A transaction cancelled before its submission arrived (the client gave up while its
     * request was still on the way): the late submission finds it cancelled and prompts nobody.
     */
    static SimTransaction cancelledBeforeSubmit(String id, SimulatedUser user, long lifetimeNanos) {
        SimTransaction t = new SimTransaction(id, user, "", List.of(), List.of(), false, lifetimeNanos, false);
        t.state = State.CANCELLED;
        user.cancellations.incrementAndGet();
        return t;
    }

    private SimTransaction(String id, SimulatedUser user, String displayText, List<String> docIds, List<byte[]> inputs,
            boolean digestInfo, long lifetimeNanos, boolean prompt) {
        this.id = id;
        this.user = user;
        this.displayText = displayText;
        this.docIds = List.copyOf(docIds);
        this.inputs = List.copyOf(inputs);
        this.digestInfo = digestInfo;
        this.behaviour = user.behaviour();
        this.tranCode = Integer.toString(100000 + ThreadLocalRandom.current().nextInt(900000));
        this.createdAt = System.nanoTime();
        long min = behaviour.minDelay().toNanos();
        long max = behaviour.maxDelay().toNanos();
        this.decideAt = createdAt + (max > min ? ThreadLocalRandom.current().nextLong(min, max + 1) : min);
        this.expiresAt = createdAt + lifetimeNanos;
        if (prompt && behaviour.answer() != PhoneBehaviour.Answer.PHONE_OFF) {
            user.prompts.incrementAndGet();
            user.lastDisplayText.set(displayText);
        }
    }

    /** The current state, deciding the person's answer once its time has come. */
    synchronized State state() {
        if (state != State.WAITING) {
            return state;
        }
        long now = System.nanoTime();
        boolean answered = now - decideAt >= 0;
        switch (behaviour.answer()) {
            case APPROVE -> {
                if (answered && ahead == null) {
                    signatures = sign();
                    state = State.SIGNED;
                } else if (answered && ahead.isDone()) {
                    signatures = ahead.join();
                    state = State.SIGNED;
                }
                // else: approved, and the values are still being made on the signing threads
            }
            case REJECT -> state = answered ? State.REJECTED : state;
            case PIN_BLOCKED -> state = answered ? State.PIN_BLOCKED : state;
            case PHONE_OFF, NEVER_ANSWER -> {
                // nobody answers; only expiry ends the transaction
            }
        }
        if (state == State.WAITING && now - expiresAt >= 0) {
            state = behaviour.answer() == PhoneBehaviour.Answer.PHONE_OFF ? State.UNREACHABLE : State.EXPIRED;
        }
        return state;
    }

    private List<byte[]> sign() {
        List<byte[]> values = new ArrayList<>(inputs.size());
        for (byte[] input : inputs) {
            values.add(digestInfo ? user.signDigestInfo(input, behaviour.corruptSignatures())
                    : user.contain(input, user.signHash(input, behaviour.corruptSignatures()), behaviour.container()));
        }
        return List.copyOf(values);
    }

    /**
     * Makes the values of an approving person on {@code signing} while the prompt waits, so the
     * private-key operations spread over the confirmation delay instead of all landing on the
     * HTTP threads when the answers come; they are released only once the person has approved.
     * Does nothing for other answers, or when {@code signing} is full (then they are made when
     * first asked for).
     */
    synchronized void signAhead(Executor signing) {
        if (ahead != null || state != State.WAITING || behaviour.answer() != PhoneBehaviour.Answer.APPROVE) {
            return;
        }
        try {
            ahead = CompletableFuture.supplyAsync(this::sign, signing);
        } catch (RejectedExecutionException e) {
            ahead = null;
        }
    }

    /** Completes once the values an approving person releases exist (at once when nothing is signed ahead). */
    synchronized CompletableFuture<?> valuesReady() {
        return ahead == null ? CompletableFuture.completedFuture(null) : ahead.handle((v, e) -> null);
    }

    /** How long until the person's answer (or the expiry) settles a waiting transaction; zero once settled. */
    synchronized java.time.Duration untilSettled() {
        if (state() != State.WAITING) {
            return java.time.Duration.ZERO;
        }
        long now = System.nanoTime();
        long at = switch (behaviour.answer()) {
            case APPROVE, REJECT, PIN_BLOCKED -> Math.min(decideAt, expiresAt);
            case NEVER_ANSWER, PHONE_OFF -> expiresAt;
        };
        return java.time.Duration.ofNanos(Math.max(0, at - now) + 1_000_000);
    }

    /** True the first time only: a retried submission of the same transaction starts nothing again. */
    boolean firstAccepted() {
        return accepted.compareAndSet(false, true);
    }

    /** The behaviour the credential had when the prompt was sent. */
    PhoneBehaviour behaviour() {
        return behaviour;
    }

    /** Cancels a waiting transaction; true if it was waiting. */
    synchronized boolean cancel() {
        if (state() != State.WAITING) {
            return false;
        }
        state = State.CANCELLED;
        user.cancellations.incrementAndGet();
        return true;
    }

    /** The signature values, in input order; only in state SIGNED. */
    synchronized List<byte[]> signatures() {
        return signatures;
    }

    /** Whether the phone cannot be reached at all (the service may know it at once). */
    boolean phoneOff() {
        return behaviour.answer() == PhoneBehaviour.Answer.PHONE_OFF;
    }
}
