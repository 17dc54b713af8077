using TlsEngine.Fuzz;
using TlsEngine.Messages;
using Xunit;

namespace TlsEngine.Tests.Fuzz;

/// <summary>
/// The fuzzing instruments: recorded flights re-encode exactly (through their encryption too), the
/// extension mutator keeps every enclosing length consistent, and it reaches the kind of input that
/// byte-level mutation could not (an empty extension in a well-formed hello).
/// </summary>
public class MutatorTests
{
    private static string Corpus(string target, string file)
    {
        string? dir = AppContext.BaseDirectory;
        while (dir != null && !Directory.Exists(Path.Combine(dir, "fuzz", "corpus")))
        {
            dir = Path.GetDirectoryName(dir);
        }

        return Path.Combine(dir!, "fuzz", "corpus", target, file);
    }

    [Theory]
    [InlineData("client", "default.bin")]
    [InlineData("client", "hrr-Secp384r1.bin")]
    [InlineData("client", "TLS_CHACHA20_POLY1305_SHA256.bin")]
    [InlineData("client", "TLS_AES_256_GCM_SHA384.bin")]
    [InlineData("client", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256.bin")]
    [InlineData("server", "default.bin")]
    [InlineData("server", "resume-0rtt.bin")]
    public void Recorded_flights_re_encode_byte_for_byte(string target, string file)
    {
        byte[] input = File.ReadAllBytes(Corpus(target, file));
        RecordCipher? cipher = target == "client" ? FlightKeys.ServerHandshakeCipher(input) : null;
        RecordedFlight flight = RecordedFlight.Parse(input.AsSpan(1), cipher);
        Assert.Equal(input[1..], flight.Encode());
        bool tls13 = !file.StartsWith("TLS_ECDHE", StringComparison.Ordinal);
        Assert.Equal(target == "client" && tls13, cipher != null);
        if (cipher != null)
        {
            // The encrypted part was read: EncryptedExtensions is there to be edited.
            Assert.Contains(flight.Messages, m => m.Protected && m.Message[0] == HandshakeType.EncryptedExtensions);
        }
    }

    [Fact]
    public void Every_extension_operation_keeps_the_hello_and_its_records_well_formed()
    {
        byte[] input = File.ReadAllBytes(Corpus("server", "default.bin"));
        foreach (ExtensionMutator.Operation operation in Enum.GetValues<ExtensionMutator.Operation>())
        {
            for (int seed = 0; seed < 20; seed++)
            {
                RecordedFlight flight = RecordedFlight.Parse(input.AsSpan(1));
                byte[] mutated = new ExtensionMutator(new Random(seed)).Mutate(flight.Messages[0].Message, operation)!;
                flight.Replace(0, mutated);
                byte[] encoded = flight.Encode();
                // The records cover the stream exactly and carry the message whole.
                RecordedFlight again = RecordedFlight.Parse(encoded);
                Assert.Equal(mutated, again.Messages[0].Message);
                Assert.Equal(encoded, again.Encode());
                Assert.NotNull(ClientHello.TryParse(mutated.AsSpan(4)));
            }
        }
    }

    [Fact]
    public void Encrypted_extensions_are_edited_under_the_servers_handshake_keys()
    {
        byte[] input = File.ReadAllBytes(Corpus("client", "default.bin"));
        RecordCipher cipher = FlightKeys.ServerHandshakeCipher(input)!;
        RecordedFlight flight = RecordedFlight.Parse(input.AsSpan(1), cipher);
        int index = flight.Messages.ToList().FindIndex(m => m.Message[0] == HandshakeType.EncryptedExtensions);
        flight.Replace(index, ExtensionMutator.Edit(flight.Messages[index].Message, ExtensionType.Alpn, _ => Array.Empty<byte>())!);
        using TlsConnection client = FuzzTargets.Handshake(server: false, [0, .. flight.Encode()]);
        // The client decrypted the edited message and judged its content, not its record.
        Assert.Equal(TlsFailureReason.MalformedMessage, client.LastError!.Reason);
    }

    [Fact]
    public void The_mutator_produces_an_empty_ec_point_formats_in_a_tls12_server_hello()
    {
        byte[] input = File.ReadAllBytes(Corpus("client", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256.bin"));
        var mutator = new Mutator(seed: 1, InputFormat.Flight);
        for (int i = 0; i < 20000; i++)
        {
            byte[] mutated = mutator.Mutate(input, new[] { input });
            RecordedFlight flight = RecordedFlight.Parse(mutated.AsSpan(1));
            if (flight.Messages.Count > 0 && flight.Messages[0].Message[0] == HandshakeType.ServerHello
                && ServerHello.TryParse(flight.Messages[0].Message.AsSpan(4))?.Find(ExtensionType.EcPointFormats) is { Data.Length: 0 })
            {
                return;
            }
        }

        Assert.Fail("20000 mutations never emptied ec_point_formats in a well-formed ServerHello.");
    }

    [Fact]
    public void Message_bodies_of_the_messages_target_get_extension_edits()
    {
        byte[] input = File.ReadAllBytes(Corpus("messages", "client-hello.bin"));
        var mutator = new Mutator(seed: 3, InputFormat.MessageBody);
        int parsed = 0;
        for (int i = 0; i < 300; i++)
        {
            byte[] mutated = mutator.Mutate(input, new[] { input });
            parsed += mutated[0] == input[0] && ClientHello.TryParse(mutated.AsSpan(1)) is { } hello && !hello.Encode().AsSpan(4).SequenceEqual(input.AsSpan(1)) ? 1 : 0;
        }

        // Byte-level mutation rarely leaves a hello that parses; the extension edits always do.
        Assert.True(parsed > 50, $"only {parsed} of 300 mutations were well-formed, different hellos");
    }

    [Fact]
    public void Der_edits_of_chain_inputs_keep_every_length_consistent()
    {
        byte[] input = File.ReadAllBytes(Corpus("chain", "nc-exclude-inside-int-anchor.bin"));
        var mutator = new DerMutator(new Random(5));
        int parsed = 0;
        for (int i = 0; i < 300; i++)
        {
            byte[] mutated = mutator.Mutate(input)!;
            Assert.Equal(input[0], mutated[0]);
            List<byte[]> entries = ChainEntries(mutated);
            // The length prefixes frame the whole input, and each certificate is one DER element with minimal lengths.
            Assert.Equal(mutated.Length, 1 + entries.Sum(e => 2 + e.Length));
            Assert.Equal(2, entries.Count);
            Assert.All(entries, der => Assert.True(TlsEngine.Crypto.DerEncoding.TryReadHeader(der, out _, out int header, out int length) && header + length == der.Length));
            parsed += !mutated.AsSpan().SequenceEqual(input) && entries.All(der => TlsEngine.Crypto.CryptoProviders.Default.ParseCertificate(der) != null) ? 1 : 0;
        }

        // Edits of signatures, names, dates and extension values leave a certificate that still parses (a third of
        // all edits, where a byte inserted or deleted anywhere breaks it).
        Assert.True(parsed > 100, $"only {parsed} of 300 edits left both certificates parseable and changed");
    }

    private static List<byte[]> ChainEntries(byte[] input)
    {
        var entries = new List<byte[]>();
        int offset = 1;
        while (input.Length - offset >= 2)
        {
            int length = (input[offset] << 8) | input[offset + 1];
            if (length > input.Length - offset - 2)
            {
                break;
            }

            entries.Add(input.AsSpan(offset + 2, length).ToArray());
            offset += 2 + length;
        }

        return entries;
    }
}
