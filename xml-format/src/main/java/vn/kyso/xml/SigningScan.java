package vn.kyso.xml;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;
import javax.xml.XMLConstants;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import vn.kyso.DigestAlgorithm;
import vn.kyso.Document;
import vn.kyso.DocumentMalformedException;

/**
 * The one pass over the input that signing needs, with StAX and no DOM: it finds the elements a
 * profile signs and canonicalizes each straight into a digest, finds the candidate places for
 * the signature and remembers their namespace scope, and collects what the safety checks need
 * (Id values seen twice, the references of signatures already present). What to look for comes
 * from a {@link Criteria}; choosing among the candidates is {@link SigningTarget}'s job.
 *
 * <p>Secure: no DTD (a DOCTYPE is refused), no external entities, depth bounded; UTF-8 only.
 */
final class SigningScan {
    static final String DSIG = "http://www.w3.org/2000/09/xmldsig#";

    /** What the profile looks for, decided element by element. */
    interface Criteria {
        /** The role under which to digest this element ("data", "code", "signed"), or null. */
        String capture(Frames f);

        /** Whether this element may receive the signature. */
        boolean slot(Frames f);

        /** Whether the whole document is digested (URI=""). */
        default boolean wholeDocument() {
            return false;
        }
    }

    /** The open elements, root first, as the criteria see them. */
    static final class Frames {
        private String[] local = new String[32];
        private String[] id = new String[32];
        private String[] lowercaseId = new String[32];
        private int[] ordinal = new int[32];
        private Scope[] scope = new Scope[32];
        private int depth;

        int depth() {
            return depth;
        }

        /** Local name at level {@code d} (1 = root). */
        String local(int d) {
            return local[d - 1];
        }

        String current() {
            return local[depth - 1];
        }

        /** Local name of the parent, or "" at the root. */
        String parent() {
            return depth >= 2 ? local[depth - 2] : "";
        }

        /** The element's Id, id or ID value, or null. */
        String id() {
            return id[depth - 1];
        }

        String idAt(int d) {
            return id[d - 1];
        }

        /** The element's lowercase {@code id} attribute, or null. */
        String lowercaseId() {
            return lowercaseId[depth - 1];
        }

        int ordinalAt(int d) {
            return d >= 1 ? ordinal[d - 1] : 0;
        }

        Scope scope() {
            return depth == 0 ? Scope.DOCUMENT : scope[depth - 1];
        }

        private void push(String l, String i, String li, int o, Scope s) {
            if (depth == local.length) {
                int n = depth * 2;
                local = java.util.Arrays.copyOf(local, n);
                id = java.util.Arrays.copyOf(id, n);
                lowercaseId = java.util.Arrays.copyOf(lowercaseId, n);
                ordinal = java.util.Arrays.copyOf(ordinal, n);
                scope = java.util.Arrays.copyOf(scope, n);
            }
            local[depth] = l;
            id[depth] = i;
            lowercaseId[depth] = li;
            ordinal[depth] = o;
            scope[depth] = s;
            depth++;
        }

        private void pop() {
            depth--;
            scope[depth] = null;
        }
    }

    /** An element digested during the pass. */
    static final class Capture {
        final String role;
        final String localName;
        final String parentLocalName;
        final String id;
        final String lowercaseId;
        final int ordinal;
        final int parentOrdinal;
        final List<String> xmlConflicts;
        final boolean insideSignature;
        private final MessageDigest md;
        final C14nStream c14n;
        byte[] digest;

        Capture(String role, String localName, String parentLocalName, String id, String lowercaseId, int ordinal,
                int parentOrdinal, List<String> xmlConflicts, boolean insideSignature, MessageDigest md, boolean comments,
                boolean document) {
            this.role = role;
            this.localName = localName;
            this.parentLocalName = parentLocalName;
            this.id = id;
            this.lowercaseId = lowercaseId;
            this.ordinal = ordinal;
            this.parentOrdinal = parentOrdinal;
            this.xmlConflicts = xmlConflicts;
            this.insideSignature = insideSignature;
            this.md = md;
            this.c14n = new C14nStream(new Utf8Sink(md::update), comments, document);
        }

        private void finish() {
            digest = md.digest();
        }
    }

