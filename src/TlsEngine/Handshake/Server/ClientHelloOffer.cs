using System;
using System.Collections.Generic;
using TlsEngine.Handshake.Server.Tls12;
using TlsEngine.Messages;

namespace TlsEngine.Handshake.Server;

/// <summary>The parts of a ClientHello the server negotiates from, decoded and checked once.</summary>
internal sealed class ClientHelloOffer
{
    public ClientHelloOffer(ClientHello hello)
    {
        Hello = hello;
        // RFC 8446 Appendix D.5: SSL 3.0 or older in legacy_version is refused even when supported_versions offers TLS 1.3.
        if (hello.LegacyVersion <= 0x0300)
        {
            throw new TlsFailureException(TlsFailureReason.ObsoleteLegacyVersion, $"ClientHello legacy_version 0x{hello.LegacyVersion:X4} is SSL 3.0 or older.");
        }

        if (hello.HasDuplicateExtension)
        {
            throw new TlsFailureException(TlsFailureReason.DuplicateExtension, "ClientHello repeats an extension.");
        }

        Extension? versions = hello.Find(ExtensionType.SupportedVersions);
        if (versions != null)
        {
            if (!ExtensionBlock.TryReadU16List(versions.Data, 1, out List<ushort> versionList))
            {
                throw TlsFailureException.Decode("ClientHello has a malformed supported_versions extension.");
            }

            // RFC 9147 §5.3: a DTLS client lists DTLS numbers, read here as the TLS versions they stand for.
            Versions = hello.Datagram ? DatagramVersions.FromDatagramList(versionList) : versionList;
        }
        else if (hello.Datagram)
        {
            Versions = hello.LegacyVersion == DatagramVersions.Dtls12 ? new List<ushort> { (ushort)TlsVersion.Tls12 } : new List<ushort>();
        }
        else
        {
            // RFC 8446 §4.2.1: without supported_versions, legacy_version is the client's highest version.
            Versions = hello.LegacyVersion >= (ushort)TlsVersion.Tls12 ? new List<ushort> { (ushort)TlsVersion.Tls12 } : new List<ushort>();
        }

        // Neither version allows compression; TLS 1.3 demands exactly the null method.
        if (Array.IndexOf(hello.CompressionMethods, (byte)0) < 0)
        {
            throw new TlsFailureException(TlsFailureReason.CompressionNotNull, "ClientHello does not offer the null compression method.");
        }

        Extension? groups = hello.Find(ExtensionType.SupportedGroups);
        Extension? shares = hello.Find(ExtensionType.KeyShare);
        Extension? signatures = hello.Find(ExtensionType.SignatureAlgorithms);
        var groupList = new List<ushort>();
        var shareList = new List<KeyShareEntry>();
        var schemeList = new List<ushort>();
        if ((groups != null && !ExtensionBlock.TryReadU16List(groups.Data, 2, out groupList))
            || (shares != null && !ExtensionCodecs.TryDecodeClientKeyShares(shares.Data, out shareList))
            || (signatures != null && !ExtensionBlock.TryReadU16List(signatures.Data, 2, out schemeList)))
        {
            throw TlsFailureException.Decode("ClientHello has a malformed extension.");
        }

        // RFC 8446 §9.2: a ClientHello with key_share must carry supported_groups.
        if (shares != null && groups == null)
        {
            throw TlsFailureException.MissingExtension("ClientHello has key_share but no supported_groups.");
        }

        var seen = new HashSet<ushort>();
        foreach (KeyShareEntry entry in shareList)
        {
            // RFC 8446 §4.2.8: one share per group, and only for groups in supported_groups.
            if (!seen.Add(entry.Group) || !groupList.Contains(entry.Group))
            {
                throw new TlsFailureException(TlsFailureReason.InvalidKeyShare, "ClientHello has a duplicate or unadvertised key share.");
            }
        }

        HasKeyShareExtension = shares != null;
        HasSignatureAlgorithms = signatures != null;
        Groups = groupList;
        KeyShares = shareList;
        SignatureSchemes = schemeList;

        Extension? alpn = hello.Find(ExtensionType.Alpn);
        if (alpn != null)
        {
            if (!ExtensionCodecs.TryDecodeAlpn(alpn.Data, out List<string> protocols))
            {
                throw TlsFailureException.Decode("ClientHello has a malformed ALPN extension.");
            }

            ApplicationProtocols = protocols;
        }

        Extension? serverName = hello.Find(ExtensionType.ServerName);
        if (serverName != null)
        {
            if (!ExtensionCodecs.TryDecodeServerName(serverName.Data, out string? name))
            {
                throw TlsFailureException.Decode("ClientHello has a malformed server_name extension.");
            }

            ServerName = name;
        }

        Extension? cookie = hello.Find(ExtensionType.Cookie);
        if (cookie != null)
        {
            Cookie = ExtensionCodecs.TryDecodeCookie(cookie.Data, out byte[] value) ? value : throw TlsFailureException.Decode("ClientHello has a malformed cookie.");
        }

        Extension? modes = hello.Find(ExtensionType.PskKeyExchangeModes);
        if (modes != null)
        {
            if (!ExtensionCodecs.TryDecodePskModes(modes.Data, out bool pskOnly, out bool pskWithKeyExchange))
            {
                throw TlsFailureException.Decode("ClientHello has a malformed psk_key_exchange_modes extension.");
            }

            PskModes = (pskOnly, pskWithKeyExchange);
        }

        Extension? preSharedKey = hello.Find(ExtensionType.PreSharedKey);
        if (preSharedKey != null)
        {
            // RFC 8446 §4.2.11: the binders are computed over everything before them, so pre_shared_key comes last.
            if (!ReferenceEquals(hello.Extensions[hello.Extensions.Count - 1], preSharedKey))
            {
                throw new TlsFailureException(TlsFailureReason.MisplacedExtension, "pre_shared_key is not the last extension of the ClientHello.");
            }

            PreSharedKey = PreSharedKeyOffer.TryParse(preSharedKey.Data) ?? throw TlsFailureException.Decode("ClientHello has a malformed pre_shared_key extension.");
        }

        Extension? earlyData = hello.Find(ExtensionType.EarlyData);
        if (earlyData != null && !ExtensionCodecs.IsEmpty(earlyData.Data))
        {
            throw TlsFailureException.Decode("ClientHello's early_data extension carries data.");
        }

        EarlyDataOffered = earlyData != null;
        Tls12 = new Tls12Extensions(hello);
        RecordSizeNegotiation.CheckOffer(hello);
    }

