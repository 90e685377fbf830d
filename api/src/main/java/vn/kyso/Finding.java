package vn.kyso;

import java.util.Objects;

/**
 * One thing a verifier found, in Vietnamese (what the rules require users to see) and English.
 *
 * @param severity how much it weighs on the verdict
 * @param code a stable, switchable code such as {@code WEAK_ALGORITHM} or {@code REFORMATTED_AFTER_SIGNING}
 * @param vietnamese the text for Vietnamese users
 * @param english the same text in English
 */
public record Finding(Severity severity, String code, String vietnamese, String english) {

    /** How much a finding weighs. */
    public enum Severity { ERROR, WARNING, INFO }

    public Finding {
        Objects.requireNonNull(severity, "severity must not be null");
        Objects.requireNonNull(code, "code must not be null");
        Objects.requireNonNull(vietnamese, "vietnamese must not be null");
        Objects.requireNonNull(english, "english must not be null");
    }

    public static Finding error(String code, String vietnamese, String english) {
        return new Finding(Severity.ERROR, code, vietnamese, english);
    }

    public static Finding warning(String code, String vietnamese, String english) {
        return new Finding(Severity.WARNING, code, vietnamese, english);
    }

    public static Finding info(String code, String vietnamese, String english) {
        return new Finding(Severity.INFO, code, vietnamese, english);
    }
}
