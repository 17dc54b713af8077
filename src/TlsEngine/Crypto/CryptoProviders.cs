namespace TlsEngine.Crypto;

internal static class CryptoProviders
{
    /// <summary>The managed provider: parsing, and whatever must be reproducible.</summary>
    public static ICryptoProvider Default => BouncyCastle.BcCryptoProvider.Instance;

    /// <summary>The platform provider where the runtime has one and <paramref name="preferPlatform"/> asks for it.</summary>
    public static ICryptoProvider For(bool preferPlatform)
    {
#if NET8_0_OR_GREATER
        if (preferPlatform)
        {
            return Platform.PlatformCryptoProvider.Instance;
        }
#endif
        return Default;
    }
}
