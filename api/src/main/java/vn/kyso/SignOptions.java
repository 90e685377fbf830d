package vn.kyso;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How to sign, in the few choices every format shares; the defaults are right for Vietnamese
 * government use (SHA-256, baseline B, Vietnam time). Format-specific choices travel in a
 * {@link FormatOptions}.
 *
 * <p>Immutable; build with {@link #builder()}, which checks the combination (a timestamped
 * level needs a TSA URL).
 */
public final class SignOptions {
    private static final SignOptions DEFAULTS = builder().build();

    private final BaselineLevel level;
    private final DigestAlgorithm digest;
    private final URI timestampUrl;
    private final String displayText;
    private final String documentType;
    private final Clock clock;
    private final Duration networkTimeout;
    private final FormatOptions formatOptions;

    private SignOptions(Builder b) {
        this.level = b.level;
        this.digest = b.digest;
        this.timestampUrl = b.timestampUrl;
        this.displayText = b.displayText;
        this.documentType = b.documentType;
        this.clock = b.clock;
        this.networkTimeout = b.networkTimeout;
        this.formatOptions = b.formatOptions;
    }

    /** Baseline B, SHA-256, system clock, no format options. */
    public static SignOptions defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these options. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.level = level;
        b.digest = digest;
        b.timestampUrl = timestampUrl;
        b.displayText = displayText;
        b.documentType = documentType;
        b.clock = clock;
        b.networkTimeout = networkTimeout;
        b.formatOptions = formatOptions;
        return b;
    }

    public BaselineLevel level() {
        return level;
    }

    /** The digest the signature is computed over. */
    public DigestAlgorithm digest() {
        return digest;
    }

    /** The RFC 3161 timestamp authority; present whenever the level needs one. */
    public Optional<URI> timestampUrl() {
        return Optional.ofNullable(timestampUrl);
    }

    /** Text shown to the person confirming (on a PKI SIM, the phone's screen); may be empty. */
    public String displayText() {
        return displayText;
    }

    /** Kind of document, for usage reports ("Công văn", "Tờ khai thuế"); may be empty. */
    public String documentType() {
        return documentType;
    }

    /** The clock giving the signing time; fixed in tests. */
    public Clock clock() {
        return clock;
    }

    /** Bound on every network call made while signing (TSA, OCSP, CRL). */
    public Duration networkTimeout() {
        return networkTimeout;
    }

    /**
     * The format-specific options, which a format asks for with its own options type; empty when
     * none were given.
     *
     * @throws IllegalArgumentException when options of another type were given: they were meant for
     *     another format (XmlOptions given to a PDF signature), and ignoring them would sign with
     *     defaults the caller never chose
     */
    public <T extends FormatOptions> Optional<T> formatOptions(Class<T> type) {
        Objects.requireNonNull(type, "type must not be null");
        if (formatOptions == null) {
            return Optional.empty();
        }
        if (!type.isInstance(formatOptions)) {
            throw new IllegalArgumentException("the SignOptions carry " + formatOptions.getClass().getName()
                    + ", options for another format, but this format takes " + type.getName() + ": give "
                    + type.getSimpleName() + " (or no format options, for its defaults) when signing this document");
        }
        return Optional.of(type.cast(formatOptions));
    }

    /** Builds {@link SignOptions}; every setter rejects null. */
    public static final class Builder {
        private BaselineLevel level = BaselineLevel.B;
        private DigestAlgorithm digest = DigestAlgorithm.SHA256;
        private URI timestampUrl;
        private String displayText = "";
        private String documentType = "";
        private Clock clock = Clock.systemUTC();
        private Duration networkTimeout = Duration.ofSeconds(15);
        private FormatOptions formatOptions;

        private Builder() {
        }

        public Builder level(BaselineLevel level) {
            this.level = Objects.requireNonNull(level, "level must not be null");
            return this;
        }

        public Builder digest(DigestAlgorithm digest) {
            this.digest = Objects.requireNonNull(digest, "digest must not be null");
            return this;
        }

        public Builder timestampUrl(URI timestampUrl) {
            this.timestampUrl = Objects.requireNonNull(timestampUrl, "timestampUrl must not be null");
            return this;
        }

        public Builder displayText(String displayText) {
            this.displayText = Objects.requireNonNull(displayText, "displayText must not be null");
            return this;
        }

        public Builder documentType(String documentType) {
            this.documentType = Objects.requireNonNull(documentType, "documentType must not be null");
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock must not be null");
            return this;
        }

        public Builder networkTimeout(Duration networkTimeout) {
            Objects.requireNonNull(networkTimeout, "networkTimeout must not be null");
            if (networkTimeout.isNegative() || networkTimeout.isZero()) {
                throw new IllegalArgumentException("networkTimeout must be positive");
            }
            this.networkTimeout = networkTimeout;
            return this;
        }

        public Builder formatOptions(FormatOptions formatOptions) {
            this.formatOptions = Objects.requireNonNull(formatOptions, "formatOptions must not be null");
            return this;
        }

        /**
         * @throws IllegalArgumentException when the level needs a timestamp and no TSA URL is
         *     set, or the digest is SHA-1 (kyso does not make new SHA-1 signatures)
         */
        public SignOptions build() {
            if (level.needsTimestamp() && timestampUrl == null) {
                throw new IllegalArgumentException("level " + level
                        + " needs a timestamp authority: call timestampUrl(...) or use level B");
            }
            if (digest.isWeak()) {
                throw new IllegalArgumentException("SHA-1 is too weak for new signatures: use SHA-256");
            }
            return new SignOptions(this);
        }
    }
}
