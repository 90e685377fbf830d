package vn.kyso.xml;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import vn.kyso.FormatOptions;

/**
 * How format "xades" signs an XML document: the profile (which element is signed, where the
 * signature goes and what shape it has, as the receiving systems expect it), and for the generic
 * profile the element and the place the caller chooses. The signing level comes from
 * {@link vn.kyso.SignOptions#level()}: B is plain XMLDSig (what Vietnamese systems use) unless
 * {@link Builder#xades(boolean)} asks for XAdES-B; T always means XAdES-B-T with a timestamp.
 *
 * <pre>{@code
 * SignOptions seller = SignOptions.builder().formatOptions(XmlOptions.of(XmlOptions.Profile.INVOICE_SELLER)).build();
 * SignOptions voucher = SignOptions.builder().formatOptions(XmlOptions.builder(XmlOptions.Profile.GENERIC)
 *         .signedElementId("CT-0001").signatureParentPath("/ChungTu/ChuKy").build()).build();
 * }</pre>
 *
 * <p>Immutable and thread-safe; {@link Builder#build()} checks the combination.
 */
public final class XmlOptions implements FormatOptions {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.:\\-]{1,200}");
    private static final Pattern PATH = Pattern.compile("(/[\\p{L}_][\\p{L}\\p{N}_.\\-]*)+");

    /** The signature shapes kyso writes; each one is described in the module's README. */
    public enum Profile {
        /** E-invoice, notice or minutes signed by the seller (issuer) in {@code DSCKS/NBan} ({@code DSCKS/NNT} on a taxpayer's notice). */
        INVOICE_SELLER,
        /** E-invoice or minutes signed by the buyer in {@code DSCKS/NMua}. */
        INVOICE_BUYER,
        /** The tax authority's shape in {@code DSCKS/CQT}: references without transforms to the data, the signing time and {@code MCCQT}. */
        INVOICE_TAX_AUTHORITY,
        /** A tax declaration ({@code HSoThueDTu/HSoKhaiThue id=...}) signed in {@code CKyDTu}, C14N with comments, KeyValue. */
        TAX_DECLARATION,
        /** Any XML (Treasury vouchers, …): the caller names the signed element (or the whole document) and the signature's parent. */
        GENERIC
    }

    private final Profile profile;
    private final String signedElementId;
    private final boolean wholeDocument;
    private final String signatureParentPath;
    private final String signatureParentId;
    private final boolean xades;
    private final boolean includeChain;
    private final String signatureId;

    private XmlOptions(Builder b) {
        this.profile = b.profile;
        this.signedElementId = b.signedElementId;
        this.wholeDocument = b.wholeDocument;
        this.signatureParentPath = b.signatureParentPath;
        this.signatureParentId = b.signatureParentId;
        this.xades = b.xades;
        this.includeChain = b.includeChain;
        this.signatureId = b.signatureId;
    }

    /**
     * The options of a profile that needs nothing else (every profile but {@link Profile#GENERIC}).
     *
     * @throws IllegalArgumentException for GENERIC, which needs the element and the place
     */
    public static XmlOptions of(Profile profile) {
        return builder(profile).build();
    }

    /** A builder for {@code profile}; never null. */
    public static Builder builder(Profile profile) {
        return new Builder(Objects.requireNonNull(profile, "profile must not be null"));
    }

    public Profile profile() {
        return profile;
    }

    /** GENERIC: the Id (or id) value of the element to sign; empty when the whole document is signed. */
    public Optional<String> signedElementId() {
        return Optional.ofNullable(signedElementId);
    }

    /** GENERIC: whether the whole document is signed ({@code URI=""}). */
    public boolean wholeDocument() {
        return wholeDocument;
    }

    /** GENERIC: the signature's parent element as an absolute path of local names, e.g. {@code /ChungTu/ChuKy}. */
    public Optional<String> signatureParentPath() {
        return Optional.ofNullable(signatureParentPath);
    }

    /** GENERIC: the Id (or id) value of the signature's parent element. */
    public Optional<String> signatureParentId() {
        return Optional.ofNullable(signatureParentId);
    }

    /** Whether XAdES qualifying properties are added at level B (level T always adds them). */
    public boolean xades() {
        return xades;
    }

    /** Whether KeyInfo carries the intermediate certificates too (the default is the signing certificate only, as issued files do). */
    public boolean includeChain() {
        return includeChain;
    }

    /** The Id of the Signature element; empty for a generated one. */
    public Optional<String> signatureId() {
        return Optional.ofNullable(signatureId);
    }

    @Override
    public String toString() {
        return "XmlOptions[" + profile + (signedElementId != null ? ", signs #" + signedElementId : "")
                + (wholeDocument ? ", signs the whole document" : "")
                + (signatureParentPath != null ? ", in " + signatureParentPath : "")
                + (signatureParentId != null ? ", in #" + signatureParentId : "")
                + (xades ? ", XAdES" : "") + (includeChain ? ", with chain" : "") + "]";
    }

    /** Builds {@link XmlOptions}; setters reject null. */
    public static final class Builder {
        private final Profile profile;
        private String signedElementId;
        private boolean wholeDocument;
        private String signatureParentPath;
        private String signatureParentId;
        private boolean xades;
        private boolean includeChain;
        private String signatureId;

        private Builder(Profile profile) {
            this.profile = profile;
        }

        /** GENERIC: sign the element whose {@code Id}, {@code id} or {@code ID} attribute has this value. */
        public Builder signedElementId(String id) {
            this.signedElementId = Objects.requireNonNull(id, "signedElementId must not be null");
            return this;
        }

        /** GENERIC: sign the whole document ({@code URI=""} with the enveloped-signature transform). */
        public Builder wholeDocument() {
            this.wholeDocument = true;
            return this;
        }

        /**
         * GENERIC: put the signature in the element at this absolute path of local names (namespaces
         * ignored), e.g. {@code /ChungTu/ChuKy}; the path must name exactly one element.
         */
        public Builder signatureParentPath(String path) {
            this.signatureParentPath = Objects.requireNonNull(path, "signatureParentPath must not be null");
            return this;
        }

        /** GENERIC: put the signature in the element whose {@code Id}, {@code id} or {@code ID} attribute has this value. */
        public Builder signatureParentId(String id) {
            this.signatureParentId = Objects.requireNonNull(id, "signatureParentId must not be null");
            return this;
        }

        /** Adds XAdES-B qualifying properties (SigningTime, SigningCertificateV2) at level B too. */
        public Builder xades(boolean xades) {
            this.xades = xades;
            return this;
        }

        /** Puts the intermediate certificates of the signer's chain into KeyInfo as well. */
        public Builder includeChain(boolean includeChain) {
            this.includeChain = includeChain;
            return this;
        }

        /** Fixes the Id of the Signature element (letters, digits, {@code _ . : -}); it must not occur in the document. */
        public Builder signatureId(String id) {
            this.signatureId = Objects.requireNonNull(id, "signatureId must not be null");
            return this;
        }

        /**
         * @throws IllegalArgumentException when GENERIC lacks (or has two) choices of signed element
         *     or place, another profile is given a choice it makes itself, or an Id or path is not
         *     in the accepted form
         */
        public XmlOptions build() {
            if (profile == Profile.GENERIC) {
                if ((signedElementId == null) == !wholeDocument) {
                    throw new IllegalArgumentException("the GENERIC profile needs exactly one of signedElementId(...)"
                            + " or wholeDocument(): which element is signed");
                }
                if ((signatureParentPath == null) == (signatureParentId == null)) {
                    throw new IllegalArgumentException("the GENERIC profile needs exactly one of signatureParentPath(...)"
                            + " or signatureParentId(...): where the signature goes");
                }
            } else if (signedElementId != null || wholeDocument || signatureParentPath != null || signatureParentId != null) {
                throw new IllegalArgumentException("profile " + profile + " finds the signed element and the signature's"
                        + " place itself; signedElementId, wholeDocument and signatureParent* are for GENERIC only");
            }
            checkId("signedElementId", signedElementId);
            checkId("signatureParentId", signatureParentId);
            checkId("signatureId", signatureId);
            if (signatureParentPath != null && !PATH.matcher(signatureParentPath).matches()) {
                throw new IllegalArgumentException("signatureParentPath '" + signatureParentPath
                        + "' must be an absolute path of element names such as /ChungTu/ChuKy");
            }
            return new XmlOptions(this);
        }

        private static void checkId(String what, String id) {
            if (id != null && !ID.matcher(id).matches()) {
                throw new IllegalArgumentException(what + " '" + id + "' must be 1 to 200 letters, digits or _ . : -"
                        + " so that a reference #" + id + " is unambiguous");
            }
        }
    }
}
