package vn.kyso.pdf;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import vn.kyso.FormatOptions;

/**
 * PDF-only choices, carried in {@link vn.kyso.SignOptions#formatOptions(Class)}. The defaults
 * (ETSI.CAdES.detached, official role, invisible, no reason or place, no form fill, no
 * certification) are right for Vietnamese official documents. Immutable and thread-safe.
 */
public final class PadesOptions implements FormatOptions {

    /** How the CMS is announced in the signature dictionary. */
    public enum SubFilter {
        /** PAdES baseline (ETSI EN 319 142-1); the default. */
        ETSI_CADES_DETACHED("ETSI.CAdES.detached"),
        /** The older PDF 1.7 form, for systems that accept only it. */
        ADBE_PKCS7_DETACHED("adbe.pkcs7.detached");

        private final String pdfName;

        SubFilter(String pdfName) {
            this.pdfName = pdfName;
        }

        /** The name written in the /SubFilter entry. */
        public String pdfName() {
            return pdfName;
        }
    }

    /** Who signs, in the province's workflow; decides the default look of a visible signature. */
    public enum Role {
        /** "Ký nháy": a small mark or invisible. */
        APPROVAL,
        /** The leader's signature: the handwritten-signature image at the signer's place. */
        OFFICIAL,
        /**
         * The issuing organization: the seal image with the organization name (the text, or the
         * certificate's common name) and the signing time to its left; usually also fills the
         * document number and issue date ({@link Builder#fill}).
         */
        ORGANIZATION,
        /** An attachment file: top right of page 1, no image, number/symbol and time in 10 pt black. */
        ATTACHMENT,
        /** The receiving agency's "ĐẾN" stamp: arrival number and date lines (the text) and the time, framed. */
        INCOMING,
        /**
         * An electronic copy ("bản sao điện tử"), signed by the copying organization: top right of
         * page 1, no image, the copy form and copy number ({@link Builder#copy}), the organization
         * (the text, or the certificate's common name) and the time in 10 pt black (Decree
         * 30/2020 Appendix I, Part II).
         */
        COPY
    }

    /** The copy forms of Decree 30/2020 Article 25, as shown on the copy. */
    public enum CopyForm {
        /** "Sao y": a full copy of the original or of the master copy. */
        SAO_Y("SAO Y"),
        /** "Sao lục": a full copy made from a "sao y" copy. */
        SAO_LUC("SAO LỤC"),
        /** "Trích sao": a copy of part of the content. */
        TRICH_SAO("TRÍCH SAO");

        private final String label;

        CopyForm(String label) {
            this.label = label;
        }

        /** The words printed on the copy ("SAO Y"). */
        public String label() {
            return label;
        }
    }

    /**
     * What a certification signature (DocMDP, ISO 32000-1 12.8.2.2) still permits after it; every
     * other change makes verifiers (kyso's, Acrobat) report the certification as broken. Adding
     * the validation data and document timestamps of B-LT and B-LTA is always permitted.
     */
    public enum Certification {
        /** P=1: no change at all. No later approval, official or organization signature is possible. */
        NO_CHANGES(1),
        /** P=2: filling existing form fields and adding signatures; the level for the official-document workflow. */
        FORM_FILL_AND_SIGNATURES(2),
        /** P=3: as P=2, plus creating, changing and deleting annotations. */
        FORM_FILL_SIGNATURES_AND_ANNOTATIONS(3);

        private final int permission;

        Certification(int permission) {
            this.permission = permission;
        }

        /** The /P value of the DocMDP transform parameters. */
        public int permission() {
            return permission;
        }
    }

    /** Where and how the appearance is drawn: grouped so the options stay a handful of fields. */
    record Look(int page, float[] rectangle, String anchor, byte[] image, String text, byte[] font) {
    }

    private final SubFilter subFilter;
    private final String reason;
    private final String location;
    private final Role role;
    private final Look look;
    private final Map<String, String> fills;
    private final Certification certification;
    private final CopyForm copyForm;
    private final String copyNumber;

    private PadesOptions(Builder b) {
        this.subFilter = b.subFilter;
        this.reason = b.reason;
        this.location = b.location;
        this.role = b.role;
        this.look = new Look(b.page, b.rectangle, b.anchor, b.image, b.text, b.font);
        this.fills = Collections.unmodifiableMap(new LinkedHashMap<>(b.fills));
        this.certification = b.certification;
        this.copyForm = b.copyForm;
        this.copyNumber = b.copyNumber;
    }

