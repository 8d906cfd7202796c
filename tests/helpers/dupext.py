#!/usr/bin/env python3
"""dupext.py CERT KEY NAME DIGEST_HEX: a tls-alpn-01 challenge certificate
for NAME whose acmeIdentifier extension appears twice, and its key (PEM).

Certificate builders refuse a repeated extension, so the certificate is
built with a stand-in OID of the same length (1.3.6.1.5.5.7.1.30), the
OID is then rewritten in the TBSCertificate to acmeIdentifier's
(1.3.6.1.5.5.7.1.31) and the result signed again with the same key.
Go's x509 parser (the CA's TLS client) refuses such a certificate.
"""
import base64
import datetime
import sys

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

ACME = bytes.fromhex("06082b0601050507011f")
STAND_IN = bytes.fromhex("06082b0601050507011e")


def der_len(n):
    if n < 0x80:
        return bytes([n])
    b = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(b)]) + b


def element_end(der, i):
    """Index after the DER element starting at i."""
    n = der[i + 1]
    if n < 0x80:
        return i + 2 + n
    k = n & 0x7F
    return i + 2 + k + int.from_bytes(der[i + 2:i + 2 + k], "big")


def main():
    cert_path, key_path, name, digest = sys.argv[1:5]
    key = ec.generate_private_key(ec.SECP256R1())
    value = x509.UnrecognizedExtension(
        x509.ObjectIdentifier("1.3.6.1.5.5.7.1.31"),
        bytes([0x04, 0x20]) + bytes.fromhex(digest))
    twin = x509.UnrecognizedExtension(
        x509.ObjectIdentifier("1.3.6.1.5.5.7.1.30"), value.value)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder()
            .subject_name(subject).issuer_name(subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=7))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]),
                           critical=False)
            .add_extension(value, critical=True)
            .add_extension(twin, critical=True)
            .sign(key, hashes.SHA256()))
    der = cert.public_bytes(serialization.Encoding.DER)
    tbs = cert.tbs_certificate_bytes
    assert tbs.count(STAND_IN) == 1
    tbs2 = tbs.replace(STAND_IN, ACME)
    start = der.index(tbs)
    alg_end = element_end(der, start + len(tbs))
    alg = der[start + len(tbs):alg_end]
    sig = key.sign(tbs2, ec.ECDSA(hashes.SHA256()))
    bits = b"\x03" + der_len(len(sig) + 1) + b"\x00" + sig
    body = tbs2 + alg + bits
    out = b"\x30" + der_len(len(body)) + body
    pem = (b"-----BEGIN CERTIFICATE-----\n" + base64.encodebytes(out) +
           b"-----END CERTIFICATE-----\n")
    with open(cert_path, "wb") as f:
        f.write(pem)
    with open(key_path, "wb") as f:
        f.write(key.private_bytes(serialization.Encoding.PEM,
                                  serialization.PrivateFormat.PKCS8,
                                  serialization.NoEncryption()))


if __name__ == "__main__":
    main()
