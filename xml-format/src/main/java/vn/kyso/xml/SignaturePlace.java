package vn.kyso.xml;

import java.util.Set;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Where a signature sits in the shapes of Vietnamese documents, and what the profile of that
 * place signs: a slot of {@code DSCKS} (the seller {@code NBan}, the buyer {@code NMua}, the tax
 * authority {@code CQT}, the taxpayer {@code NNT}) belongs to the document holding that DSCKS
 * ({@code HDon}, {@code TBao}, {@code BBan}, {@code TKhai}) and signs its {@code DL…} data element
 * (and, for CQT, {@code MCCQT}); {@code TDiep/CKSNNT} signs the message; {@code CKyDTu} signs the
 * declaration {@code HSoKhaiThue} beside it. {@code DSCKS/CCKSKhac} and any other place are
 * outside the profile's slots: such a signature is reported as such and owns no data.
 *
 * @param slot the slot's local name, or null when the signature is in no known slot
 * @param container the document element the slot belongs to, or null
 * @param path the path of the signature's parent from the root, e.g. {@code HDon/DSCKS/NBan}
 */
record SignaturePlace(String slot, Element container, String path) {
    static final String OTHER = "CCKSKhac";
    private static final Set<String> DSCKS_SLOTS = Set.of("NBan", "NMua", "CQT", "NNT", OTHER);

    /**
     * Elements a reader of these documents takes for the document's data wherever they are: the
     * data elements of invoices, notices, minutes, registrations and summaries, the tax
     * authority's code and the tax declaration.
     */
    static final Set<String> READER_DATA = Set.of("DLHDon", "MCCQT", "DLTBao", "DLBBan", "DLTKhai", "DLBTHop",
            "HSoKhaiThue");

    static SignaturePlace of(Element signature) {
        Node parent = signature.getParentNode();
        String path = parent instanceof Element p ? path(p) : "";
        if (!(parent instanceof Element slotElement) || !(slotElement.getParentNode() instanceof Element above)) {
            return new SignaturePlace(null, null, path);
        }
        String slot = slotElement.getLocalName();
        if (DSCKS_SLOTS.contains(slot) && "DSCKS".equals(above.getLocalName())
                && above.getParentNode() instanceof Element container) {
            return new SignaturePlace(slot, container, path);
        }
        if ("CKSNNT".equals(slot) || "CKyDTu".equals(slot)) {
            return new SignaturePlace(slot, above, path);
        }
        return new SignaturePlace(null, null, path);
    }

    /** Whether the signature sits in a slot of the profile (not CCKSKhac, not elsewhere). */
    boolean inProfile() {
        return slot != null && !OTHER.equals(slot);
    }

    boolean seller() {
        return "NBan".equals(slot);
    }

    /**
     * Whether {@code e} is data this place's profile signs, where the profile puts it: a child of
     * the container named as such data ({@code DL…}, {@code MCCQT} for CQT), or for CKyDTu and
     * CKSNNT a child of the container carrying an Id.
     */
    boolean signsAsData(Element e) {
        if (!inProfile() || e.getParentNode() != container) {
            return false;
        }
        String name = e.getLocalName();
        return switch (slot) {
            case "CKyDTu", "CKSNNT" -> !slot.equals(name) && hasId(e);
            case "CQT" -> "MCCQT".equals(name) || dataName(name);
            default -> dataName(name);
        };
    }

    /**
     * Whether this place's signature is the one that vouches for {@code e}: the seller's data by
     * the seller (or the tax authority that codes it), the tax authority's code by the tax
     * authority, other documents' data by any party of the profile; never a buyer or a
     * CCKSKhac signature for an invoice's data.
     */
    boolean owns(Element e) {
        if (!signsAsData(e)) {
            return false;
        }
        if ("MCCQT".equals(e.getLocalName())) {
            return "CQT".equals(slot);
        }
        if ("HDon".equals(container.getLocalName())) {
            return "NBan".equals(slot) || "CQT".equals(slot);
        }
        return true;
    }

    /** Whether {@code e} sits where a profile puts signed data: under an element holding signature slots. */
    static boolean atProfilePlace(Element e) {
        if (!(e.getParentNode() instanceof Element parent)) {
            return false;
        }
        for (Node c = parent.getFirstChild(); c != null; c = c.getNextSibling()) {
            if (c instanceof Element ce && c != e) {
                String n = ce.getLocalName();
                if ("DSCKS".equals(n) || "CKyDTu".equals(n) || "CKSNNT".equals(n)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A data element's name as the signing profiles capture it: {@code DL} then a capital ({@code DLieu} is not). */
    static boolean dataName(String name) {
        return name != null && (READER_DATA.contains(name)
                || name.length() > 2 && name.startsWith("DL") && Character.isUpperCase(name.charAt(2)));
    }

    private static boolean hasId(Element e) {
        return e.hasAttributeNS(null, "Id") || e.hasAttributeNS(null, "id") || e.hasAttributeNS(null, "ID");
    }

    /** How the report names the place, in Vietnamese and English. */
    String describeVi() {
        String who = slot == null ? "ngoài các vị trí chữ ký của hồ sơ" : switch (slot) {
            case "NBan" -> "vị trí người bán";
            case "NMua" -> "vị trí người mua";
            case "CQT" -> "vị trí cơ quan thuế";
            case "NNT", "CKSNNT" -> "vị trí người nộp thuế";
            case "CKyDTu" -> "vị trí người khai thuế";
            default -> "vị trí chữ ký khác (CCKSKhac), ngoài các vị trí của hồ sơ";
        };
        return path + " (" + who + ")";
    }

    String describeEn() {
        String who = slot == null ? "outside the profile's signature slots" : switch (slot) {
            case "NBan" -> "the seller's slot";
            case "NMua" -> "the buyer's slot";
            case "CQT" -> "the tax authority's slot";
            case "NNT", "CKSNNT" -> "the taxpayer's slot";
            case "CKyDTu" -> "the declarant's slot";
            default -> "the other-signatures slot CCKSKhac, outside the profile's slots";
        };
        return path + " (" + who + ")";
    }

    /** The local names from the root down to {@code e}, joined with '/'. */
    static String path(Element e) {
        StringBuilder sb = new StringBuilder();
        for (Node p = e; p instanceof Element pe; p = p.getParentNode()) {
            sb.insert(0, sb.length() == 0 ? pe.getLocalName() : pe.getLocalName() + "/");
        }
        return sb.toString();
    }
}
