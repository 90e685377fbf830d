package vn.kyso.remotesim;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;
import vn.kyso.KeyNotFoundException;
import vn.kyso.KysoException;
import vn.kyso.PinIncorrectException;
import vn.kyso.PinLockedException;
import vn.kyso.ServiceUnavailableException;
import vn.kyso.SigningFailedException;
import vn.kyso.SigningTimeoutException;
import vn.kyso.UserRejectedException;
import vn.kyso.spi.DigestSigning;

/**
 * The ETSI TS 102 204 mobile-signature dialect over SOAP 1.1 (the Government Cipher Committee's
 * PKI SIM): {@code MSS_Signature} in asynchronous client-server mode with the base64 DER
 * DigestInfo as DataToBeSigned (MSS_Format PKCS1) and the text for the SIM as DataToBeDisplayed,
 * then {@code MSS_StatusQuery} until 500 SIGNATURE or a final status. The MSSP does not hand out
 * certificates, so the signer's chain comes from the {@code certificate} setting; connect checks
 * the AP credentials and the MSISDN with {@code MSS_ProfileQuery}.
 *
 * <p>TS 102 204 has neither batches nor cancellation: a batch of n digests is n transactions one
 * after the other (n confirmations on the SIM), and a cancelled request only stops polling.
 */
final class MssService implements RemoteService {
    static final int DISPLAY_LIMIT = 160;
    static final String MSS = "http://uri.etsi.org/TS102204/v1.1.2#";
    static final String SOAP = "http://schemas.xmlsoap.org/soap/envelope/";
    private static final String XML = "text/xml; charset=utf-8";
    private static final String PKCS1 = "http://uri.etsi.org/TS102204/v1.1.2#PKCS1";
    private static final int MAX_POLL_FAILURES = 5;

    private final RemoteSettings settings;
    private final Transport transport;
    private final String apPassword;
    private final String profile;
    private final List<X509Certificate> chain;

    MssService(RemoteSettings settings, Transport transport, char[] apPassword, String profile) {
        this.settings = settings;
        this.transport = transport;
        this.apPassword = new String(apPassword);
        this.profile = profile;
        this.chain = chain(settings.serialNumber());
    }

    /** Which answers are worth resending: no answer at all, or a 5xx that is not a TS 102 204 fault (save 900). */
    static boolean transientAnswer(Transport.Answer a) {
        if (a.status() == 429 || a.status() == 502 || a.status() == 503 || a.status() == 504) {
            return true;
        }
        return a.status() >= 500 && (!a.body().contains("Fault") || a.body().contains("_900<"));
    }

    @Override
    public int displayLimit() {
        return DISPLAY_LIMIT;
    }

