using Xunit;

namespace TlsEngine.Tests.Adversary;

/// <summary>Without misbehaviour every role completes a real handshake with the engine and data flows.</summary>
public class BaselineTests
{
    [Fact]
    public void Tls13_adversary_server_completes_with_the_engine_client()
    {
        using var adversary = new Tls13ServerAdversary();
        adversary.Run();
        adversary.ExpectWorkingConnection();
    }

    [Fact]
    public void Tls13_adversary_client_completes_with_the_engine_server()
    {
        using var adversary = new Tls13ClientAdversary();
        adversary.Run();
        adversary.ExpectWorkingConnection();
    }

    [Fact]
    public void Tls12_adversary_server_completes_with_the_engine_client()
    {
        using var adversary = new Tls12ServerAdversary();
        adversary.Run();
        adversary.ExpectWorkingConnection();
    }

    [Fact]
    public void Tls12_adversary_client_completes_with_the_engine_server()
    {
        using var adversary = new Tls12ClientAdversary();
        adversary.Run();
        adversary.ExpectWorkingConnection();
    }
}