    /** A place the signature may go. */
    static final class Slot {
        final String qname;
        final String localName;
        final int ordinal;
        /** Nesting level of the slot element, 1 for the root. */
        final int depth;
        final int parentOrdinal;
        final int grandparentOrdinal;
        final Scope scope;
        final List<String> xmlConflicts;
        final List<String> ancestorIds;
        final int[] ancestorOrdinals;
        boolean holdsSignature;

        Slot(String qname, String localName, Frames f, List<String> xmlConflicts) {
            this.qname = qname;
            this.localName = localName;
            this.ordinal = f.ordinalAt(f.depth());
            this.depth = f.depth();
            this.parentOrdinal = f.ordinalAt(f.depth() - 1);
            this.grandparentOrdinal = f.ordinalAt(f.depth() - 2);
            this.scope = f.scope();
            this.xmlConflicts = xmlConflicts;
            List<String> ids = new ArrayList<>();
            this.ancestorOrdinals = new int[f.depth()];
            for (int d = 1; d <= f.depth(); d++) {
                ancestorOrdinals[d - 1] = f.ordinalAt(d);
                if (f.idAt(d) != null) {
                    ids.add(f.idAt(d));
                }
            }
            this.ancestorIds = ids;
        }
    }

    final List<Capture> captures = new ArrayList<>();
    final List<Slot> slots = new ArrayList<>();
    final Set<String> ids = new HashSet<>();
    final Set<String> duplicateIds = new HashSet<>();
    /** Reference URIs of the signatures already in the document, normalized ("" = whole document). */
    final Set<String> existingReferences = new HashSet<>();
    String rootLocalName = "";
    int existingSignatures;
    /** CRC-32C of every byte of the input, so completion can tell the file it copies is the one scanned. */
    long checksum;

    private final String name;
    private final Criteria criteria;
    private final DigestAlgorithm digest;
    private final boolean comments;
    private final Frames frames = new Frames();
    private final List<Capture> active = new ArrayList<>();
    private final List<String> prefixes = new ArrayList<>();
    private final List<String> uris = new ArrayList<>();
    private final List<String> xmlNames = new ArrayList<>();
    private final List<String> xmlValues = new ArrayList<>();
    private Capture document;
    private int ordinal;
    private int signatureDepth;
    private Slot openSlot;
    private int openSlotDepth = -1;

    private SigningScan(String name, Criteria criteria, DigestAlgorithm digest, boolean comments) {
        this.name = name;
        this.criteria = criteria;
        this.digest = digest;
        this.comments = comments;
    }

    static SigningScan run(Document document, Criteria criteria, DigestAlgorithm digest, boolean comments)
            throws DocumentMalformedException, IOException {
        SigningScan scan = new SigningScan(document.name(), criteria, digest, comments);
        try (CheckedInputStream in = new CheckedInputStream(document.open(), new CRC32C())) {
            // the JDK's reader closes its stream when closed; what it left unread must still be counted
            scan.walk(new FilterInputStream(in) {
                @Override
                public void close() {
                }
            });
            in.transferTo(OutputStream.nullOutputStream());
            scan.checksum = in.getChecksum().getValue();
        }
        return scan;
    }

    private void walk(InputStream in) throws DocumentMalformedException {
        XMLStreamReader r;
        try {
            r = factory().createXMLStreamReader(in);
        } catch (XMLStreamException e) {
            throw malformed(e);
        }
        try {
            checkEncoding(r);
            if (criteria.wholeDocument()) {
                document = new Capture("signed", "", "", null, null, 0, 0, List.of(), false, md(digest), comments, true);
                captures.add(document);
                active.add(document);
            }
            while (r.hasNext()) {
                switch (r.next()) {
                    case XMLStreamConstants.START_ELEMENT -> start(r);
                    case XMLStreamConstants.END_ELEMENT -> end(r);
                    case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> text(r);
                    case XMLStreamConstants.COMMENT -> comment(r);
                    case XMLStreamConstants.PROCESSING_INSTRUCTION -> processingInstruction(r);
                    case XMLStreamConstants.DTD -> throw new DocumentMalformedException(XadesFormat.ID, name
                            + " carries a DOCTYPE; kyso refuses DTDs in XML it signs (they allow entity-expansion and"
                            + " external-entity attacks): remove the DOCTYPE or ask the producer for plain XML");
                    case XMLStreamConstants.ENTITY_REFERENCE -> throw new DocumentMalformedException(XadesFormat.ID,
                            name + " uses the undeclared entity &" + r.getLocalName() + "; : only &lt; &gt; &amp; &quot;"
                            + " &apos; and character references are allowed");
                    case XMLStreamConstants.END_DOCUMENT -> {
                        if (document != null) {
                            document.c14n.endDocument();
                            document.finish();
                        }
                    }
                    default -> {
                        // ATTRIBUTE, NAMESPACE, ... are not reported as events by a stream reader
                    }
                }
            }
        } catch (XMLStreamException e) {
            throw malformed(e);
        } catch (Utf8Sink.UnpairedSurrogateException e) {
            // the JDK parser refuses such input itself; this keeps any parser that lets one through from
            // making a digest over bytes that are not UTF-8
            throw new DocumentMalformedException(XadesFormat.ID, name + " cannot be signed: " + e.getMessage()
                    + "; check the file's encoding", e);
        } finally {
            try {
                r.close();
            } catch (XMLStreamException ignored) {
                // closing a reader does not close the stream; nothing to release
            }
        }
    }

