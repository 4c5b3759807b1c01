using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ExchangeGateway.Common.Identifiers;
using ExchangeGateway.Config.Anchors;
using ExchangeGateway.Config.Model;
using ExchangeGateway.Testing.Pki;
using ExchangeGateway.Testing.Time;

namespace ExchangeGateway.Config.Tests.Support;

/// <summary>Sample configurations and configuration-signing keys for tests; every key is made at test time.</summary>
internal static class Samples
{
    public static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly Lazy<TestPki> SharedPki = new(() => TestPki.Create(new ManualTimeProvider(Start.AddDays(-30)), name: "Config"));

    private static readonly Lazy<X509Certificate2> SharedAuth = new(() => SharedPki.Value.IssueAuthentication("EE", "GOV", "70000001", "ss1"));

    public static TestPki Pki => SharedPki.Value;

    /// <summary>A self-signed configuration-signing certificate with its key, valid a year around <paramref name="now"/>.</summary>
    public static X509Certificate2 CreateSigningCertificate(string name, DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}, O=ExchangeGateway Central Server", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation, critical: true));
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        return request.CreateSelfSigned(now.AddDays(-1), now.AddDays(365));
    }

    public static ConfigurationAnchor Anchor(string instance, IEnumerable<string> urls, params X509Certificate2[] certificates) =>
        ConfigurationAnchor.Create(instance, urls, certificates);

    public static GlobalConfiguration Configuration(string instance = "EE", long serial = 1, DateTimeOffset? generatedAt = null, TimeSpan? validity = null)
    {
        var generated = generatedAt ?? Start;
        var gov1 = new MemberId(instance, "GOV", "70000001");
        var gov2 = new MemberId(instance, "GOV", "70000002");
        var auth = SharedAuth.Value;
        return new GlobalConfiguration
        {
            InstanceId = instance,
            Serial = serial,
            GeneratedAt = generated,
            ExpiresAt = generated + (validity ?? TimeSpan.FromMinutes(10)),
            ManagementServiceAddress = "https://cs.example.org:4180/managementservice",
            Settings = new ConfigurationSettings(TimeSpan.FromMinutes(20), TimeSpan.FromMinutes(1), TimeSpan.FromHours(4), TimeSpan.FromSeconds(60)),
            Members =
            [
                new MemberInfo(gov2, "Clinic \"Ülemiste\" \u2603", ["clinic", "billing"]),
                new MemberInfo(gov1, "Hospital", ["hospital"]),
            ],
            SecurityServers =
            [
                new SecurityServerInfo(
                    new SecurityServerId(gov1, "ss1"),
                    "ss1.example.org:5500",
                    [Convert.ToHexStringLower(auth.GetCertHash(HashAlgorithmName.SHA256))],
                    [new SubsystemId(gov1, "hospital"), gov1]),
                new SecurityServerInfo(new SecurityServerId(gov2, "ss2"), "[::1]:5500", [], [new SubsystemId(gov2, "clinic")]),
            ],
            ApprovedCas =
            [
                new ApprovedCa(
                    "Test Issuing CA",
                    Pki.IntermediateCertificate.RawData,
                    [new OcspResponderInfo("http://ocsp.example.org/", Pki.OcspResponder.RawData), new OcspResponderInfo("http://ocsp2.example.org/")],
                    CertificateSubjectProfile.Default),
            ],
            ApprovedTsas = [new ApprovedTsa("Test TSA", "http://tsa.example.org/", Pki.Tsa.RawData)],
            GlobalGroups =
            [
                new GlobalGroup(new GlobalGroupId(instance, "security-servers"), "All owners", [gov2, gov1]),
                new GlobalGroup(new GlobalGroupId(instance, "clinics"), "", [new SubsystemId(gov2, "clinic")]),
            ],
            FederatedInstances =
            [
                new FederatedInstance(new ConfigurationAnchor(instance == "FI" ? "SE" : "FI", ["https://cs.fi.example/globalconf"], [Pki.RootCertificate.RawData])),
            ],
            RiskScores = [new OrganisationRiskScore(gov2, 80, 95, new DateOnly(2025, 11, 30), "2025.1")],
        };
    }
}
