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
/// The federation of the evidence tests (<see cref="ExchangeLogs"/>, <see cref="EvidenceWorld"/>): instance DEV,
/// a Central Server configuration-signing key pinned in the anchor, and a global configuration (serial 7, signed
/// with it) that approves the test PKI's issuing CA (with its OCSP responder) and TSA, and registers the members
/// (provider GOV/70000001, consumer ORG/70000002, a third GOV/70000003) and both security servers.
/// Public APIs only: the Audit tests compile this file too.
/// </summary>
internal sealed class EvidenceFederation : IDisposable
{
    public const string Instance = "DEV";

    public EvidenceFederation(TestPki pki, DateTimeOffset generatedAt)
    {
        ArgumentNullException.ThrowIfNull(pki);
        ConfigurationSigner = CreateConfigurationSigner("Test Central Server", generatedAt);
        AnchorBytes = ConfigurationAnchorSerializer.Write(ConfigurationAnchor.Create(Instance, ["https://cs.dev.example/globalconf"], [ConfigurationSigner]));
        var provider = new MemberId(Instance, "GOV", "70000001");
        var consumer = new MemberId(Instance, "ORG", "70000002");
        Configuration = new GlobalConfiguration
        {
            InstanceId = Instance,
            Serial = 7,
            GeneratedAt = generatedAt,
            ExpiresAt = generatedAt.AddDays(1),
            ManagementServiceAddress = "https://cs.dev.example:4180/managementservice",
            Settings = new ConfigurationSettings(TimeSpan.FromMinutes(20), TimeSpan.FromMinutes(1), TimeSpan.FromHours(4), TimeSpan.FromSeconds(60)),
            Members =
            [
                new MemberInfo(provider, "Provider Agency", ["consumer"]),
                new MemberInfo(consumer, "Clinic", ["clinic"]),
                new MemberInfo(new MemberId(Instance, "GOV", "70000003"), "Third Agency", []),
            ],
            SecurityServers =
            [
                new SecurityServerInfo(SecurityServerId.Parse(ExchangeLogs.ProviderServer), "ss1.dev.example:5500", [], [new SubsystemId(provider, "consumer")]),
                new SecurityServerInfo(SecurityServerId.Parse(ExchangeLogs.ConsumerServer), "ss2.dev.example:5500", [], [new SubsystemId(consumer, "clinic")]),
            ],
            ApprovedCas = [new ApprovedCa("Evidence Issuing CA", pki.IntermediateCertificate.RawData, [new OcspResponderInfo("http://ocsp.dev.example/", pki.OcspResponder.RawData)], CertificateSubjectProfile.Default)],
            ApprovedTsas = [new ApprovedTsa("Evidence TSA", "http://tsa.dev.example/", pki.Tsa.RawData)],
        };
        Signed = SignedConfiguration.Sign(Configuration, ConfigurationSigner, generatedAt);
    }

    public X509Certificate2 ConfigurationSigner { get; }

    public byte[] AnchorBytes { get; }

    public GlobalConfiguration Configuration { get; }

    public SignedConfiguration Signed { get; }

    /// <summary>The trust material a security server puts into an export or a bundle.</summary>
    public EvidenceTrust Evidence() => new(
        Signed.Content,
        Signed.Signature,
        AnchorBytes,
        [.. Configuration.ApprovedCas.Select(c => c.Certificate)],
        [.. Configuration.ApprovedTsas.Select(t => t.Certificate)]);

    /// <summary>A self-signed Central Server configuration-signing certificate with its key.</summary>
    public static X509Certificate2 CreateConfigurationSigner(string name, DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}, O=ExchangeGateway Central Server", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation, critical: true));
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        return request.CreateSelfSigned(now.AddDays(-30), now.AddDays(3650));
    }

    public static byte[] AnchorOf(X509Certificate2 signer) =>
        ConfigurationAnchorSerializer.Write(ConfigurationAnchor.Create(Instance, ["https://cs.other.example/globalconf"], [signer]));

    public void Dispose() => ConfigurationSigner.Dispose();
}
