using System;
using System.Collections.Generic;

namespace TlsEngine;

/// <summary>
/// Where a client keeps session tickets between connections, keyed by server name. Tickets are
/// taken out when offered, so each is used once (RFC 8446 Appendix C.4). Subclass it to share
/// tickets across processes; this default lives in memory and is thread-safe.
/// </summary>
public class TlsSessionCache : Handshake.ISessionStore
{
    private readonly object _gate = new();
    private readonly Dictionary<string, List<TlsSessionTicket>> _tickets = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Most tickets kept per server name; older ones are dropped first.</summary>
    public int MaxTicketsPerServer { get; set; } = 4;

    /// <summary>Keeps a ticket for later.</summary>
    public virtual void Add(string serverName, TlsSessionTicket ticket)
    {
        lock (_gate)
        {
            if (!_tickets.TryGetValue(serverName, out List<TlsSessionTicket>? list))
            {
                _tickets[serverName] = list = new List<TlsSessionTicket>();
            }

            list.Add(ticket);
            while (list.Count > MaxTicketsPerServer)
            {
                list.RemoveAt(0);
            }
        }
    }

    /// <summary>Removes and returns the newest unexpired ticket for the server, or null.</summary>
    public virtual TlsSessionTicket? Take(string serverName, DateTimeOffset now)
    {
        lock (_gate)
        {
            if (!_tickets.TryGetValue(serverName, out List<TlsSessionTicket>? list))
            {
                return null;
            }

            for (int i = list.Count - 1; i >= 0; i--)
            {
                TlsSessionTicket ticket = list[i];
                list.RemoveAt(i);
                if (!ticket.IsExpired(now))
                {
                    return ticket;
                }
            }

            return null;
        }
    }

    // The handshake goes through the virtual methods, so a subclass's store is the one used.
    Handshake.SessionRecord? Handshake.ISessionStore.Take(string serverName, DateTimeOffset now) => Take(serverName, now)?.Record;

    void Handshake.ISessionStore.Put(string serverName, Handshake.SessionRecord session) => Add(serverName, TlsSessionTicket.Of(session));

    /// <summary>How many tickets are kept for the server.</summary>
    public int Count(string serverName)
    {
        lock (_gate)
        {
            return _tickets.TryGetValue(serverName, out List<TlsSessionTicket>? list) ? list.Count : 0;
        }
    }
}
