using System;

namespace TlsEngine;

/// <summary>How a TLS 1.3 PSK handshake may establish its keys (RFC 8446 §4.2.9).</summary>
[Flags]
public enum TlsPskKeyExchangeModes
{
    /// <summary>psk_dhe_ke: the PSK plus a fresh (EC)DHE or ML-KEM exchange, which gives forward secrecy.</summary>
    WithKeyExchange = 1,

    /// <summary>psk_ke: the PSK alone. No forward secrecy: whoever learns the key later can read recorded traffic.</summary>
    WithoutKeyExchange = 2,

    /// <summary>Either; a server that allows both chooses psk_dhe_ke whenever the client offers it.</summary>
    Both = WithKeyExchange | WithoutKeyExchange,
}