    private void start(XMLStreamReader r) throws DocumentMalformedException {
        Frames f = frames;
        ordinal++;
        if (f.depth() >= XmlLimits.MAX_DEPTH) {
            throw new DocumentMalformedException(XadesFormat.ID, name + " nests elements deeper than "
                    + XmlLimits.MAX_DEPTH + " levels, more than any verifier is expected to accept (kyso's refuses"
                    + " it); refused before signing: check the file");
        }
        String local = r.getLocalName();
        if (ordinal == 1) {
            rootLocalName = local;
        }
        Scope parentScope = f.scope();
        Scope scope = scopeOf(r, parentScope);
        String id = null;
        String lowercaseId = null;
        for (int i = 0, n = r.getAttributeCount(); i < n; i++) {
            String ns = r.getAttributeNamespace(i);
            if (ns != null && !ns.isEmpty()) {
                continue;
            }
            String a = r.getAttributeLocalName(i);
            if (a.equals("Id") || a.equals("id") || a.equals("ID")) {
                String v = r.getAttributeValue(i);
                if (!ids.add(v)) {
                    duplicateIds.add(v);
                }
                if (a.equals("id")) {
                    lowercaseId = v;
                }
                if (id == null || a.equals("Id")) {
                    id = v;
                }
            }
        }
        boolean dsig = DSIG.equals(r.getNamespaceURI());
        if (dsig) {
            signatureElement(r, local);
        }
        f.push(local, id, lowercaseId, ordinal, scope);
        if (dsig && local.equals("Signature")) {
            signatureDepth++;
            existingSignatures++;
        }
        for (int i = 0, n = active.size(); i < n; i++) {
            active.get(i).c14n.startElement(r, scope, parentScope);
        }
        String role = criteria.capture(f);
        if (role != null) {
            Capture c = new Capture(role, local, f.parent(), id, lowercaseId, ordinal, f.ordinalAt(f.depth() - 1),
                    conflicts(parentScope, r), signatureDepth > 0, md(digest), comments, false);
            c.c14n.startElement(r, scope, parentScope);
            captures.add(c);
            active.add(c);
        }
        if (signatureDepth == 0 && criteria.slot(f)) {
            Slot s = new Slot(C14nStream.qname(r.getPrefix(), local), local, f, conflicts(scope, null));
            slots.add(s);
            openSlot = s;
            openSlotDepth = f.depth();
        }
    }

    /** A dsig element before it is pushed: a Signature in the open slot, a Reference of a present signature. */
    private void signatureElement(XMLStreamReader r, String local) {
        if (openSlot != null && frames.depth() == openSlotDepth && local.equals("Signature")) {
            openSlot.holdsSignature = true;
        }
        if (local.equals("Reference") && signatureDepth > 0 && "SignedInfo".equals(frames.current())) {
            String uri = r.getAttributeValue(null, "URI");
            if (uri != null) {
                existingReferences.add(normalize(uri));
            }
        }
    }

    private void end(XMLStreamReader r) {
        for (int i = active.size() - 1; i >= 0; i--) {
            Capture c = active.get(i);
            if (c.c14n.endElement(r) && c.c14n.finished()) {
                c.finish();
                active.remove(i);
            }
        }
        if (signatureDepth > 0 && DSIG.equals(r.getNamespaceURI()) && r.getLocalName().equals("Signature")) {
            signatureDepth--;
        }
        if (frames.depth() == openSlotDepth) {
            openSlot = null;
            openSlotDepth = -1;
        }
        frames.pop();
    }

