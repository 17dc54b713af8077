using System;
using System.IO;

namespace TlsEngine;

/// <summary>Raised by <see cref="TlsStream"/> (which follows the Stream convention of failing by exception) when the connection fails.</summary>
public sealed class TlsException : IOException
{
    /// <summary>Wraps a connection error.</summary>
    public TlsException(TlsError error)
        : base(error?.ToString())
    {
        Error = error ?? throw new ArgumentNullException(nameof(error));
    }

    /// <summary>The typed error, as in <see cref="TlsConnection.LastError"/>.</summary>
    public TlsError Error { get; }
}
