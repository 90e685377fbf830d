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

    private final SubFilter subFilter;
    private final String reason;
    private final String location;

    private PadesOptions(Builder b) {
        this.subFilter = b.subFilter;
        this.reason = b.reason;
        this.location = b.location;
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

        private Builder() {
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

        public PadesOptions build() {
            return new PadesOptions(this);
        }
    }
}
