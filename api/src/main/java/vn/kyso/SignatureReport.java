package vn.kyso;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The verdict on one signature and the facts behind it: integrity, what it covers, the chain
 * to a trust anchor, revocation status and its source, and the ETSI indication.
 *
 * <p>Immutable. Built by formats with {@link #builder(String)}, which refuses a
 * {@code TOTAL_PASSED} that its own facts contradict.
 */
public final class SignatureReport {

    /** Whether the signer's certificate chains to one of the policy's trust anchors. */
    public enum ChainStatus { TRUSTED, NO_TRUSTED_ANCHOR, INCOMPLETE, INVALID }

    /** The signer certificate's revocation status at signing time. */
    public enum RevocationStatus { GOOD, REVOKED, UNKNOWN, NOT_CHECKED }

    /** Where the revocation status came from. */
    public enum RevocationSource { EMBEDDED_OCSP, EMBEDDED_CRL, ONLINE_OCSP, ONLINE_CRL, NONE }

    private final String id;
    private final X509Certificate signerCertificate;
    private final List<X509Certificate> chain;
    private final OffsetDateTime claimedSigningTime;
    private final Instant timestampTime;
    private final boolean intact;
    private final boolean coversWholeDocument;
    private final List<String> laterChanges;
    private final List<String> covers;
    private final ChainStatus chainStatus;
    private final X509Certificate trustAnchor;
    private final RevocationStatus revocationStatus;
    private final RevocationSource revocationSource;
    private final Indication indication;
    private final SubIndication subIndication;
    private final List<Finding> findings;

    private SignatureReport(Builder b) {
        this.id = b.id;
        this.signerCertificate = b.signerCertificate;
        this.chain = List.copyOf(b.chain);
        this.claimedSigningTime = b.claimedSigningTime;
        this.timestampTime = b.timestampTime;
        this.intact = b.intact;
        this.coversWholeDocument = b.coversWholeDocument;
        this.laterChanges = List.copyOf(b.laterChanges);
        this.covers = List.copyOf(b.covers);
        this.chainStatus = b.chainStatus;
        this.trustAnchor = b.trustAnchor;
        this.revocationStatus = b.revocationStatus;
        this.revocationSource = b.revocationSource;
        this.indication = b.indication;
        this.subIndication = b.subIndication;
        this.findings = List.copyOf(b.findings);
    }

    /** @param id the signature's name in the document (PDF field name, XML Signature Id or path) */
    public static Builder builder(String id) {
        return new Builder(id);
    }

    public String id() {
        return id;
    }

    /** The signing certificate, when the signature names one that could be found. */
    public Optional<X509Certificate> signerCertificate() {
        return Optional.ofNullable(signerCertificate);
    }

    /** The chain that was built, signer first; empty when none could be. */
    public List<X509Certificate> chain() {
        return chain;
    }

    /** The signing time the signer claims (not proof; see {@link #timestampTime()}). */
    public Optional<OffsetDateTime> claimedSigningTime() {
        return Optional.ofNullable(claimedSigningTime);
    }

    /** The time a valid timestamp token proves the signature existed at. */
    public Optional<Instant> timestampTime() {
        return Optional.ofNullable(timestampTime);
    }

    /** Whether the signed bytes are unchanged and the signature value matches the certificate. */
    public boolean intact() {
        return intact;
    }

    /** Whether the signature covers the whole document as it is now (no later revisions). */
    public boolean coversWholeDocument() {
        return coversWholeDocument;
    }

    /** What changed after this signature (later signatures, form fill, page content...), one line each. */
    public List<String> laterChanges() {
        return laterChanges;
    }

    /** What the signature covers (byte ranges, or the XML elements its references point at). */
    public List<String> covers() {
        return covers;
    }

    public ChainStatus chainStatus() {
        return chainStatus;
    }

    /** The anchor the chain ended at, when it is trusted. */
    public Optional<X509Certificate> trustAnchor() {
        return Optional.ofNullable(trustAnchor);
    }

    public RevocationStatus revocationStatus() {
        return revocationStatus;
    }

    public RevocationSource revocationSource() {
        return revocationSource;
    }

    public Indication indication() {
        return indication;
    }

    /** Why the indication is not {@code TOTAL_PASSED}; empty when it is. */
    public Optional<SubIndication> subIndication() {
        return Optional.ofNullable(subIndication);
    }

    /** Errors, warnings and notes, in both languages. */
    public List<Finding> findings() {
        return findings;
    }

    /** Whether a finding with {@code code} is present. */
    public boolean has(String code) {
        return findings.stream().anyMatch(f -> f.code().equals(code));
    }

    @Override
    public String toString() {
        return "SignatureReport[" + id + ", " + indication + (subIndication != null ? "/" + subIndication : "") + "]";
    }

    /** Builds a {@link SignatureReport}; unset facts default to the pessimistic value. */
    public static final class Builder {
        private final String id;
        private X509Certificate signerCertificate;
        private List<X509Certificate> chain = List.of();
        private OffsetDateTime claimedSigningTime;
        private Instant timestampTime;
        private boolean intact;
        private boolean coversWholeDocument;
        private final List<String> laterChanges = new ArrayList<>();
        private final List<String> covers = new ArrayList<>();
        private ChainStatus chainStatus = ChainStatus.INCOMPLETE;
        private X509Certificate trustAnchor;
        private RevocationStatus revocationStatus = RevocationStatus.NOT_CHECKED;
        private RevocationSource revocationSource = RevocationSource.NONE;
        private Indication indication = Indication.INDETERMINATE;
        private SubIndication subIndication = SubIndication.GENERIC;
        private final List<Finding> findings = new ArrayList<>();

        private Builder(String id) {
            this.id = Objects.requireNonNull(id, "id must not be null");
        }

        public Builder signerCertificate(X509Certificate certificate) {
            this.signerCertificate = certificate;
            return this;
        }

        public Builder chain(List<X509Certificate> chain) {
            this.chain = List.copyOf(chain);
            return this;
        }

        public Builder claimedSigningTime(OffsetDateTime time) {
            this.claimedSigningTime = time;
            return this;
        }

        public Builder timestampTime(Instant time) {
            this.timestampTime = time;
            return this;
        }

        public Builder intact(boolean intact) {
            this.intact = intact;
            return this;
        }

        public Builder coversWholeDocument(boolean whole) {
            this.coversWholeDocument = whole;
            return this;
        }

        public Builder laterChange(String change) {
            this.laterChanges.add(Objects.requireNonNull(change));
            return this;
        }

        public Builder covers(String part) {
            this.covers.add(Objects.requireNonNull(part));
            return this;
        }

        public Builder chainStatus(ChainStatus status, X509Certificate anchor) {
            this.chainStatus = Objects.requireNonNull(status);
            this.trustAnchor = anchor;
            return this;
        }

        public Builder revocation(RevocationStatus status, RevocationSource source) {
            this.revocationStatus = Objects.requireNonNull(status);
            this.revocationSource = Objects.requireNonNull(source);
            return this;
        }

        public Builder finding(Finding finding) {
            this.findings.add(Objects.requireNonNull(finding));
            return this;
        }

        /** Sets the verdict; {@code sub} must be null exactly when {@code indication} is TOTAL_PASSED. */
        public Builder indication(Indication indication, SubIndication sub) {
            this.indication = Objects.requireNonNull(indication);
            this.subIndication = sub;
            return this;
        }

        /**
         * @throws IllegalStateException when the verdict contradicts the facts: TOTAL_PASSED for a
         *     signature that is not intact, not trusted, revoked, of unknown status, or with an error finding
         */
        public SignatureReport build() {
            if (indication == Indication.TOTAL_PASSED) {
                if (subIndication != null) {
                    throw new IllegalStateException("TOTAL_PASSED takes no sub-indication");
                }
                String why = !intact ? "it is not intact"
                        : chainStatus != ChainStatus.TRUSTED ? "its chain is " + chainStatus
                        : revocationStatus == RevocationStatus.REVOKED ? "its certificate is revoked"
                        : revocationStatus == RevocationStatus.UNKNOWN ? "its revocation status is unknown"
                        : findings.stream().anyMatch(f -> f.severity() == Finding.Severity.ERROR)
                                ? "it has an error finding" : null;
                if (why != null) {
                    throw new IllegalStateException("signature " + id + " cannot be TOTAL_PASSED: " + why);
                }
            } else if (subIndication == null) {
                throw new IllegalStateException(indication + " needs a sub-indication");
            }
            return new SignatureReport(this);
        }
    }
}
