#if NETSTANDARD2_0
namespace System.Runtime.CompilerServices;

/// <summary>Lets netstandard2.0 compile init-only setters (the type ships with net5.0 and later).</summary>
internal static class IsExternalInit
{
}
#endif
