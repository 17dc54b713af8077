using TlsEngine;
using TlsEngine.Tests.Support;
using Xunit;

namespace TlsEngine.Tests.Api;

/// <summary>The caller-buffered core under hostile use: aliasing between Send's input and output, exact sizes, hostile records.</summary>
public class CallerBufferedCoreAttackTests
{
    private static (CoreEnd Client, CoreEnd Server) Connected(TlsVersion version = TlsVersion.Tls13)
    {
        TlsClientOptions client = Engines.Client();
        client.MaxVersion = version;
        var ends = (new CoreEnd(TlsConnection.CreateClient(client)), new CoreEnd(TlsConnection.CreateServer(Engines.Server())));
        CoreEnd.Handshake(ends.Item1, ends.Item2);
        return ends;
    }

    private static byte[] Pattern(int length, int seed = 7) => Enumerable.Range(0, length).Select(i => (byte)((i * 31) + seed)).ToArray();

    [Theory]
    [InlineData(TlsVersion.Tls13, 5, 20000)]
    [InlineData(TlsVersion.Tls12, 13, 20000)]
    [InlineData(TlsVersion.Tls13, 0, 40000)]
    [InlineData(TlsVersion.Tls13, 1, 40000)]
    [InlineData(TlsVersion.Tls13, 30, 40000)]
    [InlineData(TlsVersion.Tls12, 7, 40000)]
    public void Send_seals_several_records_of_plaintext_that_sits_in_the_output(TlsVersion version, int offset, int length)
    {
        (CoreEnd client, CoreEnd server) = Connected(version);
        byte[] data = Pattern(length);
        byte[] span = new byte[client.Connection.GetSendSize(length) + offset];
        data.CopyTo(span, offset);

        Assert.Equal(TlsStatus.Ok, client.Connection.Send(span.AsSpan(offset, length), span, out int consumed, out int written));
        Assert.Equal(length, consumed);
        server.Deliver(span.AsSpan(0, written));

        Assert.Equal(data, server.Received.ToArray());
    }

    [Fact]
    public void Send_with_pending_bytes_keeps_plaintext_that_sits_in_the_output()
    {
        (CoreEnd client, CoreEnd server) = Connected();
        client.Connection.RequestKeyUpdate(requestPeerUpdate: false);
        byte[] data = Pattern(1000);
        byte[] span = new byte[client.Connection.GetSendSize(data.Length)];
        data.CopyTo(span, 5);

        client.Connection.Send(span.AsSpan(5, data.Length), span, out int consumed, out int written);
        server.Deliver(span.AsSpan(0, written));
        server.Deliver(client.SendAll(span.AsSpan(5 + consumed, data.Length - consumed).ToArray()));

        Assert.Equal(data, server.Received.ToArray());
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 40000)]
    [InlineData(1, 40000)]
    public void Send_size_covers_a_due_key_update_and_pending_bytes(ulong limit, int length)
    {
        (CoreEnd client, CoreEnd server) = Connected();
        client.Connection.RequestKeyUpdate(requestPeerUpdate: false);
        client.Connection.Context.Records.UsageLimitOverride = limit;
        byte[] data = Pattern(length);
        int size = client.Connection.GetSendSize(length);
        byte[] span = new byte[size];

        Assert.Equal(TlsStatus.Ok, client.Connection.Send(data, span, out int consumed, out int written));
        Assert.Equal(length, consumed);
        Assert.Equal(size, written);
        server.Deliver(span);
        Assert.Equal(data, server.Received.ToArray());
    }

    [Theory]
    [InlineData(50, 40000, 40050)]
    [InlineData(5, 40000, 40005)]
    [InlineData(5, 100, 60)]
    public void Send_into_too_small_a_span_never_overwrites_plaintext_it_has_not_taken(int offset, int length, int outputLength)
    {
        (CoreEnd client, CoreEnd server) = Connected();
        byte[] data = Pattern(length);
        byte[] span = new byte[Math.Max(outputLength, offset + length)];
        data.CopyTo(span, offset);

        client.Connection.Send(span.AsSpan(offset, length), span.AsSpan(0, outputLength), out int consumed, out int written);

        Assert.Equal(data.AsSpan(consumed).ToArray(), span.AsSpan(offset + consumed, length - consumed).ToArray());
        server.Deliver(span.AsSpan(0, written));
        server.Deliver(client.SendAll(data.AsSpan(consumed)));
        Assert.Equal(data, server.Received.ToArray());
    }

    [Fact]
    public void Send_seals_plaintext_that_starts_before_the_output()
    {
        (CoreEnd client, CoreEnd server) = Connected();
        byte[] data = Pattern(30000);
        byte[] span = new byte[client.Connection.GetSendSize(data.Length) + 10];
        data.CopyTo(span, 3);

        Assert.Equal(TlsStatus.Ok, client.Connection.Send(span.AsSpan(3, data.Length), span.AsSpan(10), out int consumed, out int written));
        Assert.Equal(data.Length, consumed);
        server.Deliver(span.AsSpan(10, written));
        Assert.Equal(data, server.Received.ToArray());
    }

    [Fact]
    public void Send_before_the_handshake_keeps_plaintext_that_sits_in_the_output()
    {
        TlsConnection client = TlsConnection.CreateClient(Engines.Client());
        byte[] data = Pattern(3000);
        byte[] span = new byte[4096];
        data.CopyTo(span, 5);

        client.Send(span.AsSpan(5, data.Length), span, out int consumed, out int written);

        Assert.Equal(0, consumed);
        Assert.True(written <= 5);
        Assert.Equal(data, span.AsSpan(5, data.Length).ToArray());
    }
}
