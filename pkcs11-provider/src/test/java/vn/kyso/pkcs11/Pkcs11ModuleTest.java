package vn.kyso.pkcs11;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import sun.security.pkcs11.wrapper.PKCS11Exception;
import vn.kyso.KysoException;
import vn.kyso.PinExpiredException;
import vn.kyso.PinIncorrectException;
import vn.kyso.PinLockedException;
import vn.kyso.SigningFailedException;
import vn.kyso.TokenAbsentException;
import vn.kyso.TokenRemovedException;

class Pkcs11ModuleTest {

    private static KysoException error(long code, String doing) {
        return Pkcs11Module.error(new PKCS11Exception(code, null), "kyso-lanh-dao", doing);
    }

    @Test
    void everyPinFailureGetsItsOwnTypeAndNamesTheToken() {
        for (long code : new long[] {Pkcs11Module.CKR_PIN_INCORRECT, Pkcs11Module.CKR_PIN_INVALID,
            Pkcs11Module.CKR_PIN_LEN_RANGE}) {
            KysoException e = error(code, "login");
            assertInstanceOf(PinIncorrectException.class, e);
            assertTrue(e.getMessage().contains("kyso-lanh-dao") && e.getMessage().contains("does not retry"),
                    e.getMessage());
        }
        assertInstanceOf(PinLockedException.class, error(Pkcs11Module.CKR_PIN_LOCKED, "login"));
        assertInstanceOf(PinExpiredException.class, error(Pkcs11Module.CKR_PIN_EXPIRED, "login"));
    }

    @Test
    void aGeneralErrorAtLoginIsReadAsAWrongPinButNotWhileSigning() {
        KysoException atLogin = error(Pkcs11Module.CKR_GENERAL_ERROR, "login");
        assertInstanceOf(PinIncorrectException.class, atLogin);
        assertTrue(atLogin.getMessage().contains("CKR_GENERAL_ERROR"), atLogin.getMessage());
        assertInstanceOf(SigningFailedException.class, error(Pkcs11Module.CKR_GENERAL_ERROR, "signing"));
    }

    @Test
    void aTokenPulledOutDuringSigningIsTokenRemovedAndSaysNothingWasSigned() {
        for (long code : new long[] {Pkcs11Module.CKR_DEVICE_REMOVED, Pkcs11Module.CKR_TOKEN_NOT_PRESENT,
            Pkcs11Module.CKR_SESSION_HANDLE_INVALID, Pkcs11Module.CKR_SESSION_CLOSED}) {
            KysoException e = error(code, "signing");
            assertInstanceOf(TokenRemovedException.class, e);
            assertTrue(e.getMessage().contains("nothing was signed"), e.getMessage());
        }
        assertInstanceOf(TokenAbsentException.class, error(Pkcs11Module.CKR_DEVICE_ERROR, "signing"));
    }

    @Test
    void aConfiguredLibraryIsTheOnlyCandidateAndAListIsKeptInOrder() {
        assertEquals(List.of(Path.of("/opt/vnpt/libvnpt.so")), Pkcs11Module.candidates(" /opt/vnpt/libvnpt.so ", "x"));
        assertEquals(List.of(Path.of("/a.so"), Path.of("/b.so")), Pkcs11Module.candidates(null, "/a.so, /b.so"));
        assertTrue(Pkcs11Module.candidates(null, null).size() >= Pkcs11Module.LINUX_DRIVERS.size() - 1,
                "without configuration the built-in table of Vietnamese token drivers is searched");
    }
}
