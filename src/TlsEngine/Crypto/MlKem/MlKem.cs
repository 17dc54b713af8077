using System;

namespace TlsEngine.Crypto.MlKem;

/// <summary>
/// ML-KEM (FIPS 203): K-PKE (§5) and the key-encapsulation mechanism built on it (§6), in the
/// deterministic "internal" forms that take their randomness as arguments, plus the input checks
/// of §7.
/// </summary>
/// <remarks>
/// Secret data: d, z, sigma, s, e, the message m, r, y, e1, e2, K and every intermediate derived
/// from them. None of it selects a branch or an index; arithmetic is in <see cref="MlKemPoly"/>.
/// Decapsulation's implicit rejection (§6.3) compares the re-encrypted ciphertext with a
/// constant-time fixed-length comparison and selects K' or K̄ with a mask. Every array that held
/// secret data is cleared before it is dropped.
/// </remarks>
internal static class MlKem
{
    private const int PolyBytes = 384;

    /// <summary>ML-KEM.KeyGen_internal (Algorithm 16): ek and dk from the 32-byte seeds d and z.</summary>
    public static void KeyGen(MlKemParameters p, ReadOnlySpan<byte> d, ReadOnlySpan<byte> z, Span<byte> ek, Span<byte> dk)
    {
        CheckLength(d.Length == 32 && z.Length == 32 && ek.Length == p.EncapsulationKeySize && dk.Length == p.DecapsulationKeySize);
        int k = p.K;
        byte[] seeds = new byte[64];
        int[] a = new int[k * k * MlKemPoly.N];
        int[] s = new int[k * MlKemPoly.N];
        int[] e = new int[k * MlKemPoly.N];
        int[] t = new int[k * MlKemPoly.N];
        byte[] prf = new byte[64 * p.Eta1];
        try
        {
            // (rho, sigma) = G(d || k): the parameter byte separates the sets (Algorithm 13, line 1).
            Keccak.Sha3_512(d, new[] { (byte)k }, seeds);
            ReadOnlySpan<byte> rho = seeds.AsSpan(0, 32);
            ReadOnlySpan<byte> sigma = seeds.AsSpan(32, 32);
            ExpandMatrix(rho, k, a);
            byte counter = 0;
            for (int i = 0; i < k; i++)
            {
                SampleNoise(sigma, counter++, p.Eta1, prf, Poly(s, i));
            }

            for (int i = 0; i < k; i++)
            {
                SampleNoise(sigma, counter++, p.Eta1, prf, Poly(e, i));
            }

            for (int i = 0; i < k; i++)
            {
                MlKemPoly.Ntt(Poly(s, i));
                MlKemPoly.Ntt(Poly(e, i));
            }

            // t̂ = Â ∘ ŝ + ê
            for (int i = 0; i < k; i++)
            {
                Span<int> ti = Poly(t, i);
                for (int j = 0; j < k; j++)
                {
                    MlKemPoly.MultiplyAccumulate(Poly(a, (i * k) + j), Poly(s, j), ti);
                }

                MlKemPoly.Reduce(ti);
                MlKemPoly.Add(ti, Poly(e, i));
                MlKemPoly.Encode(ti, 12, ek.Slice(i * PolyBytes, PolyBytes));
                MlKemPoly.Encode(Poly(s, i), 12, dk.Slice(i * PolyBytes, PolyBytes));
            }

            rho.CopyTo(ek.Slice(k * PolyBytes));
            // dk = dkPKE || ek || H(ek) || z (Algorithm 16, line 3).
            ek.CopyTo(dk.Slice(k * PolyBytes));
            Keccak.Sha3_256(ek, dk.Slice((2 * k * PolyBytes) + 32, 32));
            z.CopyTo(dk.Slice((2 * k * PolyBytes) + 64, 32));
        }
        finally
        {
            Array.Clear(seeds, 0, seeds.Length);
            Array.Clear(s, 0, s.Length);
            Array.Clear(e, 0, e.Length);
            Array.Clear(prf, 0, prf.Length);
        }
    }

