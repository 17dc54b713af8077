#!/usr/bin/env bash
# Regenerates the test PKI: one root CA and one server certificate per key type, plus the
# certificates the negative tests need. Valid for 20 years from generation, except where noted.
#
#   generate.sh         regenerates paths/ (the path-validation PKI, issued under ca.pem); the base
#                       PKI below only when ca.key.pem is missing
#   generate.sh --all   regenerates everything; the fuzz corpus records handshakes made with the base
#                       PKI, so re-record it afterwards (fuzz/README.md, generate-corpus)
set -euo pipefail
cd "$(dirname "$0")"
base=no
if [[ "${1:-}" == "--all" || ! -f ca.key.pem ]]; then base=yes; fi
if [[ $base == yes ]]; then
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
echo "base test PKI regenerated in $(pwd)"
fi

# ---- paths/: one small PKI per RFC 5280 path rule, each with a case that breaks the rule and a
# case that keeps it. NAME.pem holds what a server sends (the certificate, then its intermediates,
# never the root); NAME.key.pem the key of each end-entity certificate. Issuer "root" is ca.pem.
rm -rf paths && mkdir paths
LEAF='basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth, clientAuth'
CA='basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign'
SAN='subjectAltName = DNS:localhost'
issuers=()

pkey() { # type file
  case "$1" in
    ec) openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$2" ;;
    secp256k1) openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:secp256k1 -out "$2" ;;
    rsa1024) openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out "$2" ;;
    rsa2048) openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$2" ;;
  esac
}

# issue NAME ISSUER KEYTYPE EXTENSIONS [DIGEST [SIGNING OPTIONS...]]: ISSUER is "root" (ca.pem), "self" (a new root) or a name in paths/.
issue() {
  local name="$1" issuer="$2" type="$3" ext="$4" digest="${5:-sha256}" dir=paths
  local -a options=("${@:6}")
  pkey "$type" "$dir/$name.key.pem"
  printf '[req]\ndistinguished_name=dn\n[dn]\n[x]\n%s\n[dir_sect]\nCN=Permitted Directory\n' "$ext" > "$dir/$name.cnf"
  if [[ $issuer == self ]]; then
    openssl req -x509 -new -key "$dir/$name.key.pem" -subj "/CN=$name" -days 7300 "-$digest" \
      -config "$dir/$name.cnf" -extensions x -out "$dir/$name.pem"
    return
  fi
  local ca=ca.pem cakey=ca.key.pem chain=/dev/null
  if [[ $issuer != root ]]; then
    ca="$dir/$issuer.pem" cakey="$dir/$issuer.key.pem" chain="$dir/$issuer.pem"
    # An intermediate's file holds its own chain too; a root's file is only itself.
    if grep -q "^$issuer\$" "$dir/roots" 2>/dev/null; then chain=/dev/null; fi
  fi
  issuers+=("$issuer")
  openssl req -new -key "$dir/$name.key.pem" -subj "/CN=${SUBJECT:-$name}" -config "$dir/$name.cnf" -out "$dir/$name.csr"
  openssl x509 -req -in "$dir/$name.csr" -CA "$ca" -CAkey "$cakey" -CAcreateserial -CAserial "$dir/serial" \
    -days 7300 "-$digest" ${options[@]+"${options[@]}"} -extfile "$dir/$name.cnf" -extensions x -out "$dir/$name.crt"
  cat "$dir/$name.crt" "$chain" > "$dir/$name.pem"
  rm -f "$dir/$name.csr" "$dir/$name.crt"
}
root() { issue "$1" self ec "$2"; echo "$1" >> paths/roots; }

# Unknown critical extensions (RFC 5280 §4.2), in a leaf and in an intermediate; the same
# extension non-critical is ignored. certificatePolicies is not processed, so critical it fails too.
issue critical-ext-leaf root ec "$LEAF
$SAN
1.3.6.1.4.1.55555.1 = critical, ASN1:NULL"
issue noncritical-ext-leaf root ec "$LEAF
$SAN
1.3.6.1.4.1.55555.1 = ASN1:NULL
certificatePolicies = 2.23.140.1.2.1"
issue critical-policies-leaf root ec "$LEAF
$SAN
certificatePolicies = critical, 2.23.140.1.2.1"
issue critical-ext-int root ec "$CA
1.3.6.1.4.1.55555.1 = critical, ASN1:NULL"
issue critical-ext-int-leaf critical-ext-int ec "$LEAF
$SAN"

