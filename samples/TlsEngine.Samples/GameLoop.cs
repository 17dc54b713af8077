using System.Text;

namespace TlsEngine.Samples;

/// <summary>
/// A game loop on the caller-buffered core: once per frame each side hands the engine the bytes the
/// network delivered, in its own receive buffer (records are decrypted in place there), and the
/// engine seals its output straight into the side's send buffer. No engine-owned buffer is used and
/// the frame never blocks. The "network" delivers a frame late, as a real one would.
/// </summary>
internal static class GameLoop
{
    public static bool Run()
    {
        var client = new Side(TlsConnection.CreateClient(Credentials.Client()));
        var server = new Side(TlsConnection.CreateServer(Credentials.Server()));
        byte[] inFlightToServer = Array.Empty<byte>();
        byte[] inFlightToClient = Array.Empty<byte>();
        string reply = string.Empty;
        bool sent = false;
        int frame = 0;
        for (; frame < 600 && reply.Length == 0; frame++)
        {
            // Frame N: each side consumes what was sent in frame N-1.
            string toClient = client.Receive(inFlightToClient);
            string toServer = server.Receive(inFlightToServer);
            reply = toClient;

            string clientSays = client.Tls.IsHandshakeComplete && !sent ? "player 1 ready" : string.Empty;
            sent |= clientSays.Length > 0;
            inFlightToServer = client.Send(clientSays);
            inFlightToClient = server.Send(toServer);
        }

        client.Tls.Dispose();
        server.Tls.Dispose();
        return reply == "player 1 ready" && frame < 600;
    }

    private sealed class Side
    {
        private readonly byte[] _rx = new byte[64 * 1024];
        private readonly byte[] _tx = new byte[64 * 1024];
        private int _rxLength;

        public Side(TlsConnection tls) => Tls = tls;

        public TlsConnection Tls { get; }

        /// <summary>Appends the frame's datagram-sized delivery and takes every complete record; returns the text that arrived.</summary>
        public string Receive(byte[] delivered)
        {
            delivered.CopyTo(_rx, _rxLength);
            _rxLength += delivered.Length;
            var text = new StringBuilder();
            TlsStatus status;
            do
            {
                status = Tls.Receive(_rx.AsSpan(0, _rxLength), out int consumed, out Span<byte> plaintext);
                text.Append(Encoding.UTF8.GetString(plaintext));
                Buffer.BlockCopy(_rx, consumed, _rx, 0, _rxLength - consumed);
                _rxLength -= consumed;
            }
            while (status == TlsStatus.Ok && _rxLength > 0);

            if (status == TlsStatus.Failed)
            {
                throw new InvalidOperationException(Tls.LastError!.ToString());
            }

            return text.ToString();
        }

        /// <summary>The engine's pending flight and, once connected, <paramref name="text"/> sealed into the send buffer.</summary>
        public byte[] Send(string text)
        {
            int length = 0;
            TlsStatus status;
            do
            {
                status = Tls.Transmit(_tx.AsSpan(length), out int written);
                length += written;
            }
            while (status == TlsStatus.WantWrite && length < _tx.Length);

            if (Tls.IsHandshakeComplete && text.Length > 0)
            {
                Tls.Send(Encoding.UTF8.GetBytes(text), _tx.AsSpan(length), out _, out int sealedLength);
                length += sealedLength;
            }

            return _tx[..length];
        }
    }
}
