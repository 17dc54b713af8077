namespace TlsEngine.Crypto;

internal static class CryptoProviders
{
    /// <summary>The managed provider: parsing, and whatever must be reproducible.</summary>
    public static ICryptoProvider Default => BouncyCastle.BcCryptoProvider.Instance;

    /// <summary>
    /// The platform provider where the runtime has one, unless the options ask for the managed
    /// one or inject a random source (a seeded source means reproducible transcripts, which the
    /// platform's own randomness would break).
    /// </summary>
    public static ICryptoProvider For(TlsOptions options)
    {
#if NET8_0_OR_GREATER
        if (options.CryptoProvider == TlsCryptoProvider.Platform
            || (options.CryptoProvider == TlsCryptoProvider.Auto && ReferenceEquals(options.Random, TlsRandom.System)))
        {
            return Platform.PlatformCryptoProvider.Instance;
        }
#endif
        return Default;
    }
}
