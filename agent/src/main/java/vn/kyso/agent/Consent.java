package vn.kyso.agent;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The user's side of the agent: the questions only the person at the PC may answer, in the
 * agent's own window, never in the page. Production uses {@link SwingConsent}; tests answer
 * with a scripted implementation. Called from one thread at a time.
 */
public interface Consent {

    /** What one signature is for, as the page described it; shown, never trusted. */
    record Document(String title, String number, String role) {
    }

    /** Everything the user sees before agreeing to sign: who asks, with which certificate, what. */
    record SigningPrompt(String origin, X509Certificate certificate, String tokenLabel, List<Document> documents) {
        public SigningPrompt {
            documents = List.copyOf(documents);
        }
    }

    /** A certificate offered in the chooser, with the token that holds it. */
    record Choice(X509Certificate certificate, String tokenLabel) {
    }

    /**
     * Asks which certificate to sign with, when the tokens hold several.
     *
     * @return the index of the chosen one in {@code choices}, or -1 when the user cancels
     */
    int chooseCertificate(String origin, List<Choice> choices);

    /**
     * Asked once on the first use by an origin of the allow-list: "Allow ORIGIN to use your
     * signing token?".
     *
     * @return true to allow (remembered until revoked)
     */
    boolean allowOrigin(String origin);

    /**
     * Shows what will be signed and asks the token's PIN.
     *
     * @return the PIN (the agent wipes it after use, and never keeps it), or null when the user
     *     cancels
     */
    char[] approve(SigningPrompt prompt);
}
