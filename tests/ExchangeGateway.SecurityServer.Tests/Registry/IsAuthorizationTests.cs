using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ExchangeGateway.Common.Identifiers;
using ExchangeGateway.SecurityServer.Registry;

namespace ExchangeGateway.SecurityServer.Tests.Registry;

public sealed class IsAuthorizationTests : IDisposable
{
    private readonly X509Certificate2 _registered = SelfSigned("CN=registered IS");
    private readonly X509Certificate2 _other = SelfSigned("CN=other IS");

    public void Dispose()
    {
        _registered.Dispose();
        _other.Dispose();
    }

    public static TheoryData<ConnectionType, bool, string, IsAuthorizationFailure?> Matrix() => new()
    {
        // connection type, HTTPS?, certificate (none, registered, other), expected failure
        { ConnectionType.Http, false, "none", null },
        { ConnectionType.Http, true, "none", null },
        { ConnectionType.Http, true, "registered", null },
        { ConnectionType.Http, true, "other", null },
        { ConnectionType.Https, false, "none", IsAuthorizationFailure.PlainHttpNotAllowed },
        { ConnectionType.Https, true, "none", null },
        { ConnectionType.Https, true, "registered", null },
        { ConnectionType.Https, true, "other", null },
        { ConnectionType.HttpsCertificate, false, "none", IsAuthorizationFailure.PlainHttpNotAllowed },
        { ConnectionType.HttpsCertificate, false, "registered", IsAuthorizationFailure.PlainHttpNotAllowed },
        { ConnectionType.HttpsCertificate, true, "none", IsAuthorizationFailure.MissingCertificate },
        { ConnectionType.HttpsCertificate, true, "registered", null },
        { ConnectionType.HttpsCertificate, true, "other", IsAuthorizationFailure.CertificateNotRegistered },
    };

    [Theory]
    [MemberData(nameof(Matrix))]
    public void Check_ConnectionTypeByTransportByCertificate(ConnectionType type, bool https, string certificate, IsAuthorizationFailure? expected)
    {
        var client = Client(type, Hash(_registered));
        var presented = certificate switch
        {
            "registered" => _registered,
            "other" => _other,
            _ => null,
        };

        var result = IsAuthorization.Check(client, https, presented);

        Assert.Equal(expected, result.Failure);
        Assert.Equal(expected is null, result.IsAllowed);
        if (!result.IsAllowed)
        {
            Assert.StartsWith("Client (DEV/GOV/70000001/consumer) ", result.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Check_HttpsCertificateWithNoneRegistered_SaysSo()
    {
        var result = IsAuthorization.Check(Client(ConnectionType.HttpsCertificate), true, _registered);

        Assert.Equal(IsAuthorizationFailure.NoCertificateRegistered, result.Failure);
        Assert.Equal("Client (DEV/GOV/70000001/consumer) has no IS certificates", result.Message);
    }

    [Fact]
    public void Check_OneOfSeveralRegistered_IsAllowed()
    {
        var result = IsAuthorization.Check(Client(ConnectionType.HttpsCertificate, Hash(_other), Hash(_registered)), true, _registered);

        Assert.True(result.IsAllowed);
    }

    [Fact]
    public void Check_PlainHttpToHttpsClient_UsesXRoadWording()
    {
        var result = IsAuthorization.Check(Client(ConnectionType.HttpsCertificate, Hash(_registered)), true, null);

        Assert.Equal("Client (DEV/GOV/70000001/consumer) specifies HTTPS but did not supply TLS certificate", result.Message);
    }

    [Fact]
    public void ErrorCode_IsXRoadsClientProxySslAuthenticationFailed()
    {
        Assert.Equal("server.clientproxy.ssl_authentication_failed", IsAuthorizationResult.ErrorCode.Value);
    }

    private static LocalClient Client(ConnectionType type, params string[] hashes) => new()
    {
        Id = ClientId.Parse("DEV/GOV/70000001/consumer"),
        ConnectionType = type,
        IsCertificateHashes = [.. hashes],
    };

    private static string Hash(X509Certificate2 certificate) => Convert.ToHexStringLower(SHA256.HashData(certificate.RawData));

    private static X509Certificate2 SelfSigned(string subject)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));
    }
}
