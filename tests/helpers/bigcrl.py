#!/usr/bin/env python3
"""bigcrl.py CA.pem CA.key N OUT [SERIAL-HEX]: a DER CRL of N entries
signed by the CA, built as DER directly (cryptography's builder copies
its list on every entry: minutes for 260,000) and signed by openssl
(cryptography refuses certtool's EC keys whose scalar has a leading
zero byte).  SERIAL-HEX, when given, is the last entry, so a lookup
must walk the whole list to find it."""
import datetime
import subprocess
import sys

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, rsa


def tlv(tag, body):
    n = len(body)
    if n < 0x80:
        head = bytes([n])
    else:
        b = n.to_bytes((n.bit_length() + 7) // 8, "big")
        head = bytes([0x80 | len(b)]) + b
    return bytes([tag]) + head + body


def integer(v):
    b = v.to_bytes(v.bit_length() // 8 + 1, "big")
    return tlv(0x02, b)


def utctime(t):
    return tlv(0x17, t.strftime("%y%m%d%H%M%SZ").encode())


def main():
    ca_pem, key_pem, n, out = sys.argv[1:5]
    last = int(sys.argv[5], 16) if len(sys.argv) > 5 else None
    ca = x509.load_pem_x509_certificate(open(ca_pem, "rb").read())
    pub = ca.public_key()
    if isinstance(pub, ec.EllipticCurvePublicKey):
        alg = tlv(0x30, tlv(0x06, bytes.fromhex("2a8648ce3d040302")))
    elif isinstance(pub, rsa.RSAPublicKey):
        alg = tlv(0x30, tlv(0x06, bytes.fromhex("2a864886f70d01010b")) + b"\x05\x00")
    else:
        sys.exit("bigcrl.py: unsupported CA key")

    def sign(data):
        return subprocess.run(["openssl", "dgst", "-sha256", "-sign", key_pem],
                              input=data, capture_output=True, check=True).stdout
    now = datetime.datetime.now(datetime.timezone.utc)
    when = utctime(now - datetime.timedelta(days=1))
    serials = [10**30 + i for i in range(int(n))]
    if last is not None:
        serials[-1] = last
    entries = b"".join(tlv(0x30, integer(s) + when) for s in serials)
    tbs = tlv(0x30, integer(1) + alg + ca.subject.public_bytes() +
              utctime(now - datetime.timedelta(hours=1)) +
              utctime(now + datetime.timedelta(days=7)) + tlv(0x30, entries))
    sig = sign(tbs)
    open(out, "wb").write(tlv(0x30, tbs + alg + tlv(0x03, b"\x00" + sig)))


main()
