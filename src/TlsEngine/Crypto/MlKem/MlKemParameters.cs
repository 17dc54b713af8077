namespace TlsEngine.Crypto.MlKem;

/// <summary>An ML-KEM parameter set (FIPS 203 §8, Table 2) and the sizes it implies (Table 3).</summary>
internal sealed class MlKemParameters
{
    public static readonly MlKemParameters MlKem512 = new("ML-KEM-512", k: 2, eta1: 3, du: 10, dv: 4);
    public static readonly MlKemParameters MlKem768 = new("ML-KEM-768", k: 3, eta1: 2, du: 10, dv: 4);
    public static readonly MlKemParameters MlKem1024 = new("ML-KEM-1024", k: 4, eta1: 2, du: 11, dv: 5);

    private MlKemParameters(string name, int k, int eta1, int du, int dv)
    {
        Name = name;
        K = k;
        Eta1 = eta1;
        Du = du;
        Dv = dv;
    }

    public string Name { get; }

    public int K { get; }

    public int Eta1 { get; }

    public int Eta2 => 2;

    public int Du { get; }

    public int Dv { get; }

    public int EncapsulationKeySize => (384 * K) + 32;

    public int DecapsulationKeySize => (768 * K) + 96;

    public int CiphertextSize => 32 * ((Du * K) + Dv);

    public int SharedSecretSize => 32;

    public override string ToString() => Name;
}
