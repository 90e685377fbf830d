/**
 * Test PKI and live loopback services for kyso's tests: {@link vn.kyso.testkit.TestPki}
 * (certificates shaped like Vietnam's two hierarchies, with special cases such as expired,
 * revoked, not-yet-valid and legacy SHA-1), {@link vn.kyso.testkit.TestIdentity} (key, chain,
 * PKCS#12 and PEM exports), {@link vn.kyso.testkit.TestServices} (RFC 3161 TSA, OCSP, CRL and
 * caIssuers on 127.0.0.1), {@link vn.kyso.testkit.TestPkiExtension} for JUnit 5, and
 * {@link vn.kyso.testkit.SoftHsm2} tokens holding test identities for PKCS#11 tests.
 *
 * <p>Everything here is for tests only: the keys are not secret and the CAs are not trusted
 * anywhere.
 */
package vn.kyso.testkit;
