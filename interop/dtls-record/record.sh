#!/usr/bin/env bash
# Records DTLS handshakes with one application-data exchange each way, through udp_relay.py, into
# src/TlsEngine.Tests/TestData/dtls13 (wolfSSL, DTLS 1.3) and .../dtls12 (OpenSSL, DTLS 1.2).
# Each recording is NAME.datagrams ("c>s HEX" / "s>c HEX", one datagram a line) and NAME.keylog
# (NSS key-log lines written by the client). Needs .ci/install-wolfssl-dtls13 and openssl.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
here="$root/interop/dtls-record"
pki="$root/src/TlsEngine.Tests/TestData/pki"
wolf="${WOLFSSL_DTLS13_PREFIX:-/opt/wolfssl-dtls13}"
tmp=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$tmp"' EXIT

free_port() { python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
# Waits until something has bound 127.0.0.1:PORT (or 0.0.0.0:PORT) for UDP.
wait_bound() {
  local hex; hex=$(printf '%04X' "$1")
  for _ in $(seq 100); do
    grep -qE "^ *[0-9]+: (0100007F|00000000):$hex " /proc/net/udp && return 0
    sleep 0.05
  done
  echo "nothing bound UDP port $1" >&2; return 1
}
# Starts the relay from port $1 to port $2 logging to $3, and waits until it is ready.
start_relay() {
  python3 "$here/udp_relay.py" "$1" "$2" "$3" 3 > "$tmp/relay.out" &
  relay=$!
  for _ in $(seq 100); do grep -q ready "$tmp/relay.out" 2>/dev/null && return 0; sleep 0.05; done
  echo "relay did not start" >&2; return 1
}

# wolfSSL DTLS 1.3: $1 = output name, $2 = extra flags for both ends (e.g. --cid).
record_wolfssl() {
  local name=$1 server_flags=$2 client_flags=$3 out="$root/src/TlsEngine.Tests/TestData/dtls13"
  mkdir -p "$out"; rm -f "$out/$name.keylog"
  local sport rport; sport=$(free_port); rport=$(free_port)
  (cd "$wolf" && exec timeout 20 bin/wolfssl-server -u -v 4 -p "$sport" -c "$pki/ecdsa-p256.pem" -k "$pki/ecdsa-p256.key.pem" -d $server_flags) > "$tmp/server.out" 2>&1 &
  local server=$!
  wait_bound "$sport"
  start_relay "$rport" "$sport" "$out/$name.datagrams"
  (cd "$wolf" && LD_PRELOAD="$wolf/lib/wolfssl-keylog.so" SSLKEYLOGFILE="$out/$name.keylog" \
     exec timeout 20 bin/wolfssl-client -u -v 4 -h 127.0.0.1 -p "$rport" -A "$pki/ca.pem" -x $client_flags) > "$tmp/client.out" 2>&1
  wait "$server"; wait "$relay"
  echo "== $name: server"; cat "$tmp/server.out"; echo "== $name: client"; cat "$tmp/client.out"
}

# OpenSSL DTLS 1.2: the client sends "ping", the server answers "pong".
record_openssl() {
  local name=$1 out="$root/src/TlsEngine.Tests/TestData/dtls12"
  mkdir -p "$out"; rm -f "$out/$name.keylog"
  local sport rport; sport=$(free_port); rport=$(free_port)
  mkfifo "$tmp/server.in"
  timeout 20 openssl s_server -dtls1_2 -accept "127.0.0.1:$sport" -naccept 1 \
    -cert "$pki/ecdsa-p256.pem" -key "$pki/ecdsa-p256.key.pem" < "$tmp/server.in" > "$tmp/server.out" 2>&1 &
  local server=$!
  exec 3> "$tmp/server.in"
  wait_bound "$sport"
  start_relay "$rport" "$sport" "$out/$name.datagrams"
  (echo ping; sleep 2) | timeout 20 openssl s_client -dtls1_2 -connect "127.0.0.1:$rport" -servername localhost \
    -CAfile "$pki/ca.pem" -verify_return_error -cipher ECDHE-ECDSA-AES128-GCM-SHA256 -groups X25519:P-256 \
    -quiet -no_ign_eof -keylogfile "$out/$name.keylog" > "$tmp/client.out" 2>&1 &
  local client=$!
  for _ in $(seq 100); do grep -q '^ping' "$tmp/server.out" && break; sleep 0.05; done
  echo pong >&3
  wait "$client"; exec 3>&-
  wait "$server" || true; wait "$relay"
  rm -f "$tmp/server.in"
  echo "== $name: server"; cat "$tmp/server.out"; echo "== $name: client"; cat "$tmp/client.out"
}

record_wolfssl wolfssl-dtls13 "" ""
record_wolfssl wolfssl-dtls13-cid "--cid ab" "--cid cd"
record_openssl openssl-dtls12