    public ClientHello Hello { get; }

    public List<ushort> Versions { get; }

    public bool HasKeyShareExtension { get; }

    public bool HasSignatureAlgorithms { get; }

    public List<ushort> Groups { get; }

    public List<KeyShareEntry> KeyShares { get; }

    public List<ushort> SignatureSchemes { get; }

    public List<string>? ApplicationProtocols { get; }

    public string? ServerName { get; }

    public byte[]? Cookie { get; }

    public bool EarlyDataOffered { get; }

    /// <summary>The decoded pre_shared_key offer, or null when the extension is absent.</summary>
    public PreSharedKeyOffer? PreSharedKey { get; }

    /// <summary>psk_key_exchange_modes (RFC 8446 §4.2.9): psk_ke and psk_dhe_ke offered; null when the extension is absent.</summary>
    public (bool PskOnly, bool PskWithKeyExchange)? PskModes { get; }

    /// <summary>The TLS 1.2 extensions, decoded; their meaning is checked only when TLS 1.2 is negotiated.</summary>
    public Tls12Extensions Tls12 { get; }

    /// <summary>
    /// RFC 8446 §4.1.2, §9.2: TLS 1.3 hellos carry exactly the null compression method; supported_groups
    /// and key_share come together, and with signature_algorithms they may be left out only beside a
    /// pre_shared_key (a PSK-only client has no use for them).
    /// </summary>
    public void RequireTls13Fields()
    {
        if (Hello.CompressionMethods.Length != 1)
        {
            throw new TlsFailureException(TlsFailureReason.CompressionNotNull, "A TLS 1.3 ClientHello offers compression.");
        }

        bool hasGroups = Hello.Find(ExtensionType.SupportedGroups) != null;
        if (hasGroups != HasKeyShareExtension)
        {
            throw TlsFailureException.MissingExtension("ClientHello has one of supported_groups and key_share without the other.");
        }

        if (PreSharedKey == null && (!hasGroups || !HasSignatureAlgorithms))
        {
            throw TlsFailureException.MissingExtension("ClientHello without a PSK lacks supported_groups, key_share or signature_algorithms.");
        }

        // RFC 8446 §4.2.9: a PSK offer without psk_key_exchange_modes is refused.
        if (PreSharedKey != null && PskModes == null)
        {
            throw TlsFailureException.MissingExtension("pre_shared_key without psk_key_exchange_modes.");
        }
    }

    public KeyShareEntry? ShareFor(ushort group)
    {
        foreach (KeyShareEntry entry in KeyShares)
        {
            if (entry.Group == group)
            {
                return entry;
            }
        }

        return null;
    }
}
