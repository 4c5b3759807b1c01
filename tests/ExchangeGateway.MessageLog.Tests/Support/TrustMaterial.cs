using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ExchangeGateway.Common.Identifiers;
using ExchangeGateway.Config.Anchors;
using ExchangeGateway.Config.Model;
using ExchangeGateway.Config.Signing;
using ExchangeGateway.MessageLog.Evidence;
using ExchangeGateway.Testing.Pki;

namespace ExchangeGateway.MessageLog.Tests.Support;

/// <summary>
/// A federation's trust material made at test time: a global configuration approving the test PKI's issuing
/// CA (with its delegated OCSP responder) and TSA, registering the log's server, signed by a Central Server
/// key pinned in an anchor. Every key is new.
/// </summary>
internal sealed class TrustMaterial : IDisposable
{
    public const string Instance = "DEV";

    public TrustMaterial(TestPki pki, DateTimeOffset generatedAt, string csName = "Test Central Server")
    {
        GeneratedAt = generatedAt;
        ConfigurationSigner = CreateConfigurationSigner(csName, generatedAt);
        Anchor = ConfigurationAnchor.Create(Instance, ["https://cs.dev.example/globalconf"], [ConfigurationSigner]);
        Configuration = CreateConfiguration(pki, generatedAt);
        Signed = SignedConfiguration.Sign(Configuration, ConfigurationSigner, generatedAt);
    }

    public DateTimeOffset GeneratedAt { get; }

    public X509Certificate2 ConfigurationSigner { get; }

    public ConfigurationAnchor Anchor { get; }

    public byte[] AnchorBytes => ConfigurationAnchorSerializer.Write(Anchor);

    public GlobalConfiguration Configuration { get; }

    public SignedConfiguration Signed { get; }

    public static MemberId Provider { get; } = new(Instance, "GOV", "70000001");

    public static MemberId Consumer { get; } = new(Instance, "ORG", "70000002");

    /// <summary>The evidence trust as the security server holds it.</summary>
    public EvidenceTrust Evidence() => new(
        Signed.Content,
        Signed.Signature,
        AnchorBytes,
        [.. Configuration.ApprovedCas.Select(c => c.Certificate)],
        [.. Configuration.ApprovedTsas.Select(t => t.Certificate)]);

    /// <summary>A self-signed configuration-signing certificate with its key.</summary>
    public static X509Certificate2 CreateConfigurationSigner(string name, DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}, O=ExchangeGateway Central Server", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation, critical: true));
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        return request.CreateSelfSigned(now.AddDays(-30), now.AddDays(3650));
    }

    public static GlobalConfiguration CreateConfiguration(TestPki pki, DateTimeOffset generatedAt) => new()
    {
        InstanceId = Instance,
        Serial = 7,
        GeneratedAt = generatedAt,
        ExpiresAt = generatedAt + TimeSpan.FromDays(1),
        ManagementServiceAddress = "https://cs.dev.example:4180/managementservice",
        Settings = new ConfigurationSettings(TimeSpan.FromMinutes(20), TimeSpan.FromMinutes(1), TimeSpan.FromHours(4), TimeSpan.FromSeconds(60)),
        Members =
        [
            new MemberInfo(Provider, "Provider Agency", ["consumer"]),
            new MemberInfo(Consumer, "Clinic", ["clinic"]),
        ],
        SecurityServers =
        [
            new SecurityServerInfo(new SecurityServerId(Provider, "ss1"), "ss1.dev.example:5500", [], [new SubsystemId(Provider, "consumer")]),
            new SecurityServerInfo(new SecurityServerId(Consumer, "ss2"), "ss2.dev.example:5500", [], [new SubsystemId(Consumer, "clinic")]),
        ],
        ApprovedCas =
        [
            new ApprovedCa(
                "Test Issuing CA",
                pki.IntermediateCertificate.RawData,
                [new OcspResponderInfo("http://ocsp.dev.example/", pki.OcspResponder.RawData)],
                CertificateSubjectProfile.Default),
        ],
        ApprovedTsas = [new ApprovedTsa("Test TSA", "http://tsa.dev.example/", pki.Tsa.RawData)],
    };

    public void Dispose() => ConfigurationSigner.Dispose();
}
