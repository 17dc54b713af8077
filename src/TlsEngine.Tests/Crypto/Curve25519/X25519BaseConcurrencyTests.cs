using System.Reflection;
using System.Runtime.Loader;
using TlsEngine.Crypto.Curve25519;
using Xunit;

namespace TlsEngine.Tests.Crypto.Curve25519;

/// <summary>
/// The fixed-base table is built at first use; several threads making their first X25519 keys at once
/// must all see the whole table. Each round loads a fresh copy of the library into its own load context,
/// so its table is not built yet when the threads, released together, reach it.
/// </summary>
public class X25519BaseConcurrencyTests
{
    private const int Threads = 8;

    [Fact]
    public void Threads_racing_to_build_the_table_all_get_the_right_public_keys()
    {
        byte[][] expected = new byte[Threads][];
        for (int i = 0; i < Threads; i++)
        {
            using var share = new X25519KeyShare(TlsRandom.FromSeed((ulong)i));
            expected[i] = share.PublicKey;
        }

        string path = typeof(X25519KeyShare).Assembly.Location;
        for (int round = 0; round < 6; round++)
        {
            var context = new AssemblyLoadContext($"x25519-race-{round}", isCollectible: true);
            try
            {
                Assembly fresh = context.LoadFromAssemblyPath(path);
                Assert.NotSame(typeof(X25519KeyShare).Assembly, fresh);
                Type shareType = fresh.GetType(typeof(X25519KeyShare).FullName!, throwOnError: true)!;
                MethodInfo fromSeed = fresh.GetType(typeof(TlsRandom).FullName!, throwOnError: true)!.GetMethod(nameof(TlsRandom.FromSeed))!;
                PropertyInfo publicKey = shareType.GetProperty(nameof(X25519KeyShare.PublicKey))!;

                var actual = new byte[Threads][];
                var failures = new Exception?[Threads];
                using var start = new Barrier(Threads);
                Thread[] threads = Enumerable.Range(0, Threads).Select(i => new Thread(() =>
                {
                    try
                    {
                        object random = fromSeed.Invoke(null, new object[] { (ulong)i })!;
                        start.SignalAndWait();
                        object share = Activator.CreateInstance(shareType, BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic, null, new[] { random }, null)!;
                        actual[i] = (byte[])publicKey.GetValue(share)!;
                    }
                    catch (Exception ex)
                    {
                        failures[i] = ex;
                    }
                })).ToArray();
                foreach (Thread thread in threads)
                {
                    thread.Start();
                }

                foreach (Thread thread in threads)
                {
                    thread.Join();
                }

                Assert.All(failures, f => Assert.Null(f));
                for (int i = 0; i < Threads; i++)
                {
                    Assert.Equal(expected[i], actual[i]);
                }
            }
            finally
            {
                context.Unload();
            }
        }
    }
}