    /** The signer's role; {@link Role#OFFICIAL} unless set. */
    public Role role() {
        return role;
    }

    /** Whether the signature gets a visible appearance (a place was given, or the role is ATTACHMENT or COPY). */
    public boolean visible() {
        return look.rectangle() != null || role == Role.ATTACHMENT || role == Role.COPY;
    }

    /** Text to look for on the pages (e.g. "{ky_so}"); the appearance is centred on it. Empty for none. */
    public String anchor() {
        return look.anchor();
    }

    /** The 1-based page of the appearance. */
    public int page() {
        return look.page();
    }

    /** x, y (lower-left, PDF points from the page's lower-left corner), width, height; null if not placed. */
    public float[] rectangle() {
        return look.rectangle() == null ? null : look.rectangle().clone();
    }

    /** The PNG drawn in the appearance (signature or seal); null for none. */
    public byte[] image() {
        return look.image() == null ? null : look.image().clone();
    }

    /** Text lines of the appearance, separated by '\n'; empty for none. */
    public String text() {
        return look.text();
    }

    /**
     * TrueType font bytes for the appearance text and the filled form fields; null means the
     * bundled Liberation Serif (Times-like, Vietnamese glyphs).
     */
    public byte[] font() {
        return look.font() == null ? null : look.font().clone();
    }

    /** Form field values this signature fills in its own incremental update, by field name; never null. */
    public Map<String, String> fills() {
        return fills;
    }

    /** The certification (DocMDP) this signature makes, if asked for. */
    public Optional<Certification> certification() {
        return Optional.ofNullable(certification);
    }

    /** The copy form of a {@link Role#COPY} signature; empty for other roles. */
    public Optional<CopyForm> copyForm() {
        return Optional.ofNullable(copyForm);
    }

    /** The copy's number and symbol ("05/SY-SCT") of a {@link Role#COPY} signature; empty for other roles. */
    public String copyNumber() {
        return copyNumber;
    }

    Look look() {
        return look;
    }

    /** These options with the appearance moved to a page and rectangle (an anchor, once found). */
    PadesOptions placedAt(int page, float x, float y, float width, float height) {
        Builder b = toBuilder();
        b.place(page, x, y, width, height);
        return b.build();
    }

    private Builder toBuilder() {
        Builder b = new Builder();
        b.subFilter = subFilter;
        b.reason = reason;
        b.location = location;
        b.role = role;
        b.page = look.page();
        b.rectangle = look.rectangle();
        b.anchor = look.anchor();
        b.image = look.image();
        b.text = look.text();
        b.font = look.font();
        b.fills.putAll(fills);
        b.certification = certification;
        b.copyForm = copyForm;
        b.copyNumber = copyNumber;
        return b;
    }

    public static Builder builder() {
        return new Builder();
    }

    public SubFilter subFilter() {
        return subFilter;
    }

    /** The /Reason entry ("Phê duyệt", "Ban hành"); empty for none. */
    public String reason() {
        return reason;
    }

    /** The /Location entry ("Đồng Nai"); empty for none. */
    public String location() {
        return location;
    }

    /** Builds {@link PadesOptions}; setters reject null, {@link #build()} checks the combination. */
    public static final class Builder {
        private SubFilter subFilter = SubFilter.ETSI_CADES_DETACHED;
        private String reason = "";
        private String location = "";
        private Role role = Role.OFFICIAL;
        private int page = 1;
        private float[] rectangle;
        private String anchor = "";
        private byte[] image;
        private String text = "";
        private byte[] font;
        private final Map<String, String> fills = new LinkedHashMap<>();
        private Certification certification;
        private CopyForm copyForm;
        private String copyNumber = "";

        private Builder() {
        }

        public Builder role(Role role) {
            this.role = Objects.requireNonNull(role, "role must not be null");
            return this;
        }

        /** Places a visible appearance on a 1-based page at x, y (lower-left corner), width, height in points. */
        public Builder place(int page, float x, float y, float width, float height) {
            if (page < 1 || width <= 0 || height <= 0) {
                throw new IllegalArgumentException("page must be >= 1 and width, height > 0");
            }
            this.page = page;
            this.rectangle = new float[] {x, y, width, height};
            this.anchor = "";
            return this;
        }

