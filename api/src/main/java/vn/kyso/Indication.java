package vn.kyso;

/** The overall verdict on one signature, named as ETSI EN 319 102-1 names it. */
public enum Indication {
    /** Every check passed: the signature is valid. */
    TOTAL_PASSED("Hợp lệ", "Valid"),
    /** A check failed for certain (altered content, revoked, broken signature). */
    TOTAL_FAILED("Không hợp lệ", "Invalid"),
    /** Checks could not conclude (unknown root, revocation status unavailable). */
    INDETERMINATE("Chưa xác định", "Indeterminate");

    private final String vietnamese;
    private final String english;

    Indication(String vietnamese, String english) {
        this.vietnamese = vietnamese;
        this.english = english;
    }

    public String vietnamese() {
        return vietnamese;
    }

    public String english() {
        return english;
    }
}
