#!/usr/bin/env bash
# Regenerates the test PKI: one root CA and one server certificate per key type, plus the
# certificates the negative tests need. Valid for 20 years from generation, except where noted.
set -euo pipefail
cd "$(dirname "$0")"
rm -f *.pem *.srl *.csr *.cnf

cat > ext.cnf <<'CNF'
[server]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth, clientAuth
subjectAltName = DNS:localhost, DNS:*.test.example, IP:127.0.0.1
[ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[other]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
subjectAltName = DNS:other.example
CNF

key() { # type file
  case "$1" in
    ecdsa-p256) openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$2" ;;
    ecdsa-p384) openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out "$2" ;;
    rsa2048) openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$2" ;;
    ed25519) openssl genpkey -algorithm ED25519 -out "$2" ;;
  esac
}

key ecdsa-p256 ca.key.pem
openssl req -x509 -new -key ca.key.pem -subj "/CN=TlsEngine Test Root" -days 7300 -sha256 \
  -extensions ca -config <(printf '[req]\ndistinguished_name=dn\n[dn]\n'; cat ext.cnf) -out ca.pem

for type in ecdsa-p256 ecdsa-p384 rsa2048 ed25519; do
  key "$type" "$type.key.pem"
  openssl req -new -key "$type.key.pem" -subj "/CN=localhost ($type)" -out "$type.csr"
  openssl x509 -req -in "$type.csr" -CA ca.pem -CAkey ca.key.pem -CAcreateserial -days 7300 -sha256 \
    -extfile ext.cnf -extensions server -out "$type.pem"
done

# A second, untrusted root and a server certificate under it.
key ecdsa-p256 rogue-ca.key.pem
openssl req -x509 -new -key rogue-ca.key.pem -subj "/CN=Rogue Root" -days 7300 -sha256 \
  -extensions ca -config <(printf '[req]\ndistinguished_name=dn\n[dn]\n'; cat ext.cnf) -out rogue-ca.pem
key ecdsa-p256 untrusted.key.pem
openssl req -new -key untrusted.key.pem -subj "/CN=localhost (untrusted)" -out untrusted.csr
openssl x509 -req -in untrusted.csr -CA rogue-ca.pem -CAkey rogue-ca.key.pem -CAcreateserial -days 7300 \
  -extfile ext.cnf -extensions server -out untrusted.pem

# A certificate for another name (host name mismatch). Expiry is tested by injecting a clock
# past every certificate's notAfter, which needs no extra certificate.
key ecdsa-p256 othername.key.pem
openssl req -new -key othername.key.pem -subj "/CN=other.example" -out othername.csr
openssl x509 -req -in othername.csr -CA ca.pem -CAkey ca.key.pem -CAcreateserial -days 7300 \
  -extfile ext.cnf -extensions other -out othername.pem

rm -f *.csr *.srl ext.cnf
echo "test PKI regenerated in $(pwd)"