    @Override
    public List<Credential> credentials() throws KysoException {
        String req = "<mss:MSS_ProfileQuery><mss:MSS_ProfileReq MajorVersion=\"1\" MinorVersion=\"1\">"
                + apInfo(RemoteSigner.newTransactionId()) + mobileUser() + "</mss:MSS_ProfileReq></mss:MSS_ProfileQuery>";
        try {
            Element resp = call(req, true, "MSS_ProfileQuery").get(
                    settings.requestTimeout().toMillis() * (settings.retries() + 1) + 5_000, TimeUnit.MILLISECONDS);
            int code = statusCode(resp);
            if (code != 100) {
                throw statusError(code, statusMessage(resp), "MSS_ProfileQuery");
            }
        } catch (ExecutionException e) {
            throw Transport.failure(settings.url(), e.getCause(), "MSS_ProfileQuery");
        } catch (TimeoutException e) {
            throw new SigningTimeoutException(RemoteSimProvider.ID, "the MSSP did not answer MSS_ProfileQuery in time: "
                    + "try again later", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SigningFailedException(RemoteSimProvider.ID, "interrupted while querying the MSSP", e);
        }
        String serial = chain.get(0).getSerialNumber().toString(16);
        return List.of(new Credential(serial, chain.get(0).getSubjectX500Principal().getName() + " (SIM "
                + settings.userId() + ")", chain));
    }

    @Override
    public CompletableFuture<List<byte[]>> sign(Job job, BooleanSupplier cancelled) {
        List<byte[]> values = new ArrayList<>();
        CompletableFuture<List<byte[]>> chainOfSignatures = CompletableFuture.completedFuture(values);
        for (int i = 0; i < job.digests().size(); i++) {
            int index = i;
            // one pending transaction per MSISDN: the digests of a batch are signed one after the other
            chainOfSignatures = chainOfSignatures.thenCompose(v -> signOne(job, index, cancelled)
                    .thenApply(value -> {
                        values.add(value);
                        return values;
                    }));
        }
        return chainOfSignatures.thenApply(List::copyOf);
    }

    private CompletableFuture<byte[]> signOne(Job job, int index, BooleanSupplier cancelled) {
        if (cancelled.getAsBoolean()) {
            return new CompletableFuture<>();
        }
        String apTransId = job.digests().size() == 1 ? job.transactionId() : job.transactionId() + "-" + (index + 1);
        byte[] digestInfo = DigestSigning.digestInfo(job.algorithm().digest(), job.digests().get(index));
        long seconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(job.deadlineNanos() - System.nanoTime()));
        String req = "<mss:MSS_Signature><mss:MSS_SignatureReq MajorVersion=\"1\" MinorVersion=\"1\" TimeOut=\"" + seconds
                + "\" MessagingMode=\"asynchClientServer\">" + apInfo(apTransId)
                + mobileUser()
                + "<mss:DataToBeSigned MimeType=\"application/octet-stream\" Encoding=\"base64\">"
                + Base64.getEncoder().encodeToString(digestInfo) + "</mss:DataToBeSigned>"
                + "<mss:DataToBeDisplayed MimeType=\"text/plain\" Encoding=\"UTF-8\">" + escape(job.displayText())
                + "</mss:DataToBeDisplayed>"
                + "<mss:SignatureProfile><mss:mssURI>" + escape(profile) + "</mss:mssURI></mss:SignatureProfile>"
                + "<mss:MSS_Format><mss:mssURI>" + PKCS1 + "</mss:mssURI></mss:MSS_Format>"
                + "</mss:MSS_SignatureReq></mss:MSS_Signature>";
        // resent unchanged on a retry: the same AP_TransID is the same transaction, the SIM asks once
        return call(req, true, "MSS_Signature").thenCompose(resp -> {
            int code = statusCode(resp);
            if (code != 100) {
                throw new CompletionException(statusError(code, statusMessage(resp), "MSS_Signature"));
            }
            String msspTransId = resp.getAttribute("MSSP_TransID");
            if (msspTransId.isEmpty()) {
                throw new CompletionException(malformed("MSS_Signature", "no MSSP_TransID in the answer"));
            }
            return poll(job, msspTransId, cancelled, 0, 0);
        });
    }

    private CompletableFuture<byte[]> poll(Job job, String msspTransId, BooleanSupplier cancelled, int polls,
            int failures) {
        if (cancelled.getAsBoolean()) {
            return new CompletableFuture<>();
        }
        long left = job.deadlineNanos() - System.nanoTime();
        if (left <= 0) {
            return CompletableFuture.failedFuture(new SigningTimeoutException(RemoteSimProvider.ID,
                    "no confirmation on the SIM of " + settings.userId() + " within "
                    + settings.confirmationTimeout().toSeconds() + " s: ask the person to check the phone and try again"));
        }
        long wait = Math.min(settings.polls().delayNanos(polls), left);
        String req = "<mss:MSS_StatusQuery><mss:MSS_StatusReq MajorVersion=\"1\" MinorVersion=\"1\">"
                + apInfo(RemoteSigner.newTransactionId()) + "<mss:MSSP_TransID>" + escape(msspTransId)
                + "</mss:MSSP_TransID></mss:MSS_StatusReq></mss:MSS_StatusQuery>";
        return CompletableFuture.supplyAsync(() -> null,
                CompletableFuture.delayedExecutor(wait, TimeUnit.NANOSECONDS, transport.executor()))
                .thenCompose(x -> cancelled.getAsBoolean() ? new CompletableFuture<Element>()
                        : call(req, true, true, "MSS_StatusQuery"))
                .handle((resp, error) -> {
                    if (error != null) {
                        KysoException k = Transport.failure(settings.url(), error, "MSS_StatusQuery");
                        if ((k instanceof ServiceUnavailableException || k instanceof SigningTimeoutException)
                                && failures + 1 < MAX_POLL_FAILURES) {
                            return poll(job, msspTransId, cancelled, polls + 1, failures + 1);
                        }
                        return CompletableFuture.<byte[]>failedFuture(k);
                    }
                    int code = statusCode(resp);
                    if (code == 504) {
                        return poll(job, msspTransId, cancelled, polls + 1, 0);
                    }
                    if (code == 500) {
                        NodeList sig = resp.getElementsByTagNameNS(MSS, "Base64Signature");
                        if (sig.getLength() != 1) {
                            return CompletableFuture.<byte[]>failedFuture(malformed("MSS_StatusQuery",
                                    "500 SIGNATURE without one Base64Signature"));
                        }
                        try {
                            return CompletableFuture.completedFuture(
                                    Base64.getMimeDecoder().decode(sig.item(0).getTextContent().trim()));
                        } catch (IllegalArgumentException e) {
                            return CompletableFuture.<byte[]>failedFuture(malformed("MSS_StatusQuery",
                                    "Base64Signature is not base64"));
                        }
                    }
                    return CompletableFuture.<byte[]>failedFuture(statusError(code, statusMessage(resp), "MSS_StatusQuery"));
                }).thenCompose(f -> f);
    }

