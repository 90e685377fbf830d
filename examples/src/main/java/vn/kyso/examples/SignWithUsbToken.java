package vn.kyso.examples;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import vn.kyso.CredentialCallback;
import vn.kyso.CredentialRequest;
import vn.kyso.Document;
import vn.kyso.DriverNotFoundException;
import vn.kyso.KeyDescriptor;
import vn.kyso.KeySource;
import vn.kyso.Kyso;
import vn.kyso.KysoException;
import vn.kyso.PinIncorrectException;
import vn.kyso.PinLockedException;
import vn.kyso.SignOptions;
import vn.kyso.Signer;
import vn.kyso.TokenAbsentException;
import vn.kyso.UserRejectedException;

/**
 * A leader signs a letter on the USB token the CA issued: the driver is found without
 * configuration, the token is chosen by its label (never by slot), the PIN dialog warns before
 * the try that locks the token, and each expected failure becomes a sentence for the user.
 */
public final class SignWithUsbToken {
    private SignWithUsbToken() {
    }

    /**
     * Signs {@code pdf} into {@code signedPdf} with the first signing key on token
     * {@code tokenLabel}.
     *
     * @param pinDialog shows a prompt and returns the PIN, or null when the user cancels
     * @param library the driver's path, or null to search the drivers of Vietnamese tokens
     * @return null when signed, else what to tell the user
     */
    public static String sign(Kyso kyso, String tokenLabel, String library, Path pdf, Path signedPdf,
            Function<String, char[]> pinDialog) throws IOException {
        CredentialCallback pin = request -> pinDialog.apply(prompt(request));
        Map<String, String> settings = library == null ? Map.of("token", tokenLabel)
                : Map.of("token", tokenLabel, "library", library);
        try (KeySource token = kyso.connect("pkcs11", settings, pin)) {
            KeyDescriptor key = token.keys().get(0);
            try (Signer signer = token.open(key.id())) {
                kyso.format("pades").sign(Document.of(pdf), signer, SignOptions.builder()
                        .documentType("Công văn").displayText("Ký văn bản " + pdf.getFileName()).build(), signedPdf);
            }
            return null;
        } catch (PinIncorrectException e) {
            return e.triesLeft().isPresent() ? "Sai mã PIN, còn " + e.triesLeft().getAsInt() + " lần thử."
                    : "Sai mã PIN. Kiểm tra lại trước khi thử tiếp: token sẽ bị khóa sau vài lần sai.";
        } catch (PinLockedException e) {
            return "Token đã bị khóa PIN: liên hệ tổ chức cung cấp dịch vụ chứng thực để mở khóa.";
        } catch (TokenAbsentException e) {
            return "Chưa cắm token " + tokenLabel + ": cắm token vào máy rồi ký lại.";
        } catch (DriverNotFoundException e) {
            return "Máy chưa cài phần mềm của token: " + e.getMessage();
        } catch (UserRejectedException e) {
            return "Đã hủy ký.";
        } catch (KysoException e) {
            return "Không ký được: " + e.getMessage();
        }
    }

    private static String prompt(CredentialRequest request) {
        String who = "Nhập mã PIN của token " + request.target();
        return request.isFinalTry() ? who + " (LẦN THỬ CUỐI: sai lần này token sẽ bị khóa)" : who;
    }
}
