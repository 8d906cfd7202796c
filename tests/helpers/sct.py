#!/usr/bin/env python3
"""sct.py: embedded SCTs for the lab (RFC 6962 section 3.3).

sct.py logs DIR N
    Make N lab CT logs: an ECDSA P-256 key each (DIR/logK.key) and the
    log list certcheck --ct-logs reads (DIR/ct-logs.json), where a log's
    ID is the SHA-256 of its public key (SubjectPublicKeyInfo, DER).
    Log K's operator is "certdiag lab operator K": every log is run by
    an operator of its own (edit the list to make two logs share one).

sct.py ext DIR SPEC
    Print a certtool template value for add_extension: the SCT list
    extension (1.3.6.1.4.1.11129.2.4.2), an OCTET STRING holding the
    TLS-encoded SignedCertificateTimestampList.  SPEC is a comma-separated
    list of log numbers (0-based, repeats allowed); "u" is a log that is
    in no list; "id=BASE64" is the log with that ID (a real log's, whose
    key the lab does not have).  Each SCT is signed by its log's key over a stand-in
    message: certcheck attributes SCTs and does not verify them.
"""
import base64
import hashlib
import json
import os
import struct
import sys
import time

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

OID = "1.3.6.1.4.1.11129.2.4.2"


def der_len(n):
    if n < 0x80:
        return bytes([n])
    b = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(b)]) + b


def log_id(key):
    spki = key.public_key().public_bytes(
        serialization.Encoding.DER,
        serialization.PublicFormat.SubjectPublicKeyInfo)
    return hashlib.sha256(spki).digest()


def load(d, i):
    with open(os.path.join(d, "log%d.key" % i), "rb") as f:
        return serialization.load_pem_private_key(f.read(), None)


def logs(d, n):
    out = []
    for i in range(n):
        key = ec.generate_private_key(ec.SECP256R1())
        with open(os.path.join(d, "log%d.key" % i), "wb") as f:
            f.write(key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption()))
        out.append({"log_id": base64.b64encode(log_id(key)).decode(),
                    "description": "certdiag lab log %d" % i,
                    "operator": "certdiag lab operator %d" % i})
    with open(os.path.join(d, "ct-logs.json"), "w") as f:
        json.dump(out, f, indent=1)


def sct(key, ts, lid=None):
    if lid is None:
        lid = log_id(key) if key is not None else os.urandom(32)
    signer = key if key is not None else ec.generate_private_key(
        ec.SECP256R1())
    sig = signer.sign(b"certdiag lab SCT", ec.ECDSA(hashes.SHA256()))
    # version v1 (0), log id, timestamp (ms), no extensions, then the
    # digitally-signed struct: SHA-256 (4), ECDSA (3), the signature.
    body = (b"\x00" + lid + struct.pack(">Q", ts) + b"\x00\x00" +
            b"\x04\x03" + struct.pack(">H", len(sig)) + sig)
    return struct.pack(">H", len(body)) + body


def ext(d, spec):
    ts = int(time.time() * 1000) - 3600 * 1000
    scts = b""
    for k, s in enumerate(spec.split(",")):
        if s.startswith("id="):
            scts += sct(None, ts + k, base64.b64decode(s[3:]))
        else:
            scts += sct(None if s == "u" else load(d, int(s)), ts + k)
    lst = struct.pack(">H", len(scts)) + scts
    print("%s 0x%s" % (OID, (b"\x04" + der_len(len(lst)) + lst).hex()))


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "logs":
        logs(sys.argv[2], int(sys.argv[3]))
    elif len(sys.argv) == 4 and sys.argv[1] == "ext":
        ext(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