        /**
         * Places a visible appearance of {@code width} x {@code height} points centred on the first
         * occurrence of {@code anchorText} in the document (a placeholder such as "{ky_so}" or the
         * signer's title line), so callers need not compute coordinates. Signing fails with
         * IllegalArgumentException when the text is not found.
         */
        public Builder anchor(String anchorText, float width, float height) {
            Objects.requireNonNull(anchorText, "anchorText must not be null");
            if (anchorText.isBlank() || width <= 0 || height <= 0) {
                throw new IllegalArgumentException("anchorText must not be blank and width, height must be > 0");
            }
            this.anchor = anchorText;
            this.rectangle = new float[] {0, 0, width, height};
            return this;
        }

        /** A PNG (transparent background) drawn in the appearance, keeping its aspect ratio. */
        public Builder image(byte[] png) {
            this.image = Objects.requireNonNull(png, "png must not be null").clone();
            return this;
        }

        /** Text lines shown in the appearance ('\n' separates lines). */
        public Builder text(String text) {
            this.text = Objects.requireNonNull(text, "text must not be null");
            return this;
        }

        /** A TrueType font (bytes of a .ttf) to use instead of the bundled one, for the appearance and the fills. */
        public Builder font(byte[] ttf) {
            this.font = Objects.requireNonNull(ttf, "ttf must not be null").clone();
            return this;
        }

        /**
         * Fills the existing, empty text field {@code fieldName} with {@code value} in this
         * signature's own incremental update, then makes it read-only: how the organization
         * signature stamps the document number ("2806") and the issue date into the page without
         * breaking the approval and official signatures, because filling form fields is a change
         * PDF permits after a signature. The value is drawn in the appearance font (Vietnamese
         * glyphs), at the field's font size or fitted to it.
         *
         * <p>The field must already be in the document the earlier signers signed (a vendor
         * template has it, or {@link DraftFields} adds it to the draft before the first
         * signature): a field added after a signature is a change verifiers flag. Signing fails
         * with IllegalArgumentException when the field is missing, is not a text field, already
         * holds another value, or the value does not fit it.
         */
        public Builder fill(String fieldName, String value) {
            Objects.requireNonNull(fieldName, "fieldName must not be null");
            Objects.requireNonNull(value, "value must not be null");
            if (fieldName.isBlank() || value.isEmpty()) {
                throw new IllegalArgumentException("fieldName must not be blank and value must not be empty");
            }
            fills.put(fieldName, value);
            return this;
        }

        /**
         * Makes this a certification signature (DocMDP) with the given permissions. PDF allows one
         * certification per document and it must be its first signature (ISO 32000-1, 12.8.2.2),
         * so signing fails with IllegalArgumentException when the document already carries a
         * signature. In the approval, official, organization workflow the organization signs last
         * and cannot certify: certify the first signature of the draft (the approval, or the
         * official signature when there is no approval) with
         * {@link Certification#FORM_FILL_AND_SIGNATURES}, so the later signatures and the
         * organization's fill of number and date stay permitted. The organization certifies only
         * what it alone signs: a copy, an attachment file, a document without earlier signatures.
         */
        public Builder certify(Certification level) {
            this.certification = Objects.requireNonNull(level, "level must not be null");
            return this;
        }

        /**
         * The copy form and the copy's number and symbol ("05/SY-SCT", numbered per year across
         * all copy forms) of a {@link Role#COPY} signature; required for that role.
         */
        public Builder copy(CopyForm form, String copyNumber) {
            this.copyForm = Objects.requireNonNull(form, "form must not be null");
            Objects.requireNonNull(copyNumber, "copyNumber must not be null");
            if (copyNumber.isBlank()) {
                throw new IllegalArgumentException("copyNumber must not be blank: a copy carries its number and symbol");
            }
            this.copyNumber = copyNumber;
            return this;
        }

        public Builder subFilter(SubFilter subFilter) {
            this.subFilter = Objects.requireNonNull(subFilter, "subFilter must not be null");
            return this;
        }

        public Builder reason(String reason) {
            this.reason = Objects.requireNonNull(reason, "reason must not be null");
            return this;
        }

        public Builder location(String location) {
            this.location = Objects.requireNonNull(location, "location must not be null");
            return this;
        }

        /**
         * @throws IllegalArgumentException when the role is COPY without {@link #copy}, or copy
         *     details are given for another role
         */
        public PadesOptions build() {
            if (role == Role.COPY && copyForm == null) {
                throw new IllegalArgumentException("role COPY needs copy(form, copyNumber): a copy shows its form and number");
            }
            if (role != Role.COPY && copyForm != null) {
                throw new IllegalArgumentException("copy(form, copyNumber) is only for role COPY, not " + role);
            }
            return new PadesOptions(this);
        }
    }
}
