#!/usr/bin/env python3
"""samename.py N DIR NAME: a leaf for NAME and N-1 certificates whose
subjects and issuers alternate between two names, with no key
identifiers; certificate i is signed by the key of certificate i+1 (the
last by a key nobody sends).  Every certificate of the other name is an
issuer candidate at each step.  Written as
DIR/NAME.pem and DIR/NAME.key (the first, a leaf for NAME) and
DIR/NAME.chain.pem: the leaf, then the others in reverse (those alone
in DIR/NAME.extra.pem, for openssl s_server), so that laying
out the path tries nearly every certificate at every step, each try a
signature check (about N*N/2 in all)."""
import datetime
import sys

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

n, d, name = int(sys.argv[1]), sys.argv[2], sys.argv[3]
def dn(i):
    cn = name if i == 0 else ("same-a" if i % 2 else "same-b")
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])



keys = [ec.generate_private_key(ec.SECP256R1()) for _ in range(n + 1)]
now = datetime.datetime.now(datetime.timezone.utc)
certs = []
for i in range(n):
    b = (x509.CertificateBuilder().subject_name(dn(i)).issuer_name(dn(i + 1 if i + 1 < n else 1))
         .public_key(keys[i].public_key()).serial_number(x509.random_serial_number())
         .not_valid_before(now - datetime.timedelta(days=1))
         .not_valid_after(now + datetime.timedelta(days=30)))
    if i == 0:
        b = b.add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), False)
    certs.append(b.sign(keys[i + 1], hashes.SHA256()))
pem = [c.public_bytes(serialization.Encoding.PEM) for c in certs]
open(f"{d}/{name}.pem", "wb").write(pem[0])
open(f"{d}/{name}.key", "wb").write(keys[0].private_bytes(
    serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
    serialization.NoEncryption()))
rest = b"".join(reversed(pem[1:]))
open(f"{d}/{name}.chain.pem", "wb").write(pem[0] + rest)
open(f"{d}/{name}.extra.pem", "wb").write(rest)
