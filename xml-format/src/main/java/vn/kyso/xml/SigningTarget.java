package vn.kyso.xml;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import vn.kyso.DocumentMalformedException;
import vn.kyso.xml.XmlOptions.Profile;

/**
 * What a profile signs in one document and where the signature goes: the criteria the signing
 * pass applies, then the choice among what it found, with every refusal that keeps a signature
 * unambiguous and earlier signatures intact (duplicate Ids, a taken slot, a slot inside what
 * another signature covers, ambiguous xml:* inheritance).
 */
final class SigningTarget {
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9_.:\\-]{1,200}");

    /** A reference to part of the document: its URI, whether it has the enveloped-signature transform, its digest. */
    record DocumentReference(String uri, boolean enveloped, byte[] digest) {
    }

    final List<DocumentReference> references;
    final SigningScan.Slot slot;
    /** The local name of the signed container (HDon, TBao, HSoThueDTu, the root), for usage reports. */
    final String documentType;

    private SigningTarget(List<DocumentReference> references, SigningScan.Slot slot, String documentType) {
        this.references = List.copyOf(references);
        this.slot = slot;
        this.documentType = documentType;
    }

    /** The slot element's local name a profile signs in (NBan, NMua, CQT, CKyDTu), or null for GENERIC. */
    static String slotName(Profile profile) {
        return switch (profile) {
            case INVOICE_SELLER -> "NBan";
            case INVOICE_BUYER -> "NMua";
            case INVOICE_TAX_AUTHORITY -> "CQT";
            case TAX_DECLARATION -> "CKyDTu";
            case GENERIC -> null;
        };
    }

    static SigningScan.Criteria criteria(XmlOptions o) {
        Profile p = o.profile();
        switch (p) {
            case INVOICE_SELLER, INVOICE_BUYER, INVOICE_TAX_AUTHORITY -> {
                String slot = slotName(p);
                boolean cqt = p == Profile.INVOICE_TAX_AUTHORITY;
                return new SigningScan.Criteria() {
                    @Override
                    public String capture(SigningScan.Frames f) {
                        if (f.id() == null) {
                            return null;
                        }
                        if (f.current().startsWith("DL") && f.depth() >= 2) {
                            return "data";
                        }
                        return cqt && f.current().equals("MCCQT") ? "code" : null;
                    }

                    @Override
                    public boolean slot(SigningScan.Frames f) {
                        String c = f.current();
                        return f.parent().equals("DSCKS") && f.depth() >= 3
                                && (c.equals(slot) || p == Profile.INVOICE_SELLER && c.equals("NNT"));
                    }
                };
            }
            case TAX_DECLARATION -> {
                return new SigningScan.Criteria() {
                    @Override
                    public String capture(SigningScan.Frames f) {
                        return f.depth() == 2 && f.current().equals("HSoKhaiThue") ? "data" : null;
                    }

                    @Override
                    public boolean slot(SigningScan.Frames f) {
                        return f.depth() == 2 && f.current().equals("CKyDTu");
                    }
                };
            }
            default -> {
                String signed = o.signedElementId().orElse(null);
                String parentId = o.signatureParentId().orElse(null);
                String[] path = o.signatureParentPath().map(s -> s.substring(1).split("/")).orElse(null);
                boolean whole = o.wholeDocument();
                return new SigningScan.Criteria() {
                    @Override
                    public String capture(SigningScan.Frames f) {
                        return signed != null && signed.equals(f.id()) ? "signed" : null;
                    }

                    @Override
                    public boolean slot(SigningScan.Frames f) {
                        if (parentId != null) {
                            return parentId.equals(f.id());
                        }
                        if (f.depth() != path.length) {
                            return false;
                        }
                        for (int d = 1; d <= path.length; d++) {
                            if (!path[d - 1].equals(f.local(d))) {
                                return false;
                            }
                        }
                        return true;
                    }

                    @Override
                    public boolean wholeDocument() {
                        return whole;
                    }
                };
            }
        }
    }

    /**
     * Chooses the signed elements and the slot among what the pass found.
     *
     * @param newIds the Id values the new signature will carry, which must not occur in the document
     */
    static SigningTarget resolve(XmlOptions o, SigningScan scan, String name, List<String> newIds)
            throws DocumentMalformedException {
        SigningTarget t = switch (o.profile()) {
            case INVOICE_SELLER, INVOICE_BUYER, INVOICE_TAX_AUTHORITY -> invoice(o.profile(), scan, name);
            case TAX_DECLARATION -> taxDeclaration(scan, name);
            case GENERIC -> generic(o, scan, name);
        };
        for (String id : newIds) {
            if (scan.ids.contains(id)) {
                throw refused(name, "already has an element with Id '" + id + "', the Id the new signature would carry:"
                        + " choose another signatureId");
            }
        }
        for (DocumentReference r : t.references) {
            String id = r.uri().isEmpty() ? null : r.uri().substring(1);
            if (id != null && scan.duplicateIds.contains(id)) {
                throw refused(name, "has the Id value '" + id + "' on more than one element; a reference to it would be"
                        + " ambiguous (the trick signature-wrapping attacks use): make every Id in the file unique");
            }
        }
        checkSlot(o, scan, t, name);
        return t;
    }

    private static SigningTarget invoice(Profile p, SigningScan scan, String name) throws DocumentMalformedException {
        String slotName = slotName(p);
        List<SigningScan.Capture> data = new ArrayList<>();
        List<SigningScan.Slot> slots = new ArrayList<>();
        for (SigningScan.Capture c : scan.captures) {
            if (!c.role.equals("data") || c.insideSignature) {
                continue;
            }
            SigningScan.Slot s = slotFor(scan, c.parentOrdinal, slotName);
            if (s == null && p == Profile.INVOICE_SELLER) {
                s = slotFor(scan, c.parentOrdinal, "NNT");
            }
            if (s != null) {
                data.add(c);
                slots.add(s);
            }
        }
        if (data.isEmpty()) {
            boolean anyData = scan.captures.stream().anyMatch(c -> c.role.equals("data") && !c.insideSignature);
            String hint = scan.rootLocalName.equals("HSoThueDTu")
                    ? " This is a tax declaration: use XmlOptions.of(Profile.TAX_DECLARATION)."
                    : " For other XML use Profile.GENERIC and name the element and the signature's place.";
            throw refused(name, anyData
                    ? "has its data element (DLHDon, DLTBao, ...) but no DSCKS/" + slotName + " element next to it to hold"
                    + " the signature: add an empty <" + slotName + "></" + slotName + "> under DSCKS"
                    : "has no invoice, notice or minutes data element (DLHDon, DLTBao, ... with an Id attribute) next to a"
                    + " DSCKS/" + slotName + " slot." + hint);
        }
        if (data.size() > 1) {
            throw refused(name, "holds " + data.size() + " signable documents (" + data.get(0).localName + " Id="
                    + data.get(0).id + ", " + data.get(1).localName + " Id=" + data.get(1).id + ", ...); sign each"
                    + " separately or use Profile.GENERIC with the Id of the one to sign");
        }
        SigningScan.Capture signed = data.get(0);
        List<DocumentReference> refs = new ArrayList<>();
        boolean cqt = p == Profile.INVOICE_TAX_AUTHORITY;
        refs.add(reference(signed, signed.id, !cqt, name));
        String container = signed.parentLocalName;
        if (cqt) {
            List<SigningScan.Capture> codes = scan.captures.stream()
                    .filter(c -> c.role.equals("code") && c.parentOrdinal == signed.parentOrdinal && !c.insideSignature)
                    .toList();
            if (codes.size() > 1) {
                throw refused(name, "has " + codes.size() + " MCCQT elements in one " + container + "; keep one");
            }
            if (codes.isEmpty() && container.equals("HDon")) {
                throw refused(name, "has no MCCQT element with an Id in " + container + "; the tax authority's signature"
                        + " covers the code it assigns: add <MCCQT Id=\"...\">code</MCCQT> before signing");
            }
            for (SigningScan.Capture c : codes) {
                refs.add(reference(c, c.id, false, name));
            }
        }
        return new SigningTarget(refs, slots.get(0), container);
    }

    private static SigningScan.Slot slotFor(SigningScan scan, int containerOrdinal, String slotName) {
        for (SigningScan.Slot s : scan.slots) {
            if (s.grandparentOrdinal == containerOrdinal && s.localName.equals(slotName)) {
                return s;
            }
        }
        return null;
    }

    private static SigningTarget taxDeclaration(SigningScan scan, String name) throws DocumentMalformedException {
        if (!scan.rootLocalName.equals("HSoThueDTu")) {
            throw refused(name, "is not a tax declaration: its root element is " + scan.rootLocalName
                    + ", not HSoThueDTu; choose the profile that fits the document");
        }
        List<SigningScan.Capture> data = scan.captures.stream().filter(c -> c.role.equals("data")).toList();
        if (data.size() != 1) {
            throw refused(name, data.isEmpty() ? "has no HSoKhaiThue element under HSoThueDTu: nothing to sign"
                    : "has " + data.size() + " HSoKhaiThue elements under HSoThueDTu; a declaration carries one");
        }
        SigningScan.Capture signed = data.get(0);
        if (signed.lowercaseId == null) {
            throw refused(name, "has HSoKhaiThue without an id attribute; eTax signs HSoKhaiThue id=\"_NODE_TO_SIGN\":"
                    + " export the declaration again from HTKK or add the attribute");
        }
        if (scan.slots.size() != 1) {
            throw refused(name, scan.slots.isEmpty()
                    ? "has no CKyDTu element under HSoThueDTu to hold the signature: add <CKyDTu></CKyDTu> after HSoKhaiThue"
                    : "has " + scan.slots.size() + " CKyDTu elements under HSoThueDTu; keep one");
        }
        return new SigningTarget(List.of(reference(signed, signed.lowercaseId, true, name)), scan.slots.get(0),
                "HSoThueDTu");
    }

    private static SigningTarget generic(XmlOptions o, SigningScan scan, String name) throws DocumentMalformedException {
        List<SigningScan.Capture> signed = scan.captures;
        DocumentReference ref;
        if (o.wholeDocument()) {
            ref = new DocumentReference("", true, signed.get(0).digest);
        } else {
            String id = o.signedElementId().orElseThrow();
            if (signed.isEmpty()) {
                throw refused(name, "has no element with Id (or id) '" + id + "': check the Id of the element to sign");
            }
            if (signed.size() > 1 || scan.duplicateIds.contains(id)) {
                throw refused(name, "has the Id value '" + id + "' on more than one element; a reference to it would be"
                        + " ambiguous (the trick signature-wrapping attacks use): make every Id in the file unique");
            }
            if (signed.get(0).insideSignature) {
                throw refused(name, "has the element with Id '" + id + "' inside another signature; sign document"
                        + " content, not a signature's parts");
            }
            ref = reference(signed.get(0), id, true, name);
        }
        String where = o.signatureParentPath().orElseGet(() -> "#" + o.signatureParentId().orElseThrow());
        if (scan.slots.isEmpty()) {
            throw refused(name, "has no element " + where + " outside a signature to hold the signature: check the path or"
                    + " Id, or add the element");
        }
        if (scan.slots.size() > 1) {
            throw refused(name, "has " + scan.slots.size() + " elements at " + where + "; the place of the signature"
                    + " must be unique: use signatureParentId(...) with a unique Id instead");
        }
        return new SigningTarget(List.of(ref), scan.slots.get(0), scan.rootLocalName);
    }

    private static DocumentReference reference(SigningScan.Capture c, String id, boolean enveloped, String name)
            throws DocumentMalformedException {
        if (!SAFE_ID.matcher(id).matches()) {
            throw refused(name, "has " + c.localName + " with the Id value '" + id + "', which cannot be referenced"
                    + " unambiguously (use letters, digits and _ . : - only)");
        }
        if (!c.xmlConflicts.isEmpty()) {
            throw xmlConflict(name, c.localName, c.xmlConflicts);
        }
        return new DocumentReference("#" + id, enveloped, c.digest);
    }

    private static void checkSlot(XmlOptions o, SigningScan scan, SigningTarget t, String name)
            throws DocumentMalformedException {
        SigningScan.Slot s = t.slot;
        if (s.holdsSignature && o.profile() != Profile.GENERIC) {
            throw refused(name, "already has a signature in " + s.localName + "; this profile puts one signature"
                    + " there: sign the unsigned original, or choose the profile of the next signer"
                    + " (INVOICE_BUYER, INVOICE_TAX_AUTHORITY)");
        }
        if (!s.xmlConflicts.isEmpty()) {
            throw xmlConflict(name, s.localName, s.xmlConflicts);
        }
        if (scan.existingReferences.contains("")) {
            throw refused(name, "already carries a signature over the whole document (URI=\"\"); any signature added"
                    + " now would break it. Add signatures in the order the receiving system expects");
        }
        for (String id : s.ancestorIds) {
            if (scan.existingReferences.contains("#" + id)) {
                throw refused(name, "has a signature covering the element with Id '" + id + "', which contains "
                        + s.localName + "; a signature placed there would break it: choose another place");
            }
        }
        for (DocumentReference r : t.references) {
            if (!r.enveloped()) {
                for (SigningScan.Capture c : scan.captures) {
                    if (r.uri().equals("#" + c.id) && Arrays.stream(s.ancestorOrdinals).anyMatch(a -> a == c.ordinal)) {
                        throw refused(name, "has " + s.localName + " inside " + c.localName + ", which this signature"
                                + " covers without the enveloped-signature transform: the signature would break itself");
                    }
                }
            }
        }
    }

    private static DocumentMalformedException xmlConflict(String name, String element, List<String> attributes) {
        return refused(name, "sets xml:" + attributes.get(0) + " differently on several ancestors of " + element
                + "; verifiers disagree on which value a signed part inherits, so the signature would not verify"
                + " everywhere: set xml:" + attributes.get(0) + " once, or on " + element + " itself");
    }

    static DocumentMalformedException refused(String name, String why) {
        return new DocumentMalformedException(XadesFormat.ID, name + " " + why);
    }
}
