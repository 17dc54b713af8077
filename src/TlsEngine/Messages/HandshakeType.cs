namespace TlsEngine.Messages;

internal static class HandshakeType
{
    public const byte HelloRequest = 0;
    public const byte ClientHello = 1;
    public const byte ServerHello = 2;

    /// <summary>DTLS 1.2 only (RFC 6347 §4.2.1).</summary>
    public const byte HelloVerifyRequest = 3;
    public const byte NewSessionTicket = 4;
    public const byte EndOfEarlyData = 5;
    public const byte EncryptedExtensions = 8;
    public const byte Certificate = 11;
    public const byte ServerKeyExchange = 12;
    public const byte CertificateRequest = 13;
    public const byte ServerHelloDone = 14;
    public const byte CertificateVerify = 15;
    public const byte ClientKeyExchange = 16;
    public const byte Finished = 20;
    public const byte KeyUpdate = 24;
    public const byte MessageHash = 254;

    public static string Name(byte type) => type switch
    {
        HelloRequest => "HelloRequest",
        ClientHello => "ClientHello",
        ServerKeyExchange => "ServerKeyExchange",
        ServerHelloDone => "ServerHelloDone",
        ClientKeyExchange => "ClientKeyExchange",
        ServerHello => "ServerHello",
        HelloVerifyRequest => "HelloVerifyRequest",
        NewSessionTicket => "NewSessionTicket",
        EndOfEarlyData => "EndOfEarlyData",
        EncryptedExtensions => "EncryptedExtensions",
        Certificate => "Certificate",
        CertificateRequest => "CertificateRequest",
        CertificateVerify => "CertificateVerify",
        Finished => "Finished",
        KeyUpdate => "KeyUpdate",
        _ => $"handshake type {type}",
    };
}

internal static class ExtensionType
{
    public const ushort ServerName = 0;
    public const ushort MaxFragmentLength = 1;
    public const ushort StatusRequest = 5;
    public const ushort SupportedGroups = 10;
    public const ushort EcPointFormats = 11;
    public const ushort SignatureAlgorithms = 13;
    public const ushort Alpn = 16;
    public const ushort ClientCertificateType = 19;
    public const ushort ServerCertificateType = 20;
    public const ushort ExtendedMasterSecret = 23;
    public const ushort RecordSizeLimit = 28;
    public const ushort SessionTicket = 35;
    public const ushort PreSharedKey = 41;
    public const ushort EarlyData = 42;
    public const ushort SupportedVersions = 43;
    public const ushort Cookie = 44;
    public const ushort PskKeyExchangeModes = 45;
    public const ushort CertificateAuthorities = 47;
    public const ushort SignatureAlgorithmsCert = 50;
    public const ushort KeyShare = 51;

    /// <summary>RFC 9146 §3, RFC 9147 §9: the connection id the sender wants on records sent to it; datagrams only.</summary>
    public const ushort ConnectionId = 54;
    public const ushort RenegotiationInfo = 0xFF01;
}
