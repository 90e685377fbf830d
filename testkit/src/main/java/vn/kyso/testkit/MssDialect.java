package vn.kyso.testkit;

import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.cert.CertificateEncodingException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;
import vn.kyso.testkit.RemoteSigningSimulator.Reply;

/**
 * The ETSI TS 102 204 mobile-signature dialect over SOAP 1.1 (the Government Cipher Committee's
 * PKI SIM): {@code MSS_Signature} in asynchronous client-server mode answered with 100 REQUEST_OK
 * and an MSSP_TransID, then {@code MSS_StatusQuery} answered 504 OUTSTANDING_TRANSACTION until
 * 500 SIGNATURE or a final status; {@code MSS_ProfileQuery} tells whether the MSISDN is served.
 */
final class MssDialect implements RemoteSigningSimulator.Dialect {
    static final String MSS = "http://uri.etsi.org/TS102204/v1.1.2#";
    static final String SOAP = "http://schemas.xmlsoap.org/soap/envelope/";
    static final String PROFILE = "http://mobile-id.vn/digitalSignature";
    static final String PKCS1 = "http://uri.etsi.org/TS102204/v1.1.2#PKCS1";
    static final int MAX_DISPLAY = 160;
    static final String MSSP_ID = "http://mssp.kyso.test";

    private final RemoteSigningSimulator sim;
    private final Map<String, SimTransaction> byMsspId = new ConcurrentHashMap<>();
    private final AtomicLong nextId = new AtomicLong(ThreadLocalRandom.current().nextLong(1_000_000, 9_000_000));

    MssDialect(RemoteSigningSimulator sim) {
        this.sim = sim;
    }

    /** Thrown inside the handler for a request the MSSP refuses with a TS 102 204 status code. */
    private static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int code;

