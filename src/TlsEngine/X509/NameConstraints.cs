using System;
using System.Collections.Generic;
using TlsEngine.Crypto;

namespace TlsEngine.X509;

/// <summary>
/// RFC 5280 §4.2.1.10 name constraints of one CA, applied to the certificates below it.
/// dNSName and iPAddress subtrees are processed. Every other form (rfc822Name, URI,
/// directoryName, otherName, ...) is not: a subtree of such a form makes any certificate below
/// that presents a name of that form fail (RFC 5280: "MUST either process the constraint or
/// reject the certificate"), and is ignored for certificates that present none. A non-empty
/// subject counts as a presented directoryName, and an emailAddress attribute in it as an rfc822Name.
/// Constraints are enforced whether or not the extension is marked critical.
/// </summary>
internal sealed class NameConstraints
{
    public const string Oid = "2.5.29.30";
    public const string SubjectAltNameOid = "2.5.29.17";

    // GeneralName CHOICE numbers (RFC 5280 §4.2.1.6).
    private const int OtherName = 0;
    private const int Rfc822Name = 1;
    private const int DnsName = 2;
    private const int DirectoryName = 4;
    private const int IpAddress = 7;

    private static readonly string[] FormNames = { "otherName", "rfc822Name", "dNSName", "x400Address", "directoryName", "ediPartyName", "uniformResourceIdentifier", "iPAddress", "registeredID" };
    private static readonly byte[] EmailAddressOid = { 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x09, 0x01 };

    private readonly List<Subtree> _permitted;
    private readonly List<Subtree> _excluded;
    private readonly string _owner;

    private NameConstraints(List<Subtree> permitted, List<Subtree> excluded, string owner)
    {
        _permitted = permitted;
        _excluded = excluded;
        _owner = owner;
    }

    /// <summary>The CA's constraints; null when it has none. Throws CertificateMalformed when they do not parse.</summary>
    public static NameConstraints? Of(ICertificate ca)
    {
        foreach (CertificateExtension extension in ca.Extensions)
        {
            if (extension.Oid == Oid)
            {
                return Parse(extension.Value, ca.Subject) ?? throw Malformed(ca, "name constraints");
            }
        }

        return null;
    }

    /// <summary>Throws CertificateNameConstraintViolation when a name <paramref name="certificate"/> presents is outside these constraints.</summary>
    public void Check(ICertificate certificate)
    {
        int otherForms = PresentedForms(certificate);
        foreach (List<Subtree> subtrees in new[] { _permitted, _excluded })
        {
            foreach (Subtree subtree in subtrees)
            {
                if (subtree.Form != DnsName && subtree.Form != IpAddress && (otherForms & (1 << subtree.Form)) != 0)
                {
                    throw Violation(certificate, $"presents a {FormNames[subtree.Form]}, a name form whose constraints are not processed");
                }
            }
        }

        foreach (string name in certificate.DnsNames)
        {
            CheckName(certificate, DnsName, name, Array.Empty<byte>());
        }

        foreach (byte[] address in certificate.IpAddresses)
        {
            CheckName(certificate, IpAddress, string.Empty, address);
        }
    }

    private void CheckName(ICertificate certificate, int form, string dns, byte[] address)
    {
        bool constrained = false;
        bool permitted = false;
        foreach (Subtree subtree in _permitted)
        {
            if (subtree.Form == form)
            {
                constrained = true;
                permitted |= form == DnsName ? DnsConstraint.Permits(dns, subtree.Dns) : IpConstraint.Contains(subtree.Value, address);
            }
        }

        string shown = form == DnsName ? dns
            : address.Length is 4 or 16 ? new System.Net.IPAddress(address).ToString() : BitConverter.ToString(address);
        if (constrained && !permitted)
        {
            throw Violation(certificate, $"names '{shown}', outside the permitted subtrees");
        }

        foreach (Subtree subtree in _excluded)
        {
            if (subtree.Form == form && (form == DnsName ? DnsConstraint.MayReach(dns, subtree.Dns) : IpConstraint.Contains(subtree.Value, address)))
            {
                throw Violation(certificate, $"names '{shown}', inside an excluded subtree");
            }
        }
    }

    private TlsFailureException Violation(ICertificate certificate, string what) =>
        new(TlsFailureReason.CertificateNameConstraintViolation, $"The certificate '{certificate.Subject}' {what} of '{_owner}' (RFC 5280 §4.2.1.10).");

    private static TlsFailureException Malformed(ICertificate certificate, string what) =>
        new(TlsFailureReason.CertificateMalformed, $"The {what} of '{certificate.Subject}' cannot be read.");

