package vn.kyso.pkcs11;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import vn.kyso.Certificates;
import vn.kyso.CredentialCallback;
import vn.kyso.KysoException;

/**
 * What a help desk asks first when "the token does not work on this PC": which drivers were
 * tried and why each failed, which loaded, and the tokens and certificates they see.
 */
public final class Pkcs11Diagnostics {
    private Pkcs11Diagnostics() {
    }

    /** A printable report for the given provider settings (see {@link Pkcs11SignerProvider}); never throws. */
    public static String report(Map<String, String> settings) {
        StringBuilder out = new StringBuilder("Chẩn đoán thiết bị ký số / PKCS#11 diagnostics\n");
        out.append("  Java: ").append(System.getProperty("java.version")).append(", ")
                .append(System.getProperty("sun.arch.data.model", "?")).append("-bit, ")
                .append(System.getProperty("os.name")).append('\n');
        List<Path> candidates = Pkcs11Module.candidates(settings.get("library"), settings.get("libraries"));
        for (Path library : candidates) {
            if (!Files.exists(library)) {
                if (candidates.size() == 1) {
                    out.append("  ").append(library).append(": không có / missing\n");
                }
                continue;
            }
            Integer bits = Pkcs11Module.architectureBits(library);
            out.append("  ").append(library).append(" (").append(bits == null ? "?" : bits).append("-bit): ");
            TokenKeySource source;
            try {
                source = new TokenKeySource(Pkcs11Driver.of(library), library, settings.get("token"),
                        CredentialCallback.none());
            } catch (KysoException e) {
                out.append("KHÔNG nạp được / not loadable: ").append(e.getMessage()).append('\n');
                continue;
            }
            out.append("đã nạp / loaded\n");
            try {
                for (TokenKeySource.Token t : source.tokens()) {
                    out.append("    token '").append(t.label()).append("' serial ").append(t.serial()).append(", ")
                            .append(t.manufacturer()).append(pinState(t.flags())).append('\n');
                    for (TokenKeySource.Certificate c : source.certificates(t)) {
                        X509Certificate x = c.certificate();
                        out.append("      ").append(Certificates.commonName(x)).append(" — CA ")
                                .append(Certificates.issuerName(x)).append(", hết hạn / expires ")
                                .append(x.getNotAfter().toInstant().atOffset(ZoneOffset.ofHours(7)).toLocalDate())
                                .append('\n');
                    }
                }
            } catch (KysoException e) {
                out.append("    ").append(e.getMessage()).append('\n');
            }
        }
        return out.toString();
    }

    private static String pinState(long flags) {
        if ((flags & Pkcs11Module.CKF_USER_PIN_LOCKED) != 0) {
            return ", PIN BỊ KHÓA / PIN LOCKED";
        }
        if ((flags & Pkcs11Module.CKF_USER_PIN_FINAL_TRY) != 0) {
            return ", CÒN 1 LẦN THỬ PIN / FINAL PIN TRY";
        }
        if ((flags & Pkcs11Module.CKF_USER_PIN_COUNT_LOW) != 0) {
            return ", đã nhập sai PIN / wrong PIN entered before";
        }
        return "";
    }
}
