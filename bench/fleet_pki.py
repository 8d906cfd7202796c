#!/usr/bin/python3
"""fleet_pki.py: a fleet of distinct certificates for bench/run's
scenario 4, each with its own ECDSA P-256 key and name, signed by the lab
intermediate, and the nginx server blocks that serve them, one per name
(SNI), over a few ports.  certtool takes ~20 ms a certificate; this takes
well under one, which is what makes 10,000 practical.

usage: fleet_pki.py DIR COUNT ISSUER.pem ISSUER.key PORT0 NPORTS

Writes DIR/fNNNNN.pem (leaf + issuer) and DIR/fNNNNN.key, DIR/servers.conf
(the nginx server blocks), DIR/fleet.list (NAME:PORT per line) and
DIR/fleet.curl (check_curl's "-H NAME -p PORT" per line).
"""
import datetime
import os
import sys

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID


def main():
    out, count, ca_pem, ca_key, port0, nports = sys.argv[1:7]
    count, port0, nports = int(count), int(port0), int(nports)
    os.makedirs(out, exist_ok=True)
    issuer_pem = open(ca_pem, "rb").read()
    issuer = x509.load_pem_x509_certificate(issuer_pem)
    issuer_key = serialization.load_pem_private_key(
        open(ca_key, "rb").read(), password=None)
    # The issuer's own key identifier, however its maker computed it.
    aki = x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(
        issuer.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value)
    now = datetime.datetime.now(datetime.timezone.utc)
    # An ACME-like 90-day certificate, 30 days old: OK for certcheck.
    start, end = now - datetime.timedelta(days=30), now + datetime.timedelta(days=60)
    servers, targets, curl = [], [], []
    for i in range(count):
        name = "f%05d.fleet.test" % i
        port = port0 + i % nports
        key = ec.generate_private_key(ec.SECP256R1())
        cert = (x509.CertificateBuilder()
                .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)]))
                .issuer_name(issuer.subject)
                .public_key(key.public_key())
                .serial_number(x509.random_serial_number())
                .not_valid_before(start).not_valid_after(end)
                .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
                .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
                .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False,
                                             key_encipherment=False, data_encipherment=False,
                                             key_agreement=False, key_cert_sign=False,
                                             crl_sign=False, encipher_only=False,
                                             decipher_only=False), critical=True)
                .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]),
                               critical=False)
                # As an ACME CA's leaves have them: the issuer found by
                # key identifier, not by trying its signature.
                .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()),
                               critical=False)
                .add_extension(aki, critical=False)
                .sign(issuer_key, hashes.SHA256()))
        base = os.path.join(out, "f%05d" % i)
        with open(base + ".pem", "wb") as f:
            f.write(cert.public_bytes(serialization.Encoding.PEM) + issuer_pem)
        with open(base + ".key", "wb") as f:
            f.write(key.private_bytes(serialization.Encoding.PEM,
                                      serialization.PrivateFormat.PKCS8,
                                      serialization.NoEncryption()))
        servers.append(
            "    server {\n        listen 127.0.0.1:%d ssl;\n        server_name %s;\n"
            "        ssl_certificate %s.pem;\n        ssl_certificate_key %s.key;\n"
            "        return 200 \"ok\\n\";\n    }\n" % (port, name, base, base))
        targets.append("%s:%d\n" % (name, port))
        curl.append("-H %s -p %d\n" % (name, port))
    open(os.path.join(out, "servers.conf"), "w").write("".join(servers))
    open(os.path.join(out, "fleet.list"), "w").write("".join(targets))
    open(os.path.join(out, "fleet.curl"), "w").write("".join(curl))


if __name__ == "__main__":
    main()
