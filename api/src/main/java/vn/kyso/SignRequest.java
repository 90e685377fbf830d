package vn.kyso;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a {@link Signer} is asked to sign: one or more digests of one algorithm, with the
 * short text a person sees when confirming (on a PKI SIM the phone shows it, e.g.
 * "Ký văn bản 2806/SCT-VP"), and the context usage reports are made of.
 *
 * <p>Immutable; digests are copied in and out. Built only through the factories, which
 * check every digest has the length the algorithm needs, so a provider never sees a
 * malformed request.
 */
public final class SignRequest {
    private static final int MAX_TEXT = 200;

    private final SignatureAlgorithm algorithm;
    private final List<byte[]> digests;
    private final String displayText;
    private final String formatId;
    private final String documentType;

    private SignRequest(SignatureAlgorithm algorithm, List<byte[]> digests, String displayText,
            String formatId, String documentType) {
        this.algorithm = Objects.requireNonNull(algorithm, "algorithm must not be null");
        Objects.requireNonNull(digests, "digests must not be null");
        if (digests.isEmpty()) {
            throw new IllegalArgumentException("a sign request needs at least one digest");
        }
        List<byte[]> copy = new ArrayList<>(digests.size());
        int expected = algorithm.digest().length();
        for (int i = 0; i < digests.size(); i++) {
            byte[] d = digests.get(i);
            if (d == null) {
                throw new NullPointerException("digest " + i + " must not be null");
            }
            if (d.length == 0) {
                throw new IllegalArgumentException("digest " + i + " must not be empty");
            }
            if (d.length != expected) {
                throw new IllegalArgumentException("digest " + i + " has " + d.length + " bytes but "
                        + algorithm + " needs a " + algorithm.digest().jcaName() + " digest of "
                        + expected + " bytes; hash the data with " + algorithm.digest().jcaName() + " first");
            }
            copy.add(d.clone());
        }
        this.digests = List.copyOf(copy);
        Objects.requireNonNull(displayText, "displayText must not be null (use \"\" for none)");
        if (displayText.length() > MAX_TEXT) {
            throw new IllegalArgumentException("displayText has " + displayText.length()
                    + " characters; phones show at most " + MAX_TEXT + ", shorten it");
        }
        this.displayText = displayText;
        this.formatId = Objects.requireNonNull(formatId, "formatId must not be null");
        this.documentType = Objects.requireNonNull(documentType, "documentType must not be null");
    }

    /** A request for one digest, with no format context (a raw digest signature). */
    public static SignRequest of(SignatureAlgorithm algorithm, byte[] digest, String displayText) {
        return new SignRequest(algorithm, List.of(Objects.requireNonNull(digest, "digest must not be null")),
                displayText, "raw", "");
    }

    /** A batch: every digest is signed under one PIN entry or one phone confirmation. */
    public static SignRequest batch(SignatureAlgorithm algorithm, List<byte[]> digests, String displayText) {
        return new SignRequest(algorithm, digests, displayText, "raw", "");
    }

    /**
     * The same request, marked as made by a format for a kind of document; formats call this
     * so the usage reporter can count signatures per format and document type.
     */
    public SignRequest forDocument(String formatId, String documentType) {
        return new SignRequest(algorithm, digests, displayText, formatId, documentType);
    }

    public SignatureAlgorithm algorithm() {
        return algorithm;
    }

    /** How many digests this request carries. */
    public int size() {
        return digests.size();
    }

    /** A copy of digest {@code index}. */
    public byte[] digest(int index) {
        return digests.get(index).clone();
    }

    /** Copies of all digests, in order. */
    public List<byte[]> digests() {
        List<byte[]> out = new ArrayList<>(digests.size());
        for (byte[] d : digests) {
            out.add(d.clone());
        }
        return out;
    }

    /** The text shown to the person who confirms; never null, may be empty. */
    public String displayText() {
        return displayText;
    }

    /** Id of the format that built the request ("pades", "xades"), or "raw". */
    public String formatId() {
        return formatId;
    }

    /** Kind of document signed ("Công văn", "HDon"), or "" when unknown. */
    public String documentType() {
        return documentType;
    }

    @Override
    public String toString() {
        return "SignRequest[" + algorithm + ", " + digests.size() + " digest(s), '" + displayText + "']";
    }
}