        Refused(int code, String message) {
            super(message);
            this.code = code;
        }
    }

    @Override
    public Reply handle(HttpExchange exchange, String path, byte[] body) {
        if (!"POST".equals(exchange.getRequestMethod())) {
            return fault(101, "WRONG_PARAM", "SOAP requests are POSTs", Duration.ZERO);
        }
        if (exchange instanceof com.sun.net.httpserver.HttpsExchange https) {
            java.security.cert.Certificate[] peer;
            try {
                peer = https.getSSLSession().getPeerCertificates();
            } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
                peer = null;
            }
            if (!sim.isApClient(peer)) {
                return fault(104, "UNAUTHORIZED_ACCESS", "the AP's TLS client certificate is missing or unknown",
                        Duration.ZERO);
            }
        }
        try {
            Element request = request(body);
            return switch (request.getLocalName()) {
                case "MSS_SignatureReq" -> signature(request);
                case "MSS_StatusReq" -> status(request);
                case "MSS_ProfileReq" -> profile(request);
                default -> throw new Refused(101, "unknown request " + request.getLocalName());
            };
        } catch (Refused e) {
            return fault(e.code, name(e.code), e.getMessage(), Duration.ZERO);
        }
    }

    private Reply signature(Element req) {
        SimulatedUser user = authenticate(req);
        PhoneBehaviour b = user.behaviour();
        String mode = req.getAttribute("MessagingMode");
        if (!mode.isEmpty() && !mode.equals("asynchClientServer")) {
            throw new Refused(101, "the simulator serves MessagingMode asynchClientServer only");
        }
        Element data = child(req, "DataToBeSigned");
        if (data == null || !"base64".equalsIgnoreCase(data.getAttribute("Encoding"))) {
            throw new Refused(102, "DataToBeSigned with Encoding base64 is required");
        }
        byte[] digestInfo;
        try {
            digestInfo = Base64.getMimeDecoder().decode(data.getTextContent().trim());
            SimulatedUser.hashOf(digestInfo);
        } catch (IllegalArgumentException e) {
            throw new Refused(103, "DataToBeSigned must be the base64 DER DigestInfo of a SHA-1/SHA-2 hash");
        }
        Element shown = child(req, "DataToBeDisplayed");
        String text = shown == null ? "" : shown.getTextContent();
        if (text.length() > MAX_DISPLAY) {
            throw new Refused(103, "DataToBeDisplayed has " + text.length() + " characters; the SIM shows at most "
                    + MAX_DISPLAY);
        }
        String format = uri(child(req, "MSS_Format"));
        if (format != null && !format.equals(PKCS1)) {
            throw new Refused(109, "the simulator returns MSS_Format " + PKCS1 + " only");
        }
        String profile = uri(child(req, "SignatureProfile"));
        if (profile != null && !profile.equals(PROFILE)) {
            throw new Refused(109, "unknown SignatureProfile " + profile);
        }
        if (user.identity.revokedAt().isPresent()) {
            throw new Refused(501, "the certificate of this MSISDN is revoked");
        }
        Element ap = child(req, "AP_Info");
        String apTransId = ap.getAttribute("AP_TransID");
        if (apTransId.isEmpty() || apTransId.length() > 64) {
            throw new Refused(102, "AP_Info/@AP_TransID is required (at most 64 characters)");
        }
        user.submits.incrementAndGet();
        Reply injected = injected(user);
        if (injected != null) {
            return injected;
        }
        String key = "mss/" + sim.apId() + "/" + apTransId;
        SimTransaction t = sim.register(key, () -> {
            SimTransaction created = new SimTransaction(Long.toString(nextId.incrementAndGet()), user, text,
                    List.of(apTransId), List.of(digestInfo), true, sim.lifetimeNanos());
            byMsspId.put(created.id, created);
            return created;
        });
        if (t == null) {
            throw new Refused(900, "too many pending transactions");
        }
        if (t.user != user || !java.util.Arrays.equals(t.inputs.get(0), digestInfo)) {
            throw new Refused(101, "AP_TransID " + apTransId + " was already used for other data");
        }
        if (t.firstAccepted()) {
            sim.started(t, false);
        }
        StringBuilder resp = new StringBuilder();
        resp.append("<mss:MSS_SignatureResp MajorVersion=\"1\" MinorVersion=\"1\" MSSP_TransID=\"").append(t.id)
                .append("\">");
        echo(resp, ap, user);
        resp.append("<mss:SignatureProfile><mss:mssURI>").append(PROFILE).append("</mss:mssURI></mss:SignatureProfile>");
        status(resp, 100, "REQUEST_OK", null);
        resp.append("</mss:MSS_SignatureResp>");
        Reply reply = envelope("MSS_SignatureResponse", resp.toString(), b.slowAnswer());
        return user.dropThisSubmit() ? reply.dropped() : reply;
    }

    private Reply status(Element req) {
        authenticateAp(req);
        Element id = child(req, "MSSP_TransID");
        String msspId = id == null ? req.getAttribute("MSSP_TransID") : id.getTextContent().trim();
        SimTransaction t = byMsspId.get(msspId);
        if (t == null) {
            throw new Refused(101, "unknown MSSP_TransID " + msspId);
        }
        PhoneBehaviour b = t.user.behaviour();
        t.user.polls.incrementAndGet();
        Reply injected = injected(t.user);
        if (injected != null) {
            return injected;
        }
        StringBuilder resp = new StringBuilder("<mss:MSS_StatusResp MajorVersion=\"1\" MinorVersion=\"1\">");
        echo(resp, child(req, "AP_Info"), t.user);
        switch (t.state()) {
            case WAITING -> status(resp, 504, "OUTSTANDING_TRANSACTION", null);
            case SIGNED -> {
                resp.append("<mss:MSS_Signature><mss:Base64Signature>")
                        .append(Base64.getEncoder().encodeToString(t.signatures().get(0)))
                        .append("</mss:Base64Signature></mss:MSS_Signature>");
                status(resp, 500, "SIGNATURE", null);
            }
            case REJECTED, CANCELLED -> status(resp, 401, "USER_CANCEL", null);
            case PIN_BLOCKED -> status(resp, 402, "PIN_NR_BLOCKED", null);
            case EXPIRED -> status(resp, 208, "EXPIRED_TRANSACTION", null);
            case UNREACHABLE -> status(resp, 209, "OTA_ERROR", "the SIM could not be reached over the air");
        }
        resp.append("</mss:MSS_StatusResp>");
        return envelope("MSS_StatusQueryResponse", resp.toString(), b.slowAnswer());
    }

    private Reply profile(Element req) {
        SimulatedUser user = authenticate(req);
        Reply injected = injected(user);
        if (injected != null) {
            return injected;
        }
        StringBuilder resp = new StringBuilder("<mss:MSS_ProfileResp MajorVersion=\"1\" MinorVersion=\"1\">");
        echo(resp, child(req, "AP_Info"), user);
        resp.append("<mss:SignatureProfile><mss:mssURI>").append(PROFILE).append("</mss:mssURI></mss:SignatureProfile>");
        status(resp, 100, "REQUEST_OK", null);
        resp.append("</mss:MSS_ProfileResp>");
        return envelope("MSS_ProfileQueryResponse", resp.toString(), user.behaviour().slowAnswer());
    }

    /** An injected HTTP 503 (a proxy in front of the MSSP failing, not a TS 102 204 fault), or null. */
    private static Reply injected(SimulatedUser user) {
        if (user.serverErrorNow()) {
            return new Reply(503, "text/plain; charset=utf-8",
                    "simulated server error".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    user.behaviour().slowAnswer(), false, null);
        }
        return null;
    }

    private void authenticateAp(Element req) {
        Element ap = child(req, "AP_Info");
        if (ap == null) {
            throw new Refused(102, "AP_Info is required");
        }
        if (!sim.apMatches(ap.getAttribute("AP_ID"), ap.getAttribute("AP_PWD"))) {
            throw new Refused(104, "AP_ID or AP_PWD is wrong");
        }
    }

    private SimulatedUser authenticate(Element req) {
        authenticateAp(req);
        Element mobile = child(req, "MobileUser");
        Element msisdn = mobile == null ? null : child(mobile, "MSISDN");
        if (msisdn == null) {
            throw new Refused(102, "MobileUser/MSISDN is required");
        }
        SimulatedUser user = sim.findUser(msisdn.getTextContent().trim());
        if (user == null) {
            throw new Refused(105, "no subscriber with MSISDN " + msisdn.getTextContent().trim());
        }
        return user;
    }

    private static void echo(StringBuilder out, Element ap, SimulatedUser user) {
        out.append("<mss:AP_Info AP_ID=\"").append(escape(ap.getAttribute("AP_ID"))).append("\" AP_TransID=\"")
                .append(escape(ap.getAttribute("AP_TransID"))).append("\" Instant=\"")
                .append(escape(ap.getAttribute("Instant"))).append("\"/>");
        out.append("<mss:MSSP_Info Instant=\"").append(Instant.now()).append("\"><mss:MSSP_ID><mss:URI>").append(MSSP_ID)
                .append("</mss:URI></mss:MSSP_ID></mss:MSSP_Info>");
        if (user != null) {
            out.append("<mss:MobileUser><mss:MSISDN>").append(escape(user.userId)).append("</mss:MSISDN></mss:MobileUser>");
        }
    }

    private static void status(StringBuilder out, int code, String message, String detail) {
        out.append("<mss:Status><mss:StatusCode Value=\"").append(code).append("\"/><mss:StatusMessage>").append(message)
                .append("</mss:StatusMessage>");
        if (detail != null) {
            out.append("<mss:StatusDetail>").append(escape(detail)).append("</mss:StatusDetail>");
        }
        out.append("</mss:Status>");
    }

    private static Reply envelope(String wrapper, String content, Duration hold) {
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><soapenv:Envelope xmlns:soapenv=\"" + SOAP
                + "\" xmlns:mss=\"" + MSS + "\"><soapenv:Body><mss:" + wrapper + ">" + content + "</mss:" + wrapper
                + "></soapenv:Body></soapenv:Envelope>";
        return Reply.xml(200, xml, hold);
    }

    private static Reply fault(int code, String name, String detail, Duration hold) {
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><soapenv:Envelope xmlns:soapenv=\"" + SOAP
                + "\" xmlns:mss=\"" + MSS + "\"><soapenv:Body><soapenv:Fault><faultcode>mss:_" + code + "</faultcode>"
                + "<faultstring>" + name + "</faultstring><detail><mss:detail>" + escape(detail) + "</mss:detail></detail>"
                + "</soapenv:Fault></soapenv:Body></soapenv:Envelope>";
        return Reply.xml(500, xml, hold);
    }

    static String name(int code) {
        return switch (code) {
            case 101 -> "WRONG_PARAM";
            case 102 -> "MISSING_PARAM";
            case 103 -> "WRONG_DATA_LENGTH";
            case 104 -> "UNAUTHORIZED_ACCESS";
            case 105 -> "UNKNOWN_CLIENT";
            case 109 -> "UNSUPPORTED_PROFILE";
            case 501 -> "REVOKED_CERTIFICATE";
            default -> "INTERNAL_ERROR";
        };
    }

    /** The first element in the SOAP Body whose local name ends in "Req", in the TS 102 204 namespace. */
    private static Element request(byte[] body) {
        Document doc;
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            DocumentBuilder builder = f.newDocumentBuilder();
            builder.setErrorHandler(null);
            doc = builder.parse(new ByteArrayInputStream(body));
        } catch (ParserConfigurationException | SAXException | IOException e) {
            throw new Refused(101, "the request is not well-formed XML");
        }
        NodeList bodies = doc.getElementsByTagNameNS(SOAP, "Body");
        if (bodies.getLength() != 1) {
            throw new Refused(101, "a SOAP 1.1 Envelope with one Body is required");
        }
        NodeList all = ((Element) bodies.item(0)).getElementsByTagNameNS(MSS, "*");
        for (int i = 0; i < all.getLength(); i++) {
            Element e = (Element) all.item(i);
            if (e.getLocalName().endsWith("Req")) {
                return e;
            }
        }
        throw new Refused(101, "no TS 102 204 request (MSS_SignatureReq, MSS_StatusReq, MSS_ProfileReq) in the Body");
    }

    private static Element child(Element parent, String localName) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && MSS.equals(e.getNamespaceURI()) && localName.equals(e.getLocalName())) {
                return e;
            }
        }
        return null;
    }

    private static String uri(Element holder) {
        if (holder == null) {
            return null;
        }
        Element u = child(holder, "mssURI");
        return u == null ? holder.getTextContent().trim() : u.getTextContent().trim();
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** The user's chain as comma-separated base64 DER, signing certificate first (what the AP got at registration). */
    static String certificateBase64(SimulatedUser user) {
        StringBuilder out = new StringBuilder();
        try {
            for (java.security.cert.X509Certificate c : user.identity.chain()) {
                if (out.length() > 0) {
                    out.append(',');
                }
                out.append(Base64.getEncoder().encodeToString(c.getEncoded()));
            }
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
        return out.toString();
    }
}
