namespace TlsEngine.Tests.Support;

public static class Hex
{
    public static byte[] Parse(string hex) => Convert.FromHexString(new string(hex.Where(Uri.IsHexDigit).ToArray()));

    public static string Of(byte[] bytes) => Convert.ToHexString(bytes).ToLowerInvariant();

    /// <summary>Reads "name = hex" lines, ignoring # comments.</summary>
    public static Dictionary<string, byte[]> ReadVectors(string relativePath)
    {
        var vectors = new Dictionary<string, byte[]>();
        foreach (string line in File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "TestData", relativePath)))
        {
            if (line.StartsWith('#') || !line.Contains('='))
            {
                continue;
            }

            string[] parts = line.Split('=', 2);
            vectors[parts[0].Trim()] = Parse(parts[1]);
        }

        return vectors;
    }
}
