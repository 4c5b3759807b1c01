using ExchangeGateway.Common.Identifiers;
using ExchangeGateway.Config.Model;
using ExchangeGateway.Config.Serialization;
using ExchangeGateway.Config.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.FSharp.Core;

namespace ExchangeGateway.Config.Tests.Serialization;

public sealed class GlobalConfigurationPropertyTests
{
    private const string Allowed = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'()+,-.=?";

    private static readonly FsCheck.Config Config = FsCheck.Config.QuickThrowOnFailure
        .WithMaxTest(300)
        .WithReplay(FSharpOption<Replay>.Some(new Replay(new Rnd(0xC0F1_6001UL, 0x9E37_79B9_7F4A_7C15UL), FSharpOption<int>.None)));

    private static readonly Gen<string> Part =
        from length in Gen.Choose(1, 8)
        from chars in Gen.ArrayOf(Gen.Elements(Allowed.ToCharArray()), length)
        let part = new string(chars)
        where part is not "." and not ".."
        select part;

    // Free text: printable ASCII, quotes, backslashes, non-ASCII and astral characters (escaping and UTF-8 paths).
    private static readonly Gen<string> Text =
        from length in Gen.Choose(1, 12)
        from chars in Gen.ArrayOf(Gen.Elements("aZ 09\"\\/<>&'\u00e4\u00fc\u2028\u20ac\u4e2d\U0001F600".EnumerateRunes().Select(r => r.ToString()).ToArray()), length)
        select string.Concat(chars);

    private static readonly Gen<GlobalConfiguration> Configurations =
        from instance in Part
        from serial in Gen.Choose(1, int.MaxValue).Select(i => (long)i * 1024)
        from generatedSeconds in Gen.Choose(0, int.MaxValue)
        from validSeconds in Gen.Choose(1, 1_000_000)
        from memberCount in Gen.Choose(0, 5)
        from codes in Gen.ArrayOf(Part, memberCount)
        from names in Gen.ArrayOf(Text, memberCount)
        from subsystems in Gen.ArrayOf(Gen.ArrayOf(Part, 3), memberCount)
        from serverCodes in Gen.ArrayOf(Part, memberCount)
        from hashes in Gen.ArrayOf(Gen.ArrayOf(Gen.Elements("0123456789abcdef".ToCharArray()), 64), memberCount)
        from scores in Gen.ArrayOf(Gen.Choose(0, 100), memberCount)
        from description in Text
        from settings in Gen.ArrayOf(Gen.Choose(1, 86_400), 4)
        select Build(instance, serial, generatedSeconds, validSeconds, codes, names, subsystems, serverCodes, hashes, scores, description, settings);

    [Fact]
    public void WriteRead_GeneratedConfigurations_RoundTripToTheSameBytes()
    {
        Prop.ForAll(Configurations.ToArbitrary(), config =>
        {
            var bytes = GlobalConfigurationSerializer.Write(config);
            var read = GlobalConfigurationSerializer.Read(bytes);
            return read.Success
                && bytes.AsSpan().SequenceEqual(GlobalConfigurationSerializer.Write(read.Value))
                && bytes.AsSpan().SequenceEqual(GlobalConfigurationSerializer.Write(config with { Members = [.. config.Members.Reverse()] }));
        }).Check(Config);
    }

    private static GlobalConfiguration Build(
        string instance, long serial, int generatedSeconds, int validSeconds, string[] codes, string[] names,
        string[][] subsystems, string[] serverCodes, char[][] hashes, int[] scores, string description, int[] settings)
    {
        var generated = DateTimeOffset.UnixEpoch.AddSeconds(generatedSeconds);
        var members = new List<MemberInfo>();
        var servers = new List<SecurityServerInfo>();
        var groupMembers = new List<ClientId>();
        var risks = new List<OrganisationRiskScore>();
        for (var i = 0; i < codes.Length; i++)
        {
            // Codes are made unique by position; subsystem codes by distinct.
            var member = new MemberId(instance, "GOV", $"{codes[i]}{i}");
            var subs = subsystems[i].Distinct(StringComparer.Ordinal).ToArray();
            members.Add(new MemberInfo(member, names[i], subs));
            servers.Add(new SecurityServerInfo(
                new SecurityServerId(member, serverCodes[i]),
                $"ss{i}.example.org:{5500 + i}",
                [$"{new string(hashes[i][..62])}{i:x2}"],
                [member, .. subs.Select(s => (ClientId)new SubsystemId(member, s))]));
            groupMembers.Add(member);
            risks.Add(new OrganisationRiskScore(member, scores[i], 100 - scores[i], new DateOnly(2025, 1, 1).AddDays(i), "v1"));
        }

        return new GlobalConfiguration
        {
            InstanceId = instance,
            Serial = serial,
            GeneratedAt = generated,
            ExpiresAt = generated.AddSeconds(validSeconds),
            ManagementServiceAddress = "https://cs.example.org/management",
            Settings = new ConfigurationSettings(
                TimeSpan.FromSeconds(settings[0]), TimeSpan.FromSeconds(settings[1]), TimeSpan.FromSeconds(settings[2]), TimeSpan.FromSeconds(settings[3])),
            Members = members,
            SecurityServers = servers,
            ApprovedCas = [new ApprovedCa(description, Samples.Pki.IntermediateCertificate.RawData, [], CertificateSubjectProfile.Default)],
            ApprovedTsas = [new ApprovedTsa("tsa " + description, "http://tsa.example.org/", Samples.Pki.Tsa.RawData)],
            GlobalGroups = [new GlobalGroup(new GlobalGroupId(instance, "all"), description, groupMembers)],
            RiskScores = risks,
        };
    }
}
