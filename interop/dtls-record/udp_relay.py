#!/usr/bin/env python3
"""Forwards UDP datagrams between one client and one server on 127.0.0.1 and logs each one.

usage: udp_relay.py LISTEN_PORT SERVER_PORT OUT_FILE [IDLE_SECONDS]

The client sends to LISTEN_PORT; the relay forwards to SERVER_PORT from a socket of its own and
sends the server's answers back to the client's address. Every datagram is written to OUT_FILE as
one line "c>s HEX" or "s>c HEX", in the order the relay saw them. The relay prints "ready" once
both sockets are bound and exits after IDLE_SECONDS without traffic (default 3) once it has seen some.
"""
import select
import socket
import sys


def main() -> None:
    listen_port, server_port, out_path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    idle = float(sys.argv[4]) if len(sys.argv) > 4 else 3.0
    front = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    front.bind(("127.0.0.1", listen_port))
    back = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    back.bind(("127.0.0.1", 0))
    server = ("127.0.0.1", server_port)
    client = None
    seen = False
    print("ready", flush=True)
    with open(out_path, "w", encoding="ascii") as out:
        while True:
            readable, _, _ = select.select([front, back], [], [], idle if seen else 60.0)
            if not readable:
                break
            for sock in readable:
                data, source = sock.recvfrom(65535)
                seen = True
                if sock is front:
                    client = source
                    out.write("c>s " + data.hex() + "\n")
                    back.sendto(data, server)
                elif client is not None:
                    out.write("s>c " + data.hex() + "\n")
                    front.sendto(data, client)
                out.flush()


if __name__ == "__main__":
    main()
