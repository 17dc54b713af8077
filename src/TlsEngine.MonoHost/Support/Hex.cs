namespace TlsEngine.Tests.Support;

/// <summary>The main tests' hex helpers, without the .NET 5 APIs they use there.</summary>
public static class Hex
{
    public static byte[] Parse(string hex)
    {
        string digits = new(hex.Where(Uri.IsHexDigit).ToArray());
        var bytes = new byte[digits.Length / 2];
        for (int i = 0; i < bytes.Length; i++)
        {
            bytes[i] = Convert.ToByte(digits.Substring(2 * i, 2), 16);
        }

        return bytes;
    }

    public static string Of(byte[] bytes) => string.Concat(bytes.Select(b => b.ToString("x2")));

    /// <summary>Reads "name = hex" lines, ignoring # comments.</summary>
    public static Dictionary<string, byte[]> ReadVectors(string relativePath)
    {
        var vectors = new Dictionary<string, byte[]>();
        foreach (string line in File.ReadAllLines(Path.Combine(AppDomain.CurrentDomain.BaseDirectory, "TestData", relativePath)))
        {
            if (line.StartsWith("#", StringComparison.Ordinal) || !line.Contains("="))
            {
                continue;
            }

            string[] parts = line.Split(new[] { '=' }, 2);
            vectors[parts[0].Trim()] = Parse(parts[1]);
        }

        return vectors;
    }
}