    /// <summary>
    /// The encapsulation-key check of §7.2: the right length, and every 12-bit coefficient already
    /// reduced (ByteEncode12(ByteDecode12(ek)) == ek). ek is public, so this may branch.
    /// </summary>
    public static bool IsValidEncapsulationKey(MlKemParameters p, ReadOnlySpan<byte> ek)
    {
        if (ek.Length != p.EncapsulationKeySize)
        {
            return false;
        }

        int[] f = new int[MlKemPoly.N];
        for (int i = 0; i < p.K; i++)
        {
            MlKemPoly.Decode(ek.Slice(i * PolyBytes, PolyBytes), 12, f);
            foreach (int coefficient in f)
            {
                if (coefficient >= MlKemPoly.Q)
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>ML-KEM.Encaps_internal (Algorithm 17) for a checked ek: ciphertext and shared key from the 32-byte m.</summary>
    public static void Encapsulate(MlKemParameters p, ReadOnlySpan<byte> ek, ReadOnlySpan<byte> m, Span<byte> ciphertext, Span<byte> sharedKey)
    {
        CheckLength(ek.Length == p.EncapsulationKeySize && m.Length == 32 && ciphertext.Length == p.CiphertextSize && sharedKey.Length == 32);
        byte[] hash = new byte[32];
        byte[] kr = new byte[64];
        try
        {
            // (K, r) = G(m || H(ek))
            Keccak.Sha3_256(ek, hash);
            Keccak.Sha3_512(m, hash, kr);
            Encrypt(p, ek, m, kr.AsSpan(32, 32), ciphertext);
            kr.AsSpan(0, 32).CopyTo(sharedKey);
        }
        finally
        {
            Array.Clear(kr, 0, kr.Length);
        }
    }

    /// <summary>
    /// ML-KEM.Decaps_internal (Algorithm 18) for a dk and a ciphertext of the right lengths. A
    /// ciphertext that does not re-encrypt to itself yields K̄ = J(z || c) (implicit rejection),
    /// chosen without a branch.
    /// </summary>
    public static void Decapsulate(MlKemParameters p, ReadOnlySpan<byte> dk, ReadOnlySpan<byte> ciphertext, Span<byte> sharedKey)
    {
        CheckLength(dk.Length == p.DecapsulationKeySize && ciphertext.Length == p.CiphertextSize && sharedKey.Length == 32);
        int k = p.K;
        ReadOnlySpan<byte> dkPke = dk.Slice(0, k * PolyBytes);
        ReadOnlySpan<byte> ekPke = dk.Slice(k * PolyBytes, p.EncapsulationKeySize);
        ReadOnlySpan<byte> h = dk.Slice((2 * k * PolyBytes) + 32, 32);
        ReadOnlySpan<byte> z = dk.Slice((2 * k * PolyBytes) + 64, 32);
        byte[] message = new byte[32];
        byte[] kr = new byte[64];
        byte[] rejection = new byte[32];
        byte[] reencrypted = new byte[p.CiphertextSize];
        try
        {
            Decrypt(p, dkPke, ciphertext, message);
            Keccak.Sha3_512(message, h, kr);
            Keccak.Shake256(z, ciphertext, rejection);
            Encrypt(p, ekPke, message, kr.AsSpan(32, 32), reencrypted);
            byte mask = EqualMask(ciphertext, reencrypted);
            for (int i = 0; i < 32; i++)
            {
                sharedKey[i] = (byte)((kr[i] & mask) | (rejection[i] & ~mask));
            }
        }
        finally
        {
            Array.Clear(message, 0, message.Length);
            Array.Clear(kr, 0, kr.Length);
            Array.Clear(rejection, 0, rejection.Length);
            Array.Clear(reencrypted, 0, reencrypted.Length);
        }
    }

    /// <summary>K-PKE.Encrypt (Algorithm 14).</summary>
    private static void Encrypt(MlKemParameters p, ReadOnlySpan<byte> ek, ReadOnlySpan<byte> message, ReadOnlySpan<byte> r, Span<byte> ciphertext)
    {
        int k = p.K;
        int[] a = new int[k * k * MlKemPoly.N];
        int[] t = new int[k * MlKemPoly.N];
        int[] y = new int[k * MlKemPoly.N];
        int[] u = new int[k * MlKemPoly.N];
        int[] e1 = new int[MlKemPoly.N];
        int[] v = new int[MlKemPoly.N];
        int[] mu = new int[MlKemPoly.N];
        byte[] prf = new byte[64 * Math.Max(p.Eta1, p.Eta2)];
        try
        {
            for (int i = 0; i < k; i++)
            {
                // Below q when ek passed the §7.2 check; the ek inside a dk is unchecked and may hold
                // values up to 4095, which the products still bound (4095 * 3328 * 2 per term) and Reduce
                // brings to the residue ByteDecode12 would give.
                MlKemPoly.Decode(ek.Slice(i * PolyBytes, PolyBytes), 12, Poly(t, i));
            }

            ExpandMatrix(ek.Slice(k * PolyBytes, 32), k, a);
            byte counter = 0;
            for (int i = 0; i < k; i++)
            {
                SampleNoise(r, counter++, p.Eta1, prf, Poly(y, i));
                MlKemPoly.Ntt(Poly(y, i));
            }

            int duBytes = 32 * p.Du;
            for (int i = 0; i < k; i++)
            {
                // u = NTT^-1(Âᵀ ∘ ŷ) + e1
                Span<int> ui = Poly(u, i);
                for (int j = 0; j < k; j++)
                {
                    MlKemPoly.MultiplyAccumulate(Poly(a, (j * k) + i), Poly(y, j), ui);
                }

                MlKemPoly.Reduce(ui);
                MlKemPoly.InverseNtt(ui);
                SampleNoise(r, counter++, p.Eta2, prf, e1);
                MlKemPoly.Add(ui, e1);
                MlKemPoly.Compress(ui, p.Du);
                MlKemPoly.Encode(ui, p.Du, ciphertext.Slice(i * duBytes, duBytes));
            }

            // v = NTT^-1(t̂ᵀ ∘ ŷ) + e2 + Decompress1(m)
            for (int j = 0; j < k; j++)
            {
                MlKemPoly.MultiplyAccumulate(Poly(t, j), Poly(y, j), v);
            }

            MlKemPoly.Reduce(v);
            MlKemPoly.InverseNtt(v);
            SampleNoise(r, counter, p.Eta2, prf, e1);
            MlKemPoly.Add(v, e1);
            for (int i = 0; i < MlKemPoly.N; i++)
            {
                int bit = (message[i >> 3] >> (i & 7)) & 1;
                mu[i] = -bit & ((MlKemPoly.Q + 1) / 2);
            }

            MlKemPoly.Add(v, mu);
            MlKemPoly.Compress(v, p.Dv);
            MlKemPoly.Encode(v, p.Dv, ciphertext.Slice(k * duBytes, 32 * p.Dv));
        }
        finally
        {
            Array.Clear(y, 0, y.Length);
            Array.Clear(u, 0, u.Length);
            Array.Clear(e1, 0, e1.Length);
            Array.Clear(v, 0, v.Length);
            Array.Clear(mu, 0, mu.Length);
            Array.Clear(prf, 0, prf.Length);
        }
    }

    /// <summary>K-PKE.Decrypt (Algorithm 15).</summary>
    private static void Decrypt(MlKemParameters p, ReadOnlySpan<byte> dkPke, ReadOnlySpan<byte> ciphertext, Span<byte> message)
    {
        int k = p.K;
        int[] s = new int[MlKemPoly.N];
        int[] u = new int[MlKemPoly.N];
        int[] w = new int[MlKemPoly.N];
        int[] v = new int[MlKemPoly.N];
        try
        {
            int duBytes = 32 * p.Du;
            for (int i = 0; i < k; i++)
            {
                MlKemPoly.Decode(ciphertext.Slice(i * duBytes, duBytes), p.Du, u);
                MlKemPoly.Decompress(u, p.Du);
                MlKemPoly.Ntt(u);
                MlKemPoly.Decode(dkPke.Slice(i * PolyBytes, PolyBytes), 12, s);
                for (int j = 0; j < MlKemPoly.N; j++)
                {
                    // ByteDecode12 reduces mod q (a dk from elsewhere may hold values up to 4095).
                    s[j] = MlKemPoly.ModQ(s[j]);
                }

                MlKemPoly.MultiplyAccumulate(s, u, w);
            }

            MlKemPoly.Reduce(w);
            MlKemPoly.InverseNtt(w);
            MlKemPoly.Decode(ciphertext.Slice(k * duBytes, 32 * p.Dv), p.Dv, v);
            MlKemPoly.Decompress(v, p.Dv);
            MlKemPoly.Subtract(v, w);
            MlKemPoly.Compress(v, 1);
            message.Clear();
            for (int i = 0; i < MlKemPoly.N; i++)
            {
                message[i >> 3] |= (byte)(v[i] << (i & 7));
            }
        }
        finally
        {
            Array.Clear(s, 0, s.Length);
            Array.Clear(w, 0, w.Length);
            Array.Clear(v, 0, v.Length);
        }
    }

    /// <summary>Â[i, j] = SampleNTT(rho || j || i), stored row-major (Algorithm 13 lines 3-7).</summary>
    private static void ExpandMatrix(ReadOnlySpan<byte> rho, int k, int[] a)
    {
        Keccak xof = Keccak.Shake128();
        byte[] indices = new byte[2];
        byte[] block = new byte[Keccak.Shake128Rate];
        for (int i = 0; i < k; i++)
        {
            for (int j = 0; j < k; j++)
            {
                xof.ResetShake128();
                xof.Absorb(rho);
                indices[0] = (byte)j;
                indices[1] = (byte)i;
                xof.Absorb(indices);
                MlKemPoly.SampleNtt(xof, Poly(a, (i * k) + j), block);
            }
        }
    }

    /// <summary>SamplePolyCBD_eta(PRF_eta(seed, counter)).</summary>
    private static void SampleNoise(ReadOnlySpan<byte> seed, byte counter, int eta, byte[] buffer, Span<int> f)
    {
        Span<byte> bytes = buffer.AsSpan(0, 64 * eta);
        Keccak.Shake256(seed, new[] { counter }, bytes);
        MlKemPoly.SampleCbd(bytes, eta, f);
        bytes.Clear();
    }

    /// <summary>0xFF when a and b (same length) are equal, 0x00 otherwise; reads every byte, no early exit, no branch.</summary>
    private static byte EqualMask(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        int difference = 0;
        for (int i = 0; i < a.Length; i++)
        {
            difference |= a[i] ^ b[i];
        }

        // difference is in [0, 255]: difference - 1 is negative exactly when it is zero.
        return (byte)((difference - 1) >> 8);
    }

    private static Span<int> Poly(int[] vector, int index) => vector.AsSpan(index * MlKemPoly.N, MlKemPoly.N);

    private static void CheckLength(bool ok)
    {
        if (!ok)
        {
            throw new ArgumentException("An ML-KEM input has the wrong length.");
        }
    }
}
