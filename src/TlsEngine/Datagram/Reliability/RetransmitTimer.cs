using System;

namespace TlsEngine.Datagram;

/// <summary>
/// The retransmission timer of one flight (RFC 9147 §5.8.2, RFC 6347 §4.2.4.1): it starts at the
/// initial value, doubles at each retransmission up to the maximum, and gives up after a bounded
/// number of retransmissions. It reads the time only from the injected <see cref="TimeProvider"/>.
/// </summary>
internal sealed class RetransmitTimer
{
    /// <summary>RFC 9147 §5.8.2: 1000 ms unless the deployment knows the round trip time better (also RFC 6347 §4.2.4.1).</summary>
    public static readonly TimeSpan DefaultInitial = TimeSpan.FromSeconds(1);

    /// <summary>RFC 9147 §5.8.2: doubling goes up to no less than 60 seconds, RFC 6298's maximum.</summary>
    public static readonly TimeSpan DefaultMaximum = TimeSpan.FromSeconds(60);

    /// <summary>1 + 2 + 4 + 8 + 16 + 32 + 60 seconds of retransmissions, then one more maximum wait: about three minutes before giving up.</summary>
    public const int DefaultMaxRetransmissions = 7;

    private readonly TimeProvider _time;

    public RetransmitTimer(TimeProvider time, TimeSpan? initial = null, TimeSpan? maximum = null, int maxRetransmissions = DefaultMaxRetransmissions)
    {
        _time = time ?? throw new ArgumentNullException(nameof(time));
        Initial = initial ?? DefaultInitial;
        Maximum = maximum ?? DefaultMaximum;
        if (Initial <= TimeSpan.Zero || Maximum < Initial)
        {
            throw new ArgumentOutOfRangeException(Initial <= TimeSpan.Zero ? nameof(initial) : nameof(maximum));
        }

        if (maxRetransmissions < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(maxRetransmissions));
        }

        MaxRetransmissions = maxRetransmissions;
        Current = Initial;
    }

    public TimeSpan Initial { get; }

    public TimeSpan Maximum { get; }

    public int MaxRetransmissions { get; }

    /// <summary>The value the timer is armed with next.</summary>
    public TimeSpan Current { get; private set; }

    /// <summary>When the flight is due for retransmission; null while nothing is outstanding.</summary>
    public DateTimeOffset? Deadline { get; private set; }

    /// <summary>Timer-driven retransmissions of the current flight.</summary>
    public int Retransmissions { get; private set; }

    /// <summary>When the flight, or part of it, was last written; null before the first.</summary>
    public DateTimeOffset? LastTransmission { get; private set; }

    public DateTimeOffset Now => _time.GetUtcNow();

    public bool IsExpired => Deadline is DateTimeOffset deadline && Now >= deadline;

    /// <summary>A new flight: its retransmissions count from zero.</summary>
    public void BeginFlight()
    {
        Deadline = null;
        Retransmissions = 0;

        // RFC 9147 §5.8.2: after idleness of at least ten times the current value, start over from the initial one.
        if (LastTransmission is DateTimeOffset last && Now - last >= TimeSpan.FromTicks(Current.Ticks * 10))
        {
            Current = Initial;
        }
    }

    /// <summary>The flight, or what of it is unacknowledged, was just written: arm the timer with the current value.</summary>
    public void Arm()
    {
        MarkTransmission();
        Deadline = LastTransmission + Current;
    }

    /// <summary>Something was written without arming the timer (a final flight).</summary>
    public void MarkTransmission() => LastTransmission = Now;

    /// <summary>
    /// The timer expired: count a retransmission, double the value (capped) and re-arm. Past the
    /// bound the peer is taken to be gone: <see cref="TlsFailureReason.HandshakeTimedOut"/>.
    /// </summary>
    public void BackOff()
    {
        if (Retransmissions >= MaxRetransmissions)
        {
            Deadline = null;
            throw new TlsFailureException(TlsFailureReason.HandshakeTimedOut, $"No answer after {Retransmissions} retransmissions of the flight.");
        }

        Retransmissions++;
        Current = Current >= Maximum || Current.Ticks > Maximum.Ticks / 2 ? Maximum : TimeSpan.FromTicks(Current.Ticks * 2);
        Arm();
    }

    /// <summary>
    /// The flight got through (acknowledged, or answered by the peer's next flight): disarm. RFC 9147
    /// §5.8.2 keeps the backed-off value until a flight gets through without retransmission; then the
    /// value returns to the initial one (RFC 6347 §4.2.4.1).
    /// </summary>
    public void Stop()
    {
        Deadline = null;
        if (Retransmissions == 0)
        {
            Current = Initial;
        }
    }

    /// <summary>Disarms without judging the flight, e.g. a final flight that expects no answer (RFC 6347 §4.2.4).</summary>
    public void Disarm() => Deadline = null;
}
