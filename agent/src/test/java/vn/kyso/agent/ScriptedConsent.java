package vn.kyso.agent;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** The person at the PC, scripted: allows origins or not, and types a PIN or cancels. Records every question. */
final class ScriptedConsent implements Consent {
    final List<String> originQuestions = new CopyOnWriteArrayList<>();
    final List<SigningPrompt> prompts = new CopyOnWriteArrayList<>();
    final List<List<Choice>> choosers = new CopyOnWriteArrayList<>();
    /** The index the user picks in the chooser; -1 cancels. */
    volatile int choice;
    volatile boolean allowOrigins = true;
    volatile String pin;
    /** Run while the prompt is shown, e.g. to pull the token out. */
    volatile Consumer<SigningPrompt> whileShown = p -> { };

    ScriptedConsent(String pin) {
        this.pin = pin;
    }

    @Override
    public boolean allowOrigin(String origin) {
        originQuestions.add(origin);
        return allowOrigins;
    }

    @Override
    public int chooseCertificate(String origin, List<Choice> choices) {
        choosers.add(List.copyOf(choices));
        return choice;
    }

    @Override
    public char[] approve(SigningPrompt prompt) {
        prompts.add(prompt);
        whileShown.accept(prompt);
        String p = pin;
        return p == null ? null : p.toCharArray();
    }

    int questions() {
        return originQuestions.size() + prompts.size() + choosers.size();
    }
}
