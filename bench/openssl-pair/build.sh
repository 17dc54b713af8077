#!/bin/sh
# Builds the OpenSSL BIO-pair anchor for `tlsengine bench` (needs gcc and libssl-dev).
set -e
cd "$(dirname "$0")"
gcc -O2 -o openssl-pair openssl-pair.c -lssl -lcrypto