    @Override
    public void cancel(Job job) {
        // TS 102 204 has no cancellation: polling stops, and the SIM prompt expires on its own
    }

    private String apInfo(String apTransId) {
        return "<mss:AP_Info AP_ID=\"" + escape(settings.serviceId()) + "\" AP_PWD=\"" + escape(apPassword)
                + "\" AP_TransID=\"" + escape(apTransId) + "\" Instant=\"" + Instant.now() + "\"/>";
    }

    private String mobileUser() {
        return "<mss:MobileUser><mss:MSISDN>" + escape(settings.userId()) + "</mss:MSISDN></mss:MobileUser>";
    }

    /** POSTs one SOAP request and returns the TS 102 204 response element, or fails with the fault's typed error. */
    private CompletableFuture<Element> call(String content, boolean idempotent, String what) {
        return call(content, idempotent, false, what);
    }

    /** A call about a transaction already submitted ({@code followUp}: a status query) goes before new submits. */
    private CompletableFuture<Element> call(String content, boolean idempotent, boolean followUp, String what) {
        String envelope = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><soapenv:Envelope xmlns:soapenv=\"" + SOAP
                + "\" xmlns:mss=\"" + MSS + "\"><soapenv:Body>" + content + "</soapenv:Body></soapenv:Envelope>";
        return transport.post(settings.url(), XML, envelope, idempotent, followUp, what).thenApply(answer -> {
            Document doc;
            try {
                doc = parse(answer.body());
            } catch (IllegalArgumentException e) {
                if (answer.status() / 100 != 2) {
                    throw new CompletionException(answer.status() >= 500
                            ? new ServiceUnavailableException(RemoteSimProvider.ID, "the MSSP failed " + what + " with HTTP "
                                    + answer.status() + " after retries: try again later")
                            : new SigningFailedException(RemoteSimProvider.ID, "the MSSP refused " + what + " with HTTP "
                                    + answer.status()));
                }
                throw new CompletionException(malformed(what, e.getMessage()));
            }
            NodeList faults = doc.getElementsByTagNameNS(SOAP, "Fault");
            if (faults.getLength() > 0) {
                Element fault = (Element) faults.item(0);
                String code = text(fault, "faultcode");
                int value = -1;
                int underscore = code.lastIndexOf('_');
                if (underscore >= 0) {
                    try {
                        value = Integer.parseInt(code.substring(underscore + 1).trim());
                    } catch (NumberFormatException ignored) {
                        value = -1;
                    }
                }
                throw new CompletionException(statusError(value, text(fault, "faultstring") + " "
                        + text(fault, "detail"), what));
            }
            NodeList all = doc.getElementsByTagNameNS(MSS, "*");
            for (int i = 0; i < all.getLength(); i++) {
                Element e = (Element) all.item(i);
                if (e.getLocalName().endsWith("Resp")) {
                    return e;
                }
            }
            throw new CompletionException(malformed(what, "no TS 102 204 response element"));
        });
    }

