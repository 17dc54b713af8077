namespace TlsEngine.Handshake;

/// <summary>Comparisons whose duration does not depend on where the inputs differ.</summary>
internal static class FixedTime
{
    public static bool Equals(byte[] a, byte[] b)
    {
        if (a.Length != b.Length)
        {
            return false;
        }

        int difference = 0;
        for (int i = 0; i < a.Length; i++)
        {
            difference |= a[i] ^ b[i];
        }

        return difference == 0;
    }
}
