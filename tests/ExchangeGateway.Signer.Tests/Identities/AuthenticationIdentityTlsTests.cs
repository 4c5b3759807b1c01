using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using ExchangeGateway.Common.Crypto.X509;
using ExchangeGateway.Signer.Identities;
using ExchangeGateway.Signer.Keys;
using ExchangeGateway.Signer.Tests.Support;
using ExchangeGateway.Testing.Pki;
using ExchangeGateway.Testing.Tools;

namespace ExchangeGateway.Signer.Tests.Identities;

public sealed class AuthenticationIdentityTlsTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly TestPki _pki = TestPki.Create();

    public void Dispose()
    {
        _pki.Dispose();
        _dir.Dispose();
    }

    [Theory]
    [InlineData(KeyAlgorithm.EcdsaP256, KeyAlgorithm.EcdsaP256)]
    [InlineData(KeyAlgorithm.Rsa2048, KeyAlgorithm.EcdsaP256)]
    public async Task SslStream_IdentitiesFromTheKeyStoreOnBothSides_CompleteMutualTls13(KeyAlgorithm serverKey, KeyAlgorithm clientKey)
    {
        // Keys as the Signer keeps them: encrypted in a software token, decrypted at login, no PKCS#12 round trip.
        using var server = TestIdentities.Authentication(_pki, _dir.File("server"), serverKey);
        using var client = TestIdentities.Authentication(_pki, _dir.File("client"), clientKey);

        await AssertMutualTls13Async(server, client);
    }

    [Fact]
    public async Task SslStream_IdentityBuiltFromAFreshlyIssuedCertificate_WorksAsClient()
    {
        // CopyWithPrivateKey over a key that never touched a file: an ephemeral OpenSSL key, no PKCS#12 round trip.
        using var server = TestIdentities.Authentication(_pki, _dir.File("server"));
        var issued = _pki.IssueAuthentication("DEV", "ORG", "70000002", "ss2");
        using var key = issued.GetECDsaPrivateKey()!;
        using var client = new AuthenticationIdentity(TestIdentities.Copy(issued).CopyWithPrivateKey(key), [TestIdentities.Copy(_pki.IntermediateCertificate)]);

        await AssertMutualTls13Async(server, client);
    }

    [Fact]
    public void Constructor_CertificateWithoutKey_Throws()
    {
        Assert.Throws<ArgumentException>(() => new AuthenticationIdentity(TestIdentities.Copy(_pki.IntermediateCertificate), []));
    }

    private async Task AssertMutualTls13Async(AuthenticationIdentity server, AuthenticationIdentity client)
    {
        var validator = _pki.CreateValidator();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;

        var serverSide = Task.Run(async () =>
        {
            using var accepted = await listener.AcceptTcpClientAsync(timeout.Token);
            await using var tls = new SslStream(accepted.GetStream(), leaveInnerStreamOpen: false);
            await tls.AuthenticateAsServerAsync(
                new SslServerAuthenticationOptions
                {
                    ServerCertificateContext = server.SslCertificateContext,
                    ClientCertificateRequired = true,
                    EnabledSslProtocols = SslProtocols.Tls13,
                    CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                    RemoteCertificateValidationCallback = (_, certificate, _, _) => IsPeer(certificate, client, validator),
                },
                timeout.Token);
            var buffer = new byte[4];
            await tls.ReadExactlyAsync(buffer, timeout.Token);
            await tls.WriteAsync("pong"u8.ToArray(), timeout.Token);
            return (tls.SslProtocol, Peer: tls.RemoteCertificate!.GetRawCertData(), Request: buffer);
        });

        using var connection = new TcpClient();
        await connection.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
        await using var clientTls = new SslStream(connection.GetStream(), leaveInnerStreamOpen: false);
        await clientTls.AuthenticateAsClientAsync(
            new SslClientAuthenticationOptions
            {
                TargetHost = "ss1.dev.test",
                ClientCertificateContext = client.SslCertificateContext,
                EnabledSslProtocols = SslProtocols.Tls13,
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                RemoteCertificateValidationCallback = (_, certificate, _, _) => IsPeer(certificate, server, validator),
            },
            timeout.Token);
        await clientTls.WriteAsync("ping"u8.ToArray(), timeout.Token);
        var reply = new byte[4];
        await clientTls.ReadExactlyAsync(reply, timeout.Token);
        var serverResult = await serverSide;

        Assert.Equal(SslProtocols.Tls13, clientTls.SslProtocol);
        Assert.Equal(SslProtocols.Tls13, serverResult.SslProtocol);
        Assert.Equal(client.Certificate.RawData, serverResult.Peer);
        Assert.Equal(server.Certificate.RawData, clientTls.RemoteCertificate!.GetRawCertData());
        Assert.Equal("ping"u8.ToArray(), serverResult.Request);
        Assert.Equal("pong"u8.ToArray(), reply);
    }

    [Fact]
    public void CertificateSha256_IsTheLowercaseHexHashOfTheDer()
    {
        using var identity = TestIdentities.Authentication(_pki, _dir.File("token"));

        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(identity.Certificate.RawData)), identity.CertificateSha256);
        Assert.Equal(2, identity.Chain.Count);
    }

    // The peer is checked against what it must be (here: the expected identity, validated for
    // authentication under the test root), never against the OS trust store.
    private static bool IsPeer(X509Certificate? presented, AuthenticationIdentity expected, CertificateValidator validator)
    {
        if (presented is null)
        {
            return false;
        }

        using var certificate = X509CertificateLoader.LoadCertificate(presented.GetRawCertData());
        return certificate.RawDataMemory.Span.SequenceEqual(expected.Certificate.RawDataMemory.Span)
            && validator.Validate(certificate, CertificatePurpose.Authentication, DateTimeOffset.UtcNow).IsValid;
    }
}
