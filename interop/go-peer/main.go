// A Go crypto/tls peer for TlsEngine's interop tests (standard library only, builds offline).
//
//	go-peer server PORT CERT KEY VERSION [GROUP]   echoes each line back, one connection
//	go-peer client PORT CAFILE NAME VERSION LINE   sends LINE, prints the reply
//
// VERSION is 1.2 or 1.3; GROUP (server) is x25519, p256 or p384 and forces that curve.
package main

import (
	"bufio"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"os"
	"strings"
	"time"
)

func version(v string) uint16 {
	if v == "1.2" {
		return tls.VersionTLS12
	}
	return tls.VersionTLS13
}

func fail(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, format+"\n", args...)
	os.Exit(1)
}

func main() {
	if len(os.Args) < 6 {
		fail("usage: go-peer server PORT CERT KEY VERSION [GROUP] | client PORT CAFILE NAME VERSION LINE")
	}
	switch os.Args[1] {
	case "server":
		serve(os.Args[2], os.Args[3], os.Args[4], os.Args[5], os.Args[6:])
	case "client":
		if len(os.Args) < 7 {
			fail("client needs a line to send")
		}
		connect(os.Args[2], os.Args[3], os.Args[4], os.Args[5], os.Args[6])
	default:
		fail("unknown mode %s", os.Args[1])
	}
}

func serve(port, certFile, keyFile, v string, rest []string) {
	certificate, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		fail("load: %v", err)
	}
	config := &tls.Config{Certificates: []tls.Certificate{certificate}, MinVersion: version(v), MaxVersion: version(v)}
	if len(rest) > 0 {
		curves := map[string]tls.CurveID{"x25519": tls.X25519, "p256": tls.CurveP256, "p384": tls.CurveP384}
		config.CurvePreferences = []tls.CurveID{curves[rest[0]]}
	}
	listener, err := tls.Listen("tcp", "127.0.0.1:"+port, config)
	if err != nil {
		fail("listen: %v", err)
	}
	fmt.Println("LISTENING")
	connection, err := listener.Accept()
	if err != nil {
		fail("accept: %v", err)
	}
	defer connection.Close()
	connection.SetDeadline(time.Now().Add(20 * time.Second))
	state := connection.(*tls.Conn)
	if err := state.Handshake(); err != nil {
		fail("handshake: %v", err)
	}
	reader := bufio.NewReader(connection)
	line, err := reader.ReadString('\n')
	if err != nil {
		fail("read: %v", err)
	}
	connection.Write([]byte("go: " + line))
	fmt.Printf("SERVED version=%x suite=%x\n", state.ConnectionState().Version, state.ConnectionState().CipherSuite)
}

func connect(port, caFile, name, v, line string) {
	pem, err := os.ReadFile(caFile)
	if err != nil {
		fail("ca: %v", err)
	}
	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(pem)
	config := &tls.Config{RootCAs: roots, ServerName: name, MinVersion: version(v), MaxVersion: version(v)}
	connection, err := tls.DialWithDialer(&net.Dialer{Timeout: 10 * time.Second}, "tcp", "127.0.0.1:"+port, config)
	if err != nil {
		fail("dial: %v", err)
	}
	defer connection.Close()
	connection.SetDeadline(time.Now().Add(20 * time.Second))
	connection.Write([]byte(line + "\n"))
	reply, err := bufio.NewReader(connection).ReadString('\n')
	if err != nil {
		fail("read: %v", err)
	}
	fmt.Print(strings.TrimSpace(reply) + "\n")
	fmt.Printf("CONNECTED version=%x\n", connection.ConnectionState().Version)
}
