package vn.kyso.agent;

/** The stable error codes of the protocol (agent/README.md); pages switch on these, never on messages. */
enum ErrorCode {
    BAD_REQUEST("the request is not valid for this protocol"),
    VERSION_MISMATCH("this agent speaks protocol version " + Protocol.VERSION),
    BUSY("the agent is doing another operation; try again when it is done"),
    TIMED_OUT("the operation took too long and was abandoned"),
    USER_CANCELLED("the user cancelled"),
    ORIGIN_NOT_ALLOWED("the user did not allow this web site to use the signing token"),
    TOKEN_ABSENT("the token is not plugged in; plug it in and try again"),
    CERTIFICATE_NOT_FOUND("no such certificate on the plugged-in tokens; ask for the certificates again"),
    PIN_INCORRECT("the PIN was wrong"),
    PIN_LOCKED("the PIN of the token is locked; unlock it with the issuing CA"),
    PIN_EXPIRED("the PIN of the token must be changed first"),
    DRIVER_NOT_FOUND("the token's driver is not installed"),
    UNSUPPORTED_ALGORITHM("the key cannot make this signature algorithm"),
    SIGNING_FAILED("the token could not sign"),
    MESSAGE_TOO_LARGE("only signPdf messages may be larger than 64 KiB"),
    DOCUMENT_TOO_LARGE("the document is larger than the agent takes (16 MiB)"),
    DOCUMENT_MALFORMED("the document cannot be read as a PDF"),
    URL_NOT_ALLOWED("the download and upload addresses must be https on the calling page's own origin"),
    INTERNAL_ERROR("the agent failed; see its log");

    final String message;

    ErrorCode(String message) {
        this.message = message;
    }
}