    private KysoException statusError(int code, String message, String what) {
        String sim = "the SIM of " + settings.userId();
        String said = code + " " + (message == null ? "" : message.trim());
        return switch (code) {
            case 401 -> new UserRejectedException(RemoteSimProvider.ID, "the person cancelled the signing on " + sim
                    + "; nothing was signed");
            case 402, 403 -> new PinLockedException(RemoteSimProvider.ID, "the signing PIN of " + sim
                    + " is blocked (" + said + "): the person must have it unblocked before signing");
            case 208 -> new SigningTimeoutException(RemoteSimProvider.ID, "the MSSP expired the transaction before "
                    + sim + " was confirmed: ask the person to check the phone and try again");
            case 209 -> new ServiceUnavailableException(RemoteSimProvider.ID, sim
                    + " cannot be reached over the air (phone off or out of coverage): ask the person to switch it on and retry");
            case 104 -> new PinIncorrectException(RemoteSimProvider.ID, "the MSSP refused AP_ID '" + settings.serviceId()
                    + "' and its AP_PWD: check the 'ap_id' setting and the password", -1, null);
            case 105, 404, 422 -> new KeyNotFoundException(RemoteSimProvider.ID, "the MSSP has no signing key for MSISDN "
                    + settings.userId() + " (" + said + "): check the 'msisdn' setting");
            case 501 -> new SigningFailedException(RemoteSimProvider.ID, "the certificate of " + sim
                    + " is revoked (" + said + "); renew it with the CA");
            case 900 -> new ServiceUnavailableException(RemoteSimProvider.ID, "the MSSP failed " + what + " (" + said
                    + "): try again later");
            default -> new SigningFailedException(RemoteSimProvider.ID, "the MSSP refused " + what + " with status "
                    + said);
        };
    }

    private static int statusCode(Element resp) {
        NodeList codes = resp.getElementsByTagNameNS(MSS, "StatusCode");
        if (codes.getLength() == 0) {
            throw new CompletionException(malformed("the MSSP's answer", "no Status/StatusCode"));
        }
        try {
            return Integer.parseInt(((Element) codes.item(0)).getAttribute("Value").trim());
        } catch (NumberFormatException e) {
            throw new CompletionException(malformed("the MSSP's answer", "StatusCode/@Value is not a number"));
        }
    }

    private static String statusMessage(Element resp) {
        NodeList m = resp.getElementsByTagNameNS(MSS, "StatusMessage");
        NodeList d = resp.getElementsByTagNameNS(MSS, "StatusDetail");
        return (m.getLength() > 0 ? m.item(0).getTextContent() : "")
                + (d.getLength() > 0 ? " (" + d.item(0).getTextContent() + ")" : "");
    }

    private static String text(Element parent, String localName) {
        NodeList n = parent.getElementsByTagName(localName);
        if (n.getLength() == 0) {
            n = parent.getElementsByTagNameNS("*", localName);
        }
        return n.getLength() == 0 ? "" : n.item(0).getTextContent().trim();
    }

    private static Document parse(String xml) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            DocumentBuilder builder = f.newDocumentBuilder();
            builder.setErrorHandler(null);
            return builder.parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        } catch (ParserConfigurationException | SAXException | IOException e) {
            throw new IllegalArgumentException("not well-formed XML: " + e.getMessage());
        }
    }

    private static SigningFailedException malformed(String what, String why) {
        return new SigningFailedException(RemoteSimProvider.ID, "the MSSP answered " + what + " with a malformed message ("
                + why + "); nothing was signed");
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** The chain from the 'certificate' setting: comma-separated base64 DER inline, or a PEM/DER file. */
    static List<X509Certificate> chain(String setting) {
        List<byte[]> parts = new ArrayList<>();
        String value = setting.trim();
        try {
            if (value.startsWith("MII")) {
                for (String part : value.split(",")) {
                    parts.add(Base64.getMimeDecoder().decode(part.trim()));
                }
            } else {
                parts.add(Files.readAllBytes(Path.of(value)));
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("remote-sim setting 'certificate' is neither base64 DER nor a readable file: "
                    + value, e);
        }
        try {
            List<X509Certificate> out = new ArrayList<>();
            for (byte[] bytes : parts) {
                Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509")
                        .generateCertificates(new ByteArrayInputStream(bytes));
                for (Certificate c : certs) {
                    out.add((X509Certificate) c);
                }
            }
            if (out.isEmpty()) {
                throw new CertificateException("no certificate");
            }
            return out;
        } catch (CertificateException | ClassCastException e) {
            throw new IllegalArgumentException("remote-sim setting 'certificate' holds no X.509 certificate", e);
        }
    }
}
