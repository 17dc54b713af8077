using System;

namespace TlsEngine.Handshake;

/// <summary>Where a client keeps sessions between connections, keyed by server name; each is taken out when offered (RFC 8446 Appendix C.4).</summary>
internal interface ISessionStore
{
    /// <summary>Removes and returns the newest unexpired session for the server, or null.</summary>
    SessionRecord? Take(string serverName, DateTimeOffset now);

    /// <summary>Keeps a session for later.</summary>
    void Put(string serverName, SessionRecord session);
}