    private void text(XMLStreamReader r) {
        for (int i = 0, n = active.size(); i < n; i++) {
            active.get(i).c14n.characters(r);
        }
    }

    private void comment(XMLStreamReader r) {
        for (int i = 0, n = active.size(); i < n; i++) {
            active.get(i).c14n.comment(r);
        }
    }

    private void processingInstruction(XMLStreamReader r) {
        for (int i = 0, n = active.size(); i < n; i++) {
            active.get(i).c14n.processingInstruction(r);
        }
    }

    private void checkEncoding(XMLStreamReader r) throws DocumentMalformedException {
        String declared = r.getCharacterEncodingScheme();
        String actual = r.getEncoding();
        for (String e : new String[] {declared, actual}) {
            if (e != null && !e.equalsIgnoreCase("UTF-8") && !e.equalsIgnoreCase("UTF8")) {
                throw new DocumentMalformedException(XadesFormat.ID, name + " is encoded in " + e
                        + "; kyso signs UTF-8 XML, which the e-invoice, tax and Treasury systems exchange:"
                        + " convert the file to UTF-8 (and its declaration to encoding=\"UTF-8\") first");
            }
        }
    }

    private Scope scopeOf(XMLStreamReader r, Scope parent) {
        int ns = r.getNamespaceCount();
        int xml = 0;
        for (int i = 0, n = r.getAttributeCount(); i < n; i++) {
            if (XMLConstants.XML_NS_URI.equals(r.getAttributeNamespace(i))) {
                xml++;
            }
        }
        if (ns == 0 && xml == 0) {
            return parent;
        }
        prefixes.clear();
        uris.clear();
        xmlNames.clear();
        xmlValues.clear();
        for (int i = 0; i < ns; i++) {
            String p = r.getNamespacePrefix(i);
            String u = r.getNamespaceURI(i);
            prefixes.add(p == null ? "" : p);
            uris.add(u == null ? "" : u);
        }
        for (int i = 0, n = r.getAttributeCount(); i < n; i++) {
            if (XMLConstants.XML_NS_URI.equals(r.getAttributeNamespace(i))) {
                xmlNames.add(r.getAttributeLocalName(i));
                xmlValues.add(r.getAttributeValue(i));
            }
        }
        return Scope.declare(parent, prefixes, uris, xmlNames, xmlValues);
    }

    /** xml:* attributes an apex would inherit ambiguously: set differently at several ancestor levels, not on the apex. */
    private static List<String> conflicts(Scope ancestors, XMLStreamReader apex) {
        List<String> c = new ArrayList<>(ancestors.conflictingXmlAttributes());
        if (apex != null) {
            c.removeIf(local -> apex.getAttributeValue(XMLConstants.XML_NS_URI, local) != null);
        }
        return c;
    }

    private static String normalize(String uri) {
        if (uri.isEmpty() || uri.equals("#xpointer(/)")) {
            return "";
        }
        if (uri.startsWith("#xpointer(id(") && uri.endsWith("))") && uri.length() > 17) {
            return "#" + uri.substring(14, uri.length() - 3);
        }
        return uri;
    }

    private DocumentMalformedException malformed(XMLStreamException e) {
        String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNumber() + ", column "
                + e.getLocation().getColumnNumber();
        String why = e.getMessage() == null ? "" : e.getMessage().replaceFirst("(?s)^ParseError at \\[row,col\\]:\\[\\d+,\\d+\\]\\s*Message:\\s*", "");
        return new DocumentMalformedException(XadesFormat.ID, name + " is not well-formed XML" + where + " (" + why
                + "); check that this is the XML file to sign and that it was not truncated", e);
    }

    private static MessageDigest md(DigestAlgorithm digest) {
        try {
            return MessageDigest.getInstance(digest.jcaName());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(digest.jcaName() + " is missing from this JVM", e);
        }
    }

    /** The JDK's own StAX parser (not whichever one the class path brings), with DTDs and external entities off. */
    private static XMLInputFactory factory() {
        XMLInputFactory f = XMLInputFactory.newDefaultFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        f.setProperty(XMLInputFactory.IS_COALESCING, false);
        f.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, true);
        f.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        f.setXMLResolver((publicId, systemId, base, ns) -> {
            throw new XMLStreamException("external resource " + systemId + " refused");
        });
        return f;
    }
}
