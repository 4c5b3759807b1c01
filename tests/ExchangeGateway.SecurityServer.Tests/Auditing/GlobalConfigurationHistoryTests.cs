using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ExchangeGateway.Common.Results;
using ExchangeGateway.Config.Anchors;
using ExchangeGateway.Config.Model;
using ExchangeGateway.Config.Signing;
using ExchangeGateway.SecurityServer.Auditing;
using ExchangeGateway.Testing.Pki;
using ExchangeGateway.Testing.Time;
using ExchangeGateway.Testing.Tools;
using Microsoft.Extensions.Logging.Abstractions;

namespace ExchangeGateway.SecurityServer.Tests.Auditing;

/// <summary>The history of verified global configurations: one entry per change of trust material, the one in force at a time, bounded, re-verified when read.</summary>
public sealed class GlobalConfigurationHistoryTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _dir = new();
    private readonly ManualTimeProvider _time = new(Start);
    private readonly TestPki _pki;
    private readonly X509Certificate2 _csKey;
    private readonly ConfigurationAnchor _anchor;

    public GlobalConfigurationHistoryTests()
    {
        _pki = TestPki.Create(_time);
        _csKey = SigningCertificate("cs-signing");
        _anchor = ConfigurationAnchor.Create("DEV", ["http://127.0.0.1/globalconf"], [_csKey]);
    }

    public void Dispose()
    {
        _csKey.Dispose();
        _pki.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public void Record_First_WritesTheSignedConfigurationItsAnchorAndTheIndex()
    {
        var history = History();
        var (signed, configuration) = Sign(1);

        Assert.True(history.Record(signed, configuration, _anchor));

        var entry = Assert.Single(history.Entries());
        Assert.Equal(1, entry.Serial);
        Assert.Equal(configuration.GeneratedAt, entry.GeneratedAt);
        Assert.Equal(Start, entry.RecordedAt);
        Assert.Equal(signed.ContentSha256Hex(), entry.ContentSha256);
        Assert.Equal(GlobalConfigurationHistory.TrustDigest(configuration), entry.TrustSha256);
        Assert.Equal(SignedConfigurationEnvelope.Write(signed), File.ReadAllBytes(Path.Combine(history.Directory, "1.signed.json")));
        Assert.Equal(ConfigurationAnchorSerializer.Write(_anchor), File.ReadAllBytes(Path.Combine(history.Directory, $"anchor-{entry.AnchorSha256}.json")));
        Assert.Equal(entry, Assert.Single(History().Entries()));
    }

    [Fact]
    public void Record_NewSerialSameTrustMaterial_NotKept_OlderSerialNeither()
    {
        var history = History();
        var (first, firstConfiguration) = Sign(5);
        Assert.True(history.Record(first, firstConfiguration, _anchor));
        _time.Advance(TimeSpan.FromMinutes(1));

        var (same, sameConfiguration) = Sign(6, members: 3);
        var (older, olderConfiguration) = Sign(4, tsa: "other-tsa");

        Assert.False(history.Record(same, sameConfiguration, _anchor));
        Assert.False(history.Record(older, olderConfiguration, _anchor));
        Assert.Equal([5L], history.Entries().Select(e => e.Serial));
        Assert.False(File.Exists(Path.Combine(history.Directory, "6.signed.json")));
    }

    [Fact]
    public void InForceAt_PicksTheEntryRecordedLastAtOrBeforeTheTime()
    {
        var history = History();
        var (first, firstConfiguration) = Sign(1);
        history.Record(first, firstConfiguration, _anchor);
        _time.Advance(TimeSpan.FromHours(1));
        var (second, secondConfiguration) = Sign(2, tsa: "second-tsa");
        Assert.True(history.Record(second, secondConfiguration, _anchor));

        Assert.Null(history.InForceAt(Start - TimeSpan.FromTicks(1)));
        Assert.Equal(1, Serial(history.InForceAt(Start)));
        Assert.Equal(1, Serial(history.InForceAt(Start + TimeSpan.FromMinutes(59))));
        Assert.Equal(2, Serial(history.InForceAt(Start + TimeSpan.FromHours(1))));
        Assert.Equal(2, Serial(history.InForceAt(Start + TimeSpan.FromDays(400))));
    }

    [Fact]
    public void TrustAt_GivesTheEvidenceTrustOfThatConfiguration()
    {
        var history = History();
        var (signed, configuration) = Sign(1);
        history.Record(signed, configuration, _anchor);

        var trust = history.TrustAt(Start)!.Value;

        Assert.True(trust.IsValid, trust.Message);
        var evidence = trust.Value!;
        Assert.Equal(signed.Content.ToArray(), evidence.ConfigurationContent.ToArray());
        Assert.Equal(signed.Signature.ToArray(), evidence.ConfigurationSignature.ToArray());
        Assert.Equal(ConfigurationAnchorSerializer.Write(_anchor), evidence.Anchor.ToArray());
        Assert.Equal([_pki.IntermediateCertificate.RawData], evidence.CaCertificates.Select(c => c.ToArray()));
        Assert.Equal([_pki.Tsa.RawData], evidence.TsaCertificates.Select(c => c.ToArray()));
    }

    [Fact]
    public void InForceAt_StoredCopyChanged_FailsNamingTheSerial()
    {
        var history = History();
        var (signed, configuration) = Sign(7);
        history.Record(signed, configuration, _anchor);
        var path = Path.Combine(history.Directory, "7.signed.json");
        var (forged, _) = Sign(7, tsa: "forged-tsa");
        File.WriteAllBytes(path, SignedConfigurationEnvelope.Write(forged));

        var result = history.InForceAt(Start)!.Value;

        Assert.Equal(TrustFailure.DigestMismatch, result.Failure);
        Assert.Equal("configuration serial 7 of the history does not match its index entry", result.Message);
    }

    [Fact]
    public void InForceAt_SignedByAKeyTheAnchorDoesNotPin_Fails()
    {
        using var otherKey = SigningCertificate("not-the-cs");
        var history = History();
        var configuration = Configuration(3, "tsa", 1);
        var signed = SignedConfiguration.Sign(configuration, otherKey, Start);
        history.Record(signed, configuration, _anchor);

        var result = history.InForceAt(Start)!.Value;

        Assert.Equal(TrustFailure.UntrustedCertificate, result.Failure);
        Assert.StartsWith("configuration serial 3 of the history: ", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Record_BeyondTheBound_RemovesTheOldestWithTheirFiles()
    {
        var history = History(maxEntries: 2);
        foreach (var serial in new[] { 1L, 2, 3 })
        {
            var (signed, configuration) = Sign(serial, tsa: "tsa-" + serial);
            Assert.True(history.Record(signed, configuration, _anchor));
            _time.Advance(TimeSpan.FromMinutes(1));
        }

        Assert.Equal([2L, 3], history.Entries().Select(e => e.Serial));
        Assert.False(File.Exists(Path.Combine(history.Directory, "1.signed.json")));
        Assert.True(File.Exists(Path.Combine(history.Directory, "2.signed.json")));
        Assert.Single(Directory.GetFiles(history.Directory, "anchor-*.json"));
        Assert.Null(history.InForceAt(Start));
    }

    [Fact]
    public void Entries_UnreadableIndex_StartsAgain()
    {
        var history = History();
        Directory.CreateDirectory(history.Directory);
        File.WriteAllText(Path.Combine(history.Directory, "index.json"), "{\"format\":\"something else\"}");
        var (signed, configuration) = Sign(1);

        Assert.Empty(history.Entries());
        Assert.True(history.Record(signed, configuration, _anchor));
        Assert.Single(History().Entries());
    }

    [Fact]
    public void TrustDigest_CoversCasTsasAndProfilesButNotMembersOrSerial()
    {
        var baseline = GlobalConfigurationHistory.TrustDigest(Configuration(1, "tsa", 1));

        Assert.Equal(baseline, GlobalConfigurationHistory.TrustDigest(Configuration(9, "tsa", 4)));
        Assert.NotEqual(baseline, GlobalConfigurationHistory.TrustDigest(Configuration(1, "tsa2", 1)));
        var otherProfile = Configuration(1, "tsa", 1) with
        {
            ApprovedCas = [new ApprovedCa("Test CA", _pki.IntermediateCertificate.RawData, [], new CertificateSubjectProfile("OU", "CN", "C"))],
        };
        Assert.NotEqual(baseline, GlobalConfigurationHistory.TrustDigest(otherProfile));
    }

    private static long? Serial(VerificationResult<HistoricalConfiguration>? result)
    {
        Assert.NotNull(result);
        Assert.True(result.Value.IsValid, result.Value.Message);
        return result.Value.Value!.Configuration.Serial;
    }

    private GlobalConfigurationHistory History(int maxEntries = GlobalConfigurationHistory.MaxEntries) =>
        new(_dir.Path, _time, NullLogger<GlobalConfigurationHistory>.Instance, maxEntries);

    private (SignedConfiguration Signed, GlobalConfiguration Configuration) Sign(long serial, string tsa = "tsa", int members = 1)
    {
        var configuration = Configuration(serial, tsa, members);
        return (SignedConfiguration.Sign(configuration, _csKey, Start), configuration);
    }

    private GlobalConfiguration Configuration(long serial, string tsa, int members) => new()
    {
        InstanceId = "DEV",
        Serial = serial,
        GeneratedAt = Start - TimeSpan.FromMinutes(1),
        ExpiresAt = Start + TimeSpan.FromMinutes(10),
        ManagementServiceAddress = "https://127.0.0.1:4180/managementservice",
        Settings = new ConfigurationSettings(TimeSpan.FromMinutes(20), TimeSpan.FromMinutes(1), TimeSpan.FromHours(4), TimeSpan.FromSeconds(60)),
        Members = [.. Enumerable.Range(1, members).Select(i => new MemberInfo(new Common.Identifiers.MemberId("DEV", "GOV", "7000000" + i), "Member " + i, []))],
        ApprovedCas = [new ApprovedCa("Test CA", _pki.IntermediateCertificate.RawData, [new OcspResponderInfo("http://127.0.0.1/ocsp", _pki.OcspResponder.RawData)], CertificateSubjectProfile.Default)],
        ApprovedTsas = [new ApprovedTsa(tsa, "http://127.0.0.1/tsa", _pki.Tsa.RawData)],
    };

    private static X509Certificate2 SigningCertificate(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}, O=ExchangeGateway Central Server", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation, critical: true));
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        return request.CreateSelfSigned(Start.AddDays(-1), Start.AddDays(365));
    }
}
