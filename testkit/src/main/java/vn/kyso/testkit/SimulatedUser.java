package vn.kyso.testkit;

import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.interfaces.RSAPrivateKey;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import vn.kyso.DigestAlgorithm;
import vn.kyso.spi.DigestSigning;

/** One person of the simulator: a key and certificate from the test PKI, a phone, and counters. */
final class SimulatedUser {
    final String userId;
    final TestIdentity identity;
    private volatile PhoneBehaviour behaviour;
    private final AtomicInteger dropsLeft = new AtomicInteger();
    final AtomicInteger prompts = new AtomicInteger();
    final AtomicInteger cancellations = new AtomicInteger();
    final AtomicInteger submits = new AtomicInteger();
    final AtomicInteger polls = new AtomicInteger();
    final AtomicReference<String> lastDisplayText = new AtomicReference<>();

    SimulatedUser(String userId, TestIdentity identity, PhoneBehaviour behaviour) {
        this.userId = userId;
        this.identity = identity;
        setBehaviour(behaviour);
    }

    PhoneBehaviour behaviour() {
        return behaviour;
    }

    void setBehaviour(PhoneBehaviour behaviour) {
        this.behaviour = behaviour;
        dropsLeft.set(behaviour.droppedSubmits());
    }

    /** Whether this request is to fail with an injected server error (drawn at the behaviour's rate). */
    boolean serverErrorNow() {
        double rate = behaviour.serverErrorRate();
        return rate > 0 && java.util.concurrent.ThreadLocalRandom.current().nextDouble() < rate;
    }

    /** True (and counts down) when this submission is to be dropped after it was accepted. */
    boolean dropThisSubmit() {
        return dropsLeft.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
    }

    boolean isRsa() {
        return identity.privateKey() instanceof RSAPrivateKey;
    }

    /** Signs a bare hash (SHA-1/256/384/512 told by its length): PKCS#1 v1.5 for RSA, DER ECDSA for EC. */
    byte[] signHash(byte[] hash, boolean corrupt) {
        DigestAlgorithm algorithm = digestOfLength(hash.length);
        if (algorithm == null) {
            throw new IllegalArgumentException("a hash of " + hash.length + " bytes is no SHA-1/SHA-2 digest");
        }
        return isRsa() ? signDigestInfo(DigestSigning.digestInfo(algorithm, hash), corrupt) : raw("NONEwithECDSA", hash, corrupt);
    }

    /** Signs a DER DigestInfo (PKCS#1 format of TS 102 204): raw RSA PKCS#1 v1.5, or ECDSA over its hash. */
    byte[] signDigestInfo(byte[] digestInfo, boolean corrupt) {
        if (isRsa()) {
            return raw("NONEwithRSA", digestInfo, corrupt);
        }
        return raw("NONEwithECDSA", hashOf(digestInfo), corrupt);
    }

