namespace TlsEngine.Crypto;

internal static class CryptoProviders
{
    public static ICryptoProvider Default => BouncyCastle.BcCryptoProvider.Instance;
}
