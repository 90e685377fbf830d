package vn.kyso;

/** No provider or format with the asked id is on the class path; the message names the Maven artifact to add. */
public class PluginNotFoundException extends KysoException {
    private static final long serialVersionUID = 1L;

    public PluginNotFoundException(String message) {
        super("kyso", message, null);
    }
}