    /**
     * Wraps a raw value the way some services answer: a detached CMS SignedData with the
     * certificate and one SignerInfo, signing the hash itself or, with attributes, its own
     * contentType and messageDigest attributes. RAW returns the value unchanged.
     */
    byte[] contain(byte[] hash, byte[] raw, PhoneBehaviour.Container container) {
        if (container == PhoneBehaviour.Container.RAW) {
            return raw;
        }
        try {
            DigestAlgorithm digest = digestOfLength(hash.length);
            org.bouncycastle.asn1.x509.AlgorithmIdentifier digestId = new org.bouncycastle.asn1.x509.AlgorithmIdentifier(
                    new org.bouncycastle.asn1.ASN1ObjectIdentifier(digest.oid()));
            org.bouncycastle.asn1.ASN1Set signedAttributes = null;
            byte[] value = raw;
            if (container == PhoneBehaviour.Container.CMS_WITH_ATTRIBUTES) {
                org.bouncycastle.asn1.ASN1EncodableVector attributes = new org.bouncycastle.asn1.ASN1EncodableVector();
                attributes.add(new org.bouncycastle.asn1.cms.Attribute(org.bouncycastle.asn1.cms.CMSAttributes.contentType,
                        new org.bouncycastle.asn1.DERSet(org.bouncycastle.asn1.cms.CMSObjectIdentifiers.data)));
                attributes.add(new org.bouncycastle.asn1.cms.Attribute(org.bouncycastle.asn1.cms.CMSAttributes.messageDigest,
                        new org.bouncycastle.asn1.DERSet(new org.bouncycastle.asn1.DEROctetString(hash))));
                signedAttributes = new org.bouncycastle.asn1.DERSet(attributes);
                Signature s = Signature.getInstance(digest.jcaName().replace("-", "") + (isRsa() ? "withRSA" : "withECDSA"));
                s.initSign(identity.privateKey());
                s.update(signedAttributes.getEncoded(org.bouncycastle.asn1.ASN1Encoding.DER));
                value = s.sign();
            }
            org.bouncycastle.asn1.x509.AlgorithmIdentifier signatureId = new org.bouncycastle.asn1.x509.AlgorithmIdentifier(
                    isRsa() ? org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers.rsaEncryption
                            : org.bouncycastle.asn1.x9.X9ObjectIdentifiers.ecdsa_with_SHA256);
            org.bouncycastle.asn1.x509.Certificate cert = org.bouncycastle.asn1.x509.Certificate.getInstance(
                    identity.certificate().getEncoded());
            org.bouncycastle.asn1.cms.SignerInfo signer = new org.bouncycastle.asn1.cms.SignerInfo(
                    new org.bouncycastle.asn1.cms.SignerIdentifier(new org.bouncycastle.asn1.cms.IssuerAndSerialNumber(cert)),
                    digestId, signedAttributes, signatureId, new org.bouncycastle.asn1.DEROctetString(value), null);
            org.bouncycastle.asn1.cms.SignedData signedData = new org.bouncycastle.asn1.cms.SignedData(
                    new org.bouncycastle.asn1.DERSet(digestId),
                    new org.bouncycastle.asn1.cms.ContentInfo(org.bouncycastle.asn1.cms.CMSObjectIdentifiers.data, null),
                    new org.bouncycastle.asn1.DERSet(cert), null, new org.bouncycastle.asn1.DERSet(signer));
            return new org.bouncycastle.asn1.cms.ContentInfo(org.bouncycastle.asn1.cms.CMSObjectIdentifiers.signedData,
                    signedData).getEncoded(org.bouncycastle.asn1.ASN1Encoding.DER);
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("the simulator could not build a CMS container", e);
        }
    }

    /** The hash inside a DigestInfo of one of the four known prefixes, or an exception. */
    static byte[] hashOf(byte[] digestInfo) {
        for (DigestAlgorithm a : DigestAlgorithm.values()) {
            int n = a.length();
            if (digestInfo.length > n) {
                byte[] hash = Arrays.copyOfRange(digestInfo, digestInfo.length - n, digestInfo.length);
                if (Arrays.equals(DigestSigning.digestInfo(a, hash), digestInfo)) {
                    return hash;
                }
            }
        }
        throw new IllegalArgumentException("not a DER DigestInfo of SHA-1/SHA-2");
    }

    static DigestAlgorithm digestOfLength(int length) {
        for (DigestAlgorithm a : DigestAlgorithm.values()) {
            if (a.length() == length) {
                return a;
            }
        }
        return null;
    }

    private byte[] raw(String algorithm, byte[] input, boolean corrupt) {
        try {
            Signature s = Signature.getInstance(algorithm);
            s.initSign(identity.privateKey());
            s.update(input);
            byte[] value = s.sign();
            if (corrupt) {
                value[value.length / 2] ^= 0x5A;
            }
            return value;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the simulated key failed to sign", e);
        }
    }
}