# Name constraints (RFC 5280 §4.2.1.10) in intermediates and in an anchor.
issue nc-permit-int root ec "$CA
nameConstraints = critical, permitted;DNS:example.org, permitted;IP:127.0.0.0/255.0.0.0"
issue nc-permit-localhost nc-permit-int ec "$LEAF
subjectAltName = DNS:localhost, IP:127.0.0.1"
issue nc-permit-inside nc-permit-int ec "$LEAF
subjectAltName = DNS:example.org, DNS:www.example.org, DNS:*.api.example.org, IP:127.0.0.1"
issue nc-permit-lookalike nc-permit-int ec "$LEAF
subjectAltName = DNS:badexample.org"
issue nc-permit-ip-outside nc-permit-int ec "$LEAF
subjectAltName = DNS:www.example.org, IP:10.1.2.3"
issue nc-exclude-int root ec "$CA
nameConstraints = critical, excluded;DNS:bad.example.org, excluded;IP:10.0.0.0/255.0.0.0, excluded;IP:fd00:0:0:0:0:0:0:0/ff00:0:0:0:0:0:0:0"
issue nc-exclude-inside nc-exclude-int ec "$LEAF
subjectAltName = DNS:good.example.org, DNS:www.bad.example.org"
issue nc-exclude-outside nc-exclude-int ec "$LEAF
subjectAltName = DNS:good.example.org, DNS:notbad.example.org, IP:127.0.0.1, IP:::1"
issue nc-exclude-wildcard nc-exclude-int ec "$LEAF
subjectAltName = DNS:*.example.org"
issue nc-exclude-ip nc-exclude-int ec "$LEAF
subjectAltName = DNS:good.example.org, IP:10.9.9.9"
issue nc-exclude-ipv6 nc-exclude-int ec "$LEAF
subjectAltName = DNS:good.example.org, IP:fd12:0:0:0:0:0:0:1"
issue nc-dot-int root ec "$CA
nameConstraints = critical, permitted;DNS:.example.org"
issue nc-dot-apex nc-dot-int ec "$LEAF
subjectAltName = DNS:example.org"
issue nc-dot-sub nc-dot-int ec "$LEAF
subjectAltName = DNS:www.example.org"
issue nc-ipv6-int root ec "$CA
nameConstraints = critical, permitted;IP:2001:db8:0:0:0:0:0:0/ffff:ffff:0:0:0:0:0:0"
issue nc-ipv6-inside nc-ipv6-int ec "$LEAF
subjectAltName = DNS:localhost, IP:2001:db8:0:0:0:0:0:1"
issue nc-ipv6-outside nc-ipv6-int ec "$LEAF
subjectAltName = DNS:localhost, IP:2001:db9:0:0:0:0:0:1"
issue nc-ipv6-v4 nc-ipv6-int ec "$LEAF
subjectAltName = DNS:localhost, IP:127.0.0.1"
root nc-root "$CA
nameConstraints = critical, permitted;DNS:example.org"
issue nc-root-localhost nc-root ec "$LEAF
$SAN"
issue nc-root-inside nc-root ec "$LEAF
subjectAltName = DNS:www.example.org"
# Forms that are not processed: fatal only where a certificate below presents that form.
issue nc-email-int root ec "$CA
nameConstraints = critical, permitted;email:example.org"
issue nc-email-present nc-email-int ec "$LEAF
subjectAltName = DNS:localhost, email:someone@example.org"
issue nc-email-absent nc-email-int ec "$LEAF
$SAN"
issue nc-dirname-int root ec "$CA
nameConstraints = critical, permitted;dirName:dir_sect"
issue nc-dirname-leaf nc-dirname-int ec "$LEAF
$SAN"

# Path length (RFC 5280 §4.2.1.9) of an anchor; a self-issued intermediate (a CA rolling over
# its key) does not count.
root pathlen0-root "$CA
basicConstraints = critical, CA:TRUE, pathlen:0"
issue pathlen0-leaf pathlen0-root ec "$LEAF
$SAN"
issue pathlen0-int pathlen0-root ec "$CA"
issue pathlen0-int-leaf pathlen0-int ec "$LEAF
$SAN"
root pathlen1-root "$CA
basicConstraints = critical, CA:TRUE, pathlen:1"
SUBJECT="Rollover CA" issue rollover-old pathlen1-root ec "$CA"
SUBJECT="Rollover CA" issue rollover-new rollover-old ec "$CA"
issue rollover-leaf rollover-new ec "$LEAF
$SAN"

# Weak keys and signature algorithms.
issue rsa1024-leaf root rsa1024 "$LEAF
$SAN"
issue sha1-leaf root ec "$LEAF
$SAN" sha1
issue rsa-int root rsa2048 "$CA"
issue rsa-int-leaf rsa-int ec "$LEAF
$SAN"
issue md5-leaf rsa-int ec "$LEAF
$SAN" md5
# RSASSA-PSS certificate signatures: with SHA-256 accepted, with SHA-1 refused.
issue pss-leaf rsa-int ec "$LEAF
$SAN" sha256 -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:32
issue pss-sha1-leaf rsa-int ec "$LEAF
$SAN" sha1 -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:20
issue rsa1024-int root rsa1024 "$CA"
issue rsa1024-int-leaf rsa1024-int ec "$LEAF
$SAN"
issue secp256k1-int root secp256k1 "$CA"
issue secp256k1-int-leaf secp256k1-int ec "$LEAF
$SAN"

# A CA's extended key usage limits what it may issue for.
issue eku-client-int root ec "$CA
extendedKeyUsage = clientAuth"
issue eku-client-int-leaf eku-client-int ec "$LEAF
$SAN"

# Key usage and extended key usage of the leaf, and an issuer's basic constraints and key usage.
issue ku-no-signature-leaf root ec "basicConstraints = critical, CA:FALSE
keyUsage = critical, keyAgreement
$SAN"
issue eku-client-leaf root ec "basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
$SAN"
issue eku-server-leaf root ec "basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
$SAN"
issue no-certsign-int root ec "basicConstraints = critical, CA:TRUE
keyUsage = critical, digitalSignature"
issue no-certsign-int-leaf no-certsign-int ec "$LEAF
$SAN"
issue not-ca-int root ec "basicConstraints = critical, CA:FALSE
keyUsage = critical, keyCertSign"
issue not-ca-int-leaf not-ca-int ec "$LEAF
$SAN"

# CA keys are not needed by the tests.
for name in "${issuers[@]}"; do [[ $name == root ]] || rm -f "paths/$name.key.pem"; done
rm -f paths/*.cnf paths/serial paths/roots
echo "path-validation PKI regenerated in $(pwd)/paths"
