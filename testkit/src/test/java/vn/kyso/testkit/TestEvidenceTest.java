package vn.kyso.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.cert.CRLReason;
import java.security.cert.X509CRL;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.SingleResp;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TestPkiExtension.class)
class TestEvidenceTest {

    private static final Instant T = TestPki.REFERENCE_TIME;

    @Test
    void anOcspResponseCarriesTheChosenStatusTimesAndSigner(TestPki pki) throws Exception {
        TestIdentity responder = pki.ocspResponder(pki.cipherCa());
        byte[] der = TestEvidence.ocsp(responder, pki.cipherCa().certificate(), pki.revoked().certificate(),
                TestPki.REVOKED_AT, CRLReason.CERTIFICATE_HOLD, T, null);
        BasicOCSPResp basic = (BasicOCSPResp) new OCSPResp(der).getResponseObject();
        assertTrue(basic.isSignatureValid(new JcaContentVerifierProviderBuilder().build(responder.certificate())));
        assertEquals(1, basic.getCerts().length, "the delegated responder's certificate is included");
        SingleResp single = basic.getResponses()[0];
        assertEquals(T, single.getThisUpdate().toInstant());
        assertNull(single.getNextUpdate());
        RevokedStatus revoked = (RevokedStatus) single.getCertStatus();
        assertEquals(TestPki.REVOKED_AT, revoked.getRevocationTime().toInstant());
        assertEquals(CRLReason.CERTIFICATE_HOLD.ordinal(), revoked.getRevocationReason());
        byte[] good = TestEvidence.goodOcsp(pki.cipherCa(), pki.person(), T);
        BasicOCSPResp byCa = (BasicOCSPResp) new OCSPResp(good).getResponseObject();
        assertNull(byCa.getResponses()[0].getCertStatus());
        assertEquals(0, byCa.getCerts().length);
        assertEquals(T.plus(Duration.ofHours(1)), byCa.getResponses()[0].getNextUpdate().toInstant());
    }

    @Test
    void aCrlListsWhatItIsGivenAndMayBeADelta(TestPki pki) throws Exception {
        X509CRL crl = TestEvidence.crl(pki.cipherCa(), pki.cipherCa(), Map.of(pki.person().certificate(), T), T,
                T.plusSeconds(60));
        crl.verify(pki.cipherCa().publicKey());
        assertTrue(crl.isRevoked(pki.person().certificate()));
        assertNull(crl.getExtensionValue(Extension.deltaCRLIndicator.getId()));
        X509CRL delta = TestEvidence.crl(pki.cipherCa(), pki.cipherCa(), Map.of(), T, T.plusSeconds(60), true);
        assertNotNull(delta.getExtensionValue(Extension.deltaCRLIndicator.getId()));
    }

    @Test
    void anExtraCertificateChainsToItsCaWithThePurposeAsked(TestPki pki) throws Exception {
        TestIdentity tls = TestEvidence.issue(pki, pki.cipherCa(), "tls.evidence.test", 0x3201,
                TestEvidence.Purpose.TLS_SERVER);
        tls.certificate().verify(pki.cipherCa().publicKey());
        assertEquals(List.of(KeyPurposeId.id_kp_serverAuth.getId(), KeyPurposeId.id_kp_clientAuth.getId()),
                tls.certificate().getExtendedKeyUsage());
        assertEquals(List.of(tls.certificate(), pki.cipherCa().certificate()), tls.chain());
        TestIdentity ca = TestEvidence.issue(pki, pki.cipherRoot(), "ca.evidence.test", 0x3202,
                TestEvidence.Purpose.INTERMEDIATE);
        assertEquals(0, ca.certificate().getBasicConstraints());
        assertEquals(List.of(ca.certificate()), ca.chain());
    }
}
