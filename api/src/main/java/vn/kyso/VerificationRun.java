package vn.kyso;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.security.auth.x500.X500Principal;

/**
 * The reports of one verification run (a command line, a folder, an upload batch) under one
 * policy: counts per {@link VerificationReport.Outcome}, the validation time used and why, and
 * the whole run as one {@value VerificationReport#SCHEMA} JSON document.
 *
 * <p>Keeps each file's JSON (a few KB), not its report. Thread-safe.
 */
public final class VerificationRun {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX");

    /** Why the run validated as of {@link #validationTime()}. */
    public enum TimeBasis {
        /** The policy asked for this time (e.g. {@code --at}: an archived document judged as of then). */
        REQUESTED,
        /** No time was asked for: the time the run started. */
        CURRENT_TIME
    }

    private final ValidationPolicy policy;
    private final Instant validationTime;
    private final TimeBasis basis;
    private final List<String> files = new ArrayList<>();
    private int skipped;
    private final Map<VerificationReport.Outcome, Integer> counts = new EnumMap<>(VerificationReport.Outcome.class);

    /** A run under {@code policy}, started now by {@code clock}. */
    public VerificationRun(ValidationPolicy policy, Clock clock) {
        this.policy = Objects.requireNonNull(policy, "policy must not be null");
        this.basis = policy.validationTime().isPresent() ? TimeBasis.REQUESTED : TimeBasis.CURRENT_TIME;
        this.validationTime = policy.validationTime().orElseGet(clock::instant);
        for (VerificationReport.Outcome o : VerificationReport.Outcome.values()) {
            counts.put(o, 0);
        }
    }

    /** Adds a file's report; {@code path} names it in the JSON (relative to the folder given, say). */
    public synchronized void add(String path, VerificationReport report) {
        Objects.requireNonNull(path, "path must not be null");
        Json json = new Json();
        report.writeJson(json, path);
        files.add(json.toString());
        counts.merge(report.outcome(), 1, Integer::sum);
    }

    /**
     * Notes a file that was passed over because it is neither PDF nor XML (a folder's scans and
     * office files); it is counted, not listed.
     */
    public synchronized void skip(String path) {
        Objects.requireNonNull(path, "path must not be null");
        skipped++;
    }

    /** How many files were passed over with {@link #skip}. */
    public synchronized int skipped() {
        return skipped;
    }

    /** How many files ended with {@code outcome}. */
    public synchronized int count(VerificationReport.Outcome outcome) {
        return counts.get(outcome);
    }

    /** How many files were added. */
    public synchronized int total() {
        return files.size();
    }

    public Instant validationTime() {
        return validationTime;
    }

    public TimeBasis timeBasis() {
        return basis;
    }

    /** Why this validation time, in Vietnamese and English. */
    public String timeReason(boolean vietnamese) {
        if (basis == TimeBasis.REQUESTED) {
            return vietnamese ? "kiểm tra tại thời điểm được yêu cầu (văn bản lưu trữ), trừ khi dấu thời gian tin cậy"
                    + " có trước thời điểm đó chứng minh chữ ký có sớm hơn; dấu thời gian muộn hơn thì khi đó chưa tồn tại"
                    : "validated as of the time asked for (an archived document), except where a trusted timestamp"
                    + " dated before it proves the signature existed earlier; a timestamp dated later did not exist yet";
        }
        return vietnamese ? "không yêu cầu thời điểm: kiểm tra tại thời điểm hiện tại, trừ khi dấu thời gian tin cậy"
                + " chứng minh chữ ký có trước đó"
                : "no time asked for: validated as of now, except where a trusted timestamp proves the signature"
                + " existed earlier";
    }

    /** The run as one {@value VerificationReport#SCHEMA} JSON document: policy, files in order added, summary. */
    public synchronized String toJson() {
        Json json = new Json().beginObject().value("schema", VerificationReport.SCHEMA);
        json.name("validation").beginObject().value("time", TIME.format(validationTime.atOffset(ZoneOffset.ofHours(7))))
                .value("basis", basis.name()).value("reason", timeReason(false))
                .value("revocation", policy.revocation().name()).value("strict", policy.strictAlgorithms())
                .strings("trustAnchors", policy.trustAnchors().stream()
                        .map(c -> c.getSubjectX500Principal().getName(X500Principal.RFC2253)).toList())
                .endObject();
        StringBuilder out = new StringBuilder(json.beginArray("files").toString());
        for (int i = 0; i < files.size(); i++) {
            out.append(i == 0 ? "" : ",").append(files.get(i));
        }
        Json tail = new Json().name("summary").beginObject().value("total", files.size());
        for (VerificationReport.Outcome o : VerificationReport.Outcome.values()) {
            tail.value(o.name(), counts.get(o));
        }
        tail.value("SKIPPED", skipped);
        return out.append("],").append(tail.endObject()).append('}').toString();
    }
}
