package vn.kyso.remotesim;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import vn.kyso.KeySource;
import vn.kyso.internal.json.Json;

/**
 * The receiver of the results an SP769 service POSTs to the callback URL the service provider
 * registered with it, so a pending signature completes when the person answers instead of at the
 * next status query. The embedding server owns the HTTP endpoint: it creates one receiver,
 * {@linkplain #attach attaches} its sp769 key sources, and hands each POST's body to
 * {@link #deliver}, answering with the status it returns.
 *
 * <p>A delivery is not trusted: values complete a signature only when they verify against its
 * digests and certificate; any other message only brings that transaction's status query forward
 * (asked with the service credentials), so a forged POST can neither sign nor fail anything.
 * Attached sources still query the status now and then ({@code webhook_poll_interval}, 30 s by
 * default) in case a delivery is lost. Thread-safe.
 */
public final class RemoteSimWebhook {
    private final Set<RemoteKeySource> sources = ConcurrentHashMap.newKeySet();

    /**
     * Routes deliveries to the pending signatures of {@code source} from now on.
     *
     * @throws IllegalArgumentException when {@code source} is not an open remote-sim source of the sp769 dialect
     */
    public void attach(KeySource source) {
        Objects.requireNonNull(source, "source");
        if (!(source instanceof RemoteKeySource remote) || remote.sp769() == null) {
            throw new IllegalArgumentException("only a remote-sim key source of dialect sp769 receives webhooks, not "
                    + source);
        }
        remote.sp769().webhookAttached();
        sources.add(remote);
    }

    /**
     * Handles the body of one POST to the callback URL and returns the HTTP status to answer:
     * 200 when a pending signature took it, 404 when no attached source waits for that
     * transaction (finished, or another node's), 400 when it is not a result, 413 when longer
     * than an answer may be.
     */
    public int deliver(byte[] body) {
        Objects.requireNonNull(body, "body");
        if (body.length > Transport.MAX_ANSWER) {
            return 413;
        }
        String transactionId;
        Map<String, Object> answer;
        try {
            answer = Json.parseObject(new String(body, StandardCharsets.UTF_8));
            transactionId = Json.string(Json.object(answer, "data"), "transaction_id");
        } catch (IllegalArgumentException e) {
            return 400;
        }
        sources.removeIf(RemoteKeySource::isClosed);
        for (RemoteKeySource source : sources) {
            if (source.sp769().delivered(transactionId, answer)) {
                return 200;
            }
        }
        return 404;
    }
}
