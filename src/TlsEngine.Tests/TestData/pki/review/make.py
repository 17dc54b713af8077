#!/usr/bin/env python3
"""Hand-built certificates that openssl's tools will not make, issued under ../ca.pem.

Run from this folder: python3 make.py. Needs the 'cryptography' package for keys and signatures;
the DER of each certificate is assembled here so that the fields can break the rules on purpose.
"""
import datetime
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

def tlv(tag, content):
    n = len(content)
    if n < 0x80:
        head = bytes([n])
    else:
        b = n.to_bytes((n.bit_length() + 7) // 8, 'big')
        head = bytes([0x80 | len(b)]) + b
    return bytes([tag]) + head + content

def seq(*items): return tlv(0x30, b''.join(items))
def oid(dotted):
    parts = [int(p) for p in dotted.split('.')]
    out = bytes([parts[0] * 40 + parts[1]])
    for p in parts[2:]:
        enc = [p & 0x7F]
        p >>= 7
        while p:
            enc.insert(0, 0x80 | (p & 0x7F)); p >>= 7
        out += bytes(enc)
    return tlv(0x06, out)
def integer(v): return tlv(0x02, v.to_bytes((v.bit_length() + 8) // 8, 'big'))
def octets(b): return tlv(0x04, b)
def boolean(v): return tlv(0x01, b'\xff' if v else b'\x00')
def utctime(dt): return tlv(0x17, dt.strftime('%y%m%d%H%M%SZ').encode())
def name(cn): return seq(tlv(0x31, seq(oid('2.5.4.3'), tlv(0x0C, cn.encode()))))
def ext(o, value, critical=False): return seq(oid(o), *( [boolean(True)] if critical else [] ), octets(value))
def san(*dns): return seq(*[tlv(0x82, d.encode()) for d in dns])

ECDSA_SHA256 = seq(oid('1.2.840.10045.4.3.2'))
ECDSA_SHA384 = seq(oid('1.2.840.10045.4.3.3'))
LEAF_BASICS = [ext('2.5.29.19', seq()), ext('2.5.29.37', seq(oid('1.3.6.1.5.5.7.3.1'), oid('1.3.6.1.5.5.7.3.2')))]

with open('../ca.pem', 'rb') as f:
    from cryptography import x509
    ca = x509.load_pem_x509_certificate(f.read())
with open('../ca.key.pem', 'rb') as f:
    ca_key = serialization.load_pem_private_key(f.read(), None)
ca_subject = ca.subject.public_bytes()
now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
serial = [0x5EED0000]

def leaf(file, extensions, version=2, inner_alg=ECDSA_SHA256, outer_alg=ECDSA_SHA256, subject='review', hash_alg=hashes.SHA256()):
    key = ec.generate_private_key(ec.SECP256R1())
    spki = key.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    serial[0] += 1
    fields = []
    if version is not None:
        fields.append(tlv(0xA0, integer(version)))
    fields += [integer(serial[0]), inner_alg, ca_subject,
               seq(utctime(now - datetime.timedelta(days=1)), utctime(now + datetime.timedelta(days=7300))),
               name(subject), spki]
    if extensions is not None:
        fields.append(tlv(0xA3, seq(*extensions)))
    tbs = seq(*fields)
    signature = ca_key.sign(tbs, ec.ECDSA(hash_alg))
    cert = seq(tbs, outer_alg, tlv(0x03, b'\x00' + signature))
    import base64
    body = base64.encodebytes(cert).decode().replace('\n', '')
    text = '-----BEGIN CERTIFICATE-----\n' + '\n'.join(body[i:i + 64] for i in range(0, len(body), 64)) + '\n-----END CERTIFICATE-----\n'
    with open(file + '.pem', 'w') as f: f.write(text)
    with open(file + '.key.pem', 'wb') as f:
        f.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))

UNKNOWN = '1.3.6.1.4.1.55555.1'
# The same extension twice (RFC 5280 §4.2: "MUST NOT include more than one instance"): an unknown
# extension first critical, then not; and subjectAltName twice.
leaf('dup-critical-ext', LEAF_BASICS + [ext('2.5.29.17', san('localhost')), ext(UNKNOWN, tlv(0x05, b''), True), ext(UNKNOWN, tlv(0x05, b''))])
leaf('dup-critical-ext-reversed', LEAF_BASICS + [ext('2.5.29.17', san('localhost')), ext(UNKNOWN, tlv(0x05, b'')), ext(UNKNOWN, tlv(0x05, b''), True)])
leaf('dup-san', LEAF_BASICS + [ext('2.5.29.17', san('localhost')), ext('2.5.29.17', san('localhost'))])
# Extensions in a v1 and a v2 certificate (RFC 5280 §4.1.2.9: only in v3), restricting the key to
# key encipherment: a v3 parser would refuse the key for signatures.
KU_ENCIPHER_ONLY = ext('2.5.29.15', tlv(0x03, b'\x05\x20'), True)
leaf('v1-with-extensions', LEAF_BASICS + [ext('2.5.29.17', san('localhost')), KU_ENCIPHER_ONLY], version=None)
leaf('v2-with-extensions', LEAF_BASICS + [ext('2.5.29.17', san('localhost')), KU_ENCIPHER_ONLY], version=1)
leaf('v3-encipher-only', LEAF_BASICS + [ext('2.5.29.17', san('localhost')), KU_ENCIPHER_ONLY])
# tbsCertificate.signature differs from the outer signatureAlgorithm (RFC 5280 §4.1.1.2: MUST match).
leaf('sigalg-mismatch', LEAF_BASICS + [ext('2.5.29.17', san('localhost'))], inner_alg=ECDSA_SHA384)
leaf('sigalg-mismatch-outer', LEAF_BASICS + [ext('2.5.29.17', san('localhost'))], outer_alg=ECDSA_SHA384)
# A control that must pass.
leaf('good', LEAF_BASICS + [ext('2.5.29.17', san('localhost'))])
