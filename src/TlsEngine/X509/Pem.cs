using System;
using System.Collections.Generic;
using System.Text;

namespace TlsEngine.X509;

/// <summary>Splits PEM text (RFC 7468) into labelled DER blocks.</summary>
internal static class Pem
{
    public static List<(string Label, byte[] Der)> Decode(string text)
    {
        var blocks = new List<(string, byte[])>();
        int position = 0;
        while (true)
        {
            int begin = text.IndexOf("-----BEGIN ", position, StringComparison.Ordinal);
            if (begin < 0)
            {
                break;
            }

            int labelEnd = text.IndexOf("-----", begin + 11, StringComparison.Ordinal);
            if (labelEnd < 0)
            {
                break;
            }

            string label = text.Substring(begin + 11, labelEnd - begin - 11);
            string endMarker = "-----END " + label + "-----";
            int end = text.IndexOf(endMarker, labelEnd, StringComparison.Ordinal);
            if (end < 0)
            {
                break;
            }

            var base64 = new StringBuilder();
            foreach (char c in text.Substring(labelEnd + 5, end - labelEnd - 5))
            {
                if (!char.IsWhiteSpace(c))
                {
                    base64.Append(c);
                }
            }

            try
            {
                blocks.Add((label, Convert.FromBase64String(base64.ToString())));
            }
            catch (FormatException)
            {
                throw new ArgumentException($"The PEM block '{label}' is not valid base64.");
            }

            position = end + endMarker.Length;
        }

        return blocks;
    }
}
