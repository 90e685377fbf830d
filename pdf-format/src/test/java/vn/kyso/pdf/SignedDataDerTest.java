package vn.kyso.pdf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Set;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.IssuerAndSerialNumber;
import org.bouncycastle.asn1.cms.SignedData;
import org.bouncycastle.asn1.cms.SignerIdentifier;
import org.bouncycastle.asn1.cms.SignerInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.cms.CMSSignedData;
import vn.kyso.SignatureAlgorithm;
import vn.kyso.testkit.TestIdentity;
import vn.kyso.testkit.TestPki;

/** The hand-written SignedData is byte for byte what Bouncy Castle's object tree encodes. */
class SignedDataDerTest {
    private static TestPki pki;

    @BeforeContainer
    static void start() {
        pki = TestPki.start();
    }

    @AfterContainer
    static void stop() {
        pki.close();
    }

    @Property(tries = 200)
    void encodingEqualsBouncyCastlesForAnyValueChainAndAlgorithm(@ForAll SignatureAlgorithm algorithm,
            @ForAll @IntRange(min = 1, max = 1100) int valueLength, @ForAll @IntRange(min = 1, max = 4) int chainLength,
            @ForAll boolean shuffleChain, @ForAll @IntRange(min = 0, max = 700) int unsignedLength, @ForAll long seed)
            throws Exception {
        Random random = new Random(seed);
        TestIdentity identity = algorithm.keyKind() == SignatureAlgorithm.KeyKind.EC ? pki.ecPerson() : pki.person();
        List<X509Certificate> chain = new ArrayList<>(identity.chainWithRoot());
        chain.add(pki.organization().certificate());
        chain = new ArrayList<>(chain.subList(0, Math.min(chainLength, chain.size())));
        if (shuffleChain) {
            Collections.shuffle(chain.subList(1, chain.size()), random);
        }
        byte[] digest = new byte[algorithm.digest().length()];
        random.nextBytes(digest);
        byte[] signedAttributes = Cms.signedAttributes(digest, chain.get(0));
        byte[] value = new byte[valueLength];
        random.nextBytes(value);
        ASN1Set unsigned = null;
        if (unsignedLength > 0) {
            byte[] token = new byte[unsignedLength];
            random.nextBytes(token);
            unsigned = Cms.timestampAttribute(new DEROctetString(token).getEncoded(ASN1Encoding.DER));
        }
        byte[] expected = bouncyCastle(signedAttributes, value, algorithm, chain, unsigned);
        byte[] actual = SignedDataDer.encode(signedAttributes, value, algorithm, chain,
                unsigned == null ? null : unsigned.getEncoded(ASN1Encoding.DER));
        assertArrayEquals(expected, actual);
    }

    @Example
    void lengthsOfThreeOctetsEncodeAsBouncyCastlesDo() throws Exception {
        List<X509Certificate> chain = pki.person().chainWithRoot();
        byte[] signedAttributes = Cms.signedAttributes(new byte[32], chain.get(0));
        ASN1Set unsigned = Cms.timestampAttribute(new DEROctetString(new byte[70_000]).getEncoded(ASN1Encoding.DER));
        byte[] value = new byte[256];
        assertArrayEquals(bouncyCastle(signedAttributes, value, SignatureAlgorithm.RSA_SHA256, chain, unsigned),
                SignedDataDer.encode(signedAttributes, value, SignatureAlgorithm.RSA_SHA256, chain,
                        unsigned.getEncoded(ASN1Encoding.DER)));
    }

    @Example
    void theEncodingParsesAsCmsWithTheChainAndTheValue() throws Exception {
        List<X509Certificate> chain = pki.person().chainWithRoot();
        byte[] value = new byte[256];
        new Random(7).nextBytes(value);
        byte[] signedAttributes = Cms.signedAttributes(new byte[32], chain.get(0));
        CMSSignedData cms = new CMSSignedData(SignedDataDer.encode(signedAttributes, value,
                SignatureAlgorithm.RSA_SHA256, chain, null));
        assertEquals(chain.size(), cms.getCertificates().getMatches(null).size());
        assertArrayEquals(value, cms.getSignerInfos().getSigners().iterator().next().getSignature());
        assertTrue(cms.isDetachedSignature());
    }

    @Example
    void setMembersOrderAsDerPadsTheShorterWithZeros() {
        assertTrue(SignedDataDer.compareAsSetMembers(new byte[] {1, 2}, new byte[] {1, 3}) < 0);
        assertTrue(SignedDataDer.compareAsSetMembers(new byte[] {(byte) 0x80}, new byte[] {0x7F, 0x7F}) > 0);
        assertTrue(SignedDataDer.compareAsSetMembers(new byte[] {1}, new byte[] {1, 0}) < 0);
        assertTrue(SignedDataDer.compareAsSetMembers(new byte[] {1, 1}, new byte[] {1}) > 0);
        assertEquals(0, SignedDataDer.compareAsSetMembers(new byte[] {4, 5}, new byte[] {4, 5}));
    }

    /** The reference: the SignedData built as Bouncy Castle objects and DER-encoded by them. */
    private static byte[] bouncyCastle(byte[] signedAttributes, byte[] value, SignatureAlgorithm algorithm,
            List<X509Certificate> chain, ASN1Set unsignedAttributes) throws Exception {
        X509Certificate signer = chain.get(0);
        AlgorithmIdentifier digestAlg = Cms.digestAlgorithm(algorithm.digest());
        SignerInfo info = new SignerInfo(
                new SignerIdentifier(new IssuerAndSerialNumber(
                        X500Name.getInstance(signer.getIssuerX500Principal().getEncoded()), signer.getSerialNumber())),
                digestAlg, ASN1Set.getInstance(signedAttributes), Cms.signatureAlgorithm(algorithm),
                new DEROctetString(value), unsignedAttributes);
        ASN1EncodableVector certs = new ASN1EncodableVector();
        for (X509Certificate c : chain) {
            certs.add(Certificate.getInstance(c.getEncoded()));
        }
        SignedData data = new SignedData(new DERSet(digestAlg), new ContentInfo(CMSObjectIdentifiers.data, null),
                new DERSet(certs), null, new DERSet(info));
        return new ContentInfo(CMSObjectIdentifiers.signedData, data).getEncoded(ASN1Encoding.DER);
    }
}
