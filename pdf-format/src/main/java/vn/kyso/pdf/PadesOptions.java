package vn.kyso.pdf;

import java.util.Objects;
import vn.kyso.FormatOptions;

/**
 * PDF-only choices, carried in {@link vn.kyso.SignOptions#formatOptions(Class)}. The defaults
 * (ETSI.CAdES.detached, no reason or place) are right for Vietnamese official documents.
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
        /** The issuing organization: the seal image, organization name and signing time. */
        ORGANIZATION,
        /** An attachment file: top right of page 1, no image, number/symbol and time in 10 pt black. */
        ATTACHMENT,
        /** The receiving agency's "ĐẾN" signature on an incoming document. */
        INCOMING,
        /** An electronic copy ("sao y"). */
        COPY
    }

    private final SubFilter subFilter;
    private final String reason;
    private final String location;
    private final Role role;
    private final int page;
    private final float[] rectangle;
    private final String anchor;
    private final byte[] image;
    private final String text;
    private final byte[] font;

    private PadesOptions(Builder b) {
        this.subFilter = b.subFilter;
        this.reason = b.reason;
        this.location = b.location;
        this.role = b.role;
        this.page = b.page;
        this.rectangle = b.rectangle;
        this.anchor = b.anchor;
        this.image = b.image;
        this.text = b.text;
        this.font = b.font;
    }

    /** The signer's role; {@link Role#OFFICIAL} unless set. */
    public Role role() {
        return role;
    }

    /** Whether the signature gets a visible appearance (a place was given, or the role is ATTACHMENT). */
    public boolean visible() {
        return rectangle != null || role == Role.ATTACHMENT;
    }

    /** Text to look for on the pages (e.g. "{ky_so}"); the appearance is centred on it. Empty for none. */
    public String anchor() {
        return anchor;
    }

    /** The 1-based page of the appearance. */
    public int page() {
        return page;
    }

    /** x, y (lower-left, PDF points from the page's lower-left corner), width, height; null if not placed. */
    public float[] rectangle() {
        return rectangle == null ? null : rectangle.clone();
    }

    /** The PNG drawn in the appearance (signature or seal); null for none. */
    public byte[] image() {
        return image == null ? null : image.clone();
    }

    /** Text lines of the appearance, separated by '\n'; empty for none. */
    public String text() {
        return text;
    }

    /** TrueType font bytes for the text; null means the bundled Liberation Serif (Times-like, Vietnamese glyphs). */
    public byte[] font() {
        return font == null ? null : font.clone();
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

    /** Builds {@link PadesOptions}; setters reject null. */
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

        /** A PNG (transparent background) drawn to fill the appearance, keeping its aspect ratio. */
        public Builder image(byte[] png) {
            this.image = Objects.requireNonNull(png, "png must not be null").clone();
            return this;
        }

        /** Text lines shown in the appearance ('\n' separates lines). */
        public Builder text(String text) {
            this.text = Objects.requireNonNull(text, "text must not be null");
            return this;
        }

        /** A TrueType font (bytes of a .ttf) to use instead of the bundled one. */
        public Builder font(byte[] ttf) {
            this.font = Objects.requireNonNull(ttf, "ttf must not be null").clone();
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

        Builder withImageAndFont(PadesOptions from) {
            this.image = from.image;
            this.font = from.font;
            return this;
        }

        public PadesOptions build() {
            return new PadesOptions(this);
        }
    }
}