    private static NameConstraints? Parse(byte[] value, string owner)
    {
        var outer = new DerReader(value);
        if (!outer.TryRead(DerEncoding.Sequence, out ReadOnlySpan<byte> body) || outer.HasData)
        {
            return null;
        }

        var fields = new DerReader(body);
        var permitted = new List<Subtree>();
        var excluded = new List<Subtree>();
        if ((fields.PeekTag() == 0xA0 && !ReadSubtrees(ref fields, 0xA0, permitted))
            || (fields.PeekTag() == 0xA1 && !ReadSubtrees(ref fields, 0xA1, excluded))
            || fields.HasData)
        {
            return null;
        }

        // RFC 5280 §4.2.1.10: the extension MUST NOT be an empty sequence.
        return permitted.Count + excluded.Count == 0 ? null : new NameConstraints(permitted, excluded, owner);
    }

    private static bool ReadSubtrees(ref DerReader fields, int tag, List<Subtree> into)
    {
        if (!fields.TryRead(tag, out ReadOnlySpan<byte> list))
        {
            return false;
        }

        var subtrees = new DerReader(list);
        while (subtrees.HasData)
        {
            // GeneralSubtree: the base only; minimum MUST be 0 (so absent in DER) and maximum absent.
            if (!subtrees.TryRead(DerEncoding.Sequence, out ReadOnlySpan<byte> subtree))
            {
                return false;
            }

            var parts = new DerReader(subtree);
            if (!parts.TryRead(out int nameTag, out ReadOnlySpan<byte> name) || parts.HasData || (nameTag & 0xC0) != 0x80)
            {
                return false;
            }

            int form = nameTag & 0x1F;
            bool constructed = (nameTag & 0x20) != 0;
            if (form >= FormNames.Length || constructed != (form is OtherName or 3 or DirectoryName or 5))
            {
                return false;
            }

            if (form == IpAddress && !IpConstraint.IsWellFormed(name))
            {
                return false;
            }

            into.Add(new Subtree(form, name.ToArray()));
        }

        // GeneralSubtrees ::= SEQUENCE SIZE (1..MAX)
        return into.Count > 0;
    }

    /// <summary>The GeneralName forms other than dNSName and iPAddress that the certificate presents, as bits.</summary>
    private static int PresentedForms(ICertificate certificate)
    {
        int forms = 0;
        var subject = new DerReader(certificate.SubjectDer);
        if (subject.TryRead(DerEncoding.Sequence, out ReadOnlySpan<byte> rdns) && !rdns.IsEmpty)
        {
            forms |= 1 << DirectoryName;
            if (HasEmailAddress(rdns))
            {
                forms |= 1 << Rfc822Name;
            }
        }

        foreach (CertificateExtension extension in certificate.Extensions)
        {
            if (extension.Oid != SubjectAltNameOid)
            {
                continue;
            }

            var outer = new DerReader(extension.Value);
            if (!outer.TryRead(DerEncoding.Sequence, out ReadOnlySpan<byte> names))
            {
                throw Malformed(certificate, "subject alternative name");
            }

            var reader = new DerReader(names);
            while (reader.HasData)
            {
                if (!reader.TryRead(out int tag, out _) || (tag & 0xC0) != 0x80 || (tag & 0x1F) >= FormNames.Length)
                {
                    throw Malformed(certificate, "subject alternative name");
                }

                forms |= 1 << (tag & 0x1F);
            }
        }

        return forms & ~((1 << DnsName) | (1 << IpAddress));
    }

    private static bool HasEmailAddress(ReadOnlySpan<byte> rdns)
    {
        var sets = new DerReader(rdns);
        while (sets.TryRead(DerEncoding.Set, out ReadOnlySpan<byte> set))
        {
            var attributes = new DerReader(set);
            while (attributes.TryRead(DerEncoding.Sequence, out ReadOnlySpan<byte> attribute))
            {
                var parts = new DerReader(attribute);
                if (parts.TryRead(DerEncoding.ObjectIdentifier, out ReadOnlySpan<byte> type) && type.SequenceEqual(EmailAddressOid))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private readonly struct Subtree
    {
        public Subtree(int form, byte[] value)
        {
            Form = form;
            Value = value;
            // IA5String: one character per octet, as the certificate's own dNSNames are read.
            Dns = form == DnsName ? Latin1(value) : string.Empty;
        }

        public int Form { get; }

        public byte[] Value { get; }

        public string Dns { get; }

        private static string Latin1(byte[] bytes)
        {
            var chars = new char[bytes.Length];
            for (int i = 0; i < bytes.Length; i++)
            {
                chars[i] = (char)bytes[i];
            }

            return new string(chars);
        }
    }
}
