using System.Text;
using ExchangeGateway.Common.Identifiers;
using ExchangeGateway.Config.Model;
using ExchangeGateway.Config.Serialization;
using ExchangeGateway.Config.Tests.Support;

namespace ExchangeGateway.Config.Tests.Serialization;

public sealed class GlobalConfigurationSerializerTests
{
    [Fact]
    public void Write_SameSnapshot_SameBytes()
    {
        var config = Samples.Configuration();
        var reordered = config with
        {
            Members = [.. config.Members.Reverse()],
            SecurityServers = [.. config.SecurityServers.Reverse()],
            GlobalGroups = [.. config.GlobalGroups.Reverse()],
        };

        Assert.Equal(GlobalConfigurationSerializer.Write(config), GlobalConfigurationSerializer.Write(config));
        Assert.Equal(GlobalConfigurationSerializer.Write(config), GlobalConfigurationSerializer.Write(reordered));
    }

    [Fact]
    public void Read_CanonicalBytes_RoundTripsExactly()
    {
        var bytes = GlobalConfigurationSerializer.Write(Samples.Configuration());

        var read = GlobalConfigurationSerializer.Read(bytes);

        Assert.True(read.Success, read.Message);
        Assert.Equal(bytes, GlobalConfigurationSerializer.Write(read.Value));
        Assert.Equal("EE", read.Value.InstanceId);
        Assert.Equal(2, read.Value.Members.Count);
        Assert.Equal("Clinic \"Ülemiste\" \u2603", read.Value.FindMember(MemberId.Parse("EE/GOV/70000002"))!.Name);
    }

    [Fact]
    public void Write_Output_IsCompactSortedUtcJson()
    {
        var text = Encoding.UTF8.GetString(GlobalConfigurationSerializer.Write(Samples.Configuration()));

        Assert.StartsWith("{\"approvedCas\":[{\"certificate\":\"", text, StringComparison.Ordinal);
        Assert.Contains("\"expiresAt\":\"2026-01-01T00:10:00Z\"", text, StringComparison.Ordinal);
        Assert.Contains("\"members\":[{\"id\":\"EE/GOV/70000001\"", text, StringComparison.Ordinal);
        Assert.Contains("\"subsystemCodes\":[\"billing\",\"clinic\"]", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain(": ", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Model_SubSecondTimes_AreTruncatedSoTheyRoundTrip()
    {
        var config = Samples.Configuration() with { GeneratedAt = new DateTimeOffset(2026, 1, 1, 2, 0, 0, 123, TimeSpan.FromHours(2)) };

        Assert.Equal(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), config.GeneratedAt);
        Assert.Equal(TimeSpan.Zero, config.GeneratedAt.Offset);
    }

    [Fact]
    public void Read_DuplicateKey_Rejected() =>
        AssertRejected(Mutate(t => t.Replace("{\"approvedCas\":", "{\"serial\":1,\"approvedCas\":", StringComparison.Ordinal)), "more than once");

    [Fact]
    public void Read_DuplicateKeyInNestedObject_Rejected() =>
        AssertRejected(Mutate(t => t.Replace("\"ocspFreshnessSeconds\":1200", "\"ocspFreshnessSeconds\":1200,\"ocspFreshnessSeconds\":1200", StringComparison.Ordinal)), "more than once");

    [Fact]
    public void Read_UnknownProperty_Rejected() =>
        AssertRejected(Mutate(t => t.Replace("\"serial\":1,", "\"serial\":1,\"zzz\":true,", StringComparison.Ordinal)), "unknown member");

    [Fact]
    public void Read_MissingProperty_Rejected() =>
        AssertRejected(Mutate(t => t.Replace("\"serial\":1,", "", StringComparison.Ordinal)), "lacks the required member 'serial'");

    [Fact]
    public void Read_BadIdentifier_Rejected() =>
        AssertRejected(Mutate(t => t.Replace("\"id\":\"EE/GOV/70000001\"", "\"id\":\"EE/GOV/7000 0001\"", StringComparison.Ordinal)), "memberCode");

    [Fact]
    public void Read_CaseVariantIdentifier_NotTheSameMember()
    {
        // A hosted client differing only in case is not registered, so the document breaks a rule.
        AssertRejected(Mutate(t => t.Replace("\"clients\":[\"EE/GOV/70000002/clinic\"]", "\"clients\":[\"EE/gov/70000002/clinic\"]", StringComparison.Ordinal)), "not registered");
    }

    [Fact]
    public void Read_Oversize_RejectedBeforeParsing()
    {
        var bytes = new byte[1024 + 1];
        Array.Fill(bytes, (byte)'[');

        var read = GlobalConfigurationSerializer.Read(bytes, maxBytes: 1024);

        Assert.False(read.Success);
        Assert.Contains("more than the limit of 1024", read.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_DefaultCap_IsTenMebibytes()
    {
        var bytes = new byte[(10 * 1024 * 1024) + 1];

        var read = GlobalConfigurationSerializer.Read(bytes);

        Assert.False(read.Success);
        Assert.Contains("limit", read.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_InvalidUtf8_Rejected()
    {
        var bytes = GlobalConfigurationSerializer.Write(Samples.Configuration());
        var at = Encoding.UTF8.GetString(bytes).IndexOf("Hospital", StringComparison.Ordinal);
        bytes[Encoding.UTF8.GetByteCount(Encoding.UTF8.GetString(bytes)[..at])] = 0xFF;

        AssertRejected(bytes, "UTF-8");
    }

    [Fact]
    public void Read_EscapedLoneSurrogate_Rejected() =>
        AssertRejected(Mutate(t => t.Replace("\"name\":\"Hospital\"", "\"name\":\"Hospital\\ud800\"", StringComparison.Ordinal)), "invalid");

    [Theory]
    [InlineData(17)]
    [InlineData(1_000)]
    [InlineData(100_000)]
    public void Read_DeepNesting_Rejected(int depth)
    {
        var bytes = Encoding.ASCII.GetBytes("{\"a\":" + new string('[', depth) + new string(']', depth) + "}");

        AssertRejected(bytes, "depth");
    }

    [Fact]
    public void Read_InsignificantWhitespace_RejectedAsNonCanonical() =>
        AssertRejected(Mutate(t => t.Replace("\"serial\":1,", "\"serial\": 1,", StringComparison.Ordinal)), "canonical");

    [Fact]
    public void Read_UnsortedList_RejectedAsNonCanonical() =>
        AssertRejected(Mutate(t => t.Replace("[\"billing\",\"clinic\"]", "[\"clinic\",\"billing\"]", StringComparison.Ordinal)), "canonical");

    [Fact]
    public void Read_ByteOrderMark_Rejected()
    {
        var bytes = GlobalConfigurationSerializer.Write(Samples.Configuration());

        AssertRejected([0xEF, 0xBB, 0xBF, .. bytes], "JSON");
    }

    [Fact]
    public void Read_WrongType_Rejected() =>
        AssertRejected(Mutate(t => t.Replace("\"serial\":1,", "\"serial\":\"1\",", StringComparison.Ordinal)), "integer");

    [Fact]
    public void Read_FractionalSerial_Rejected() =>
        AssertRejected(Mutate(t => t.Replace("\"serial\":1,", "\"serial\":1.0,", StringComparison.Ordinal)), "integer");

    [Fact]
    public void Write_HostedClientNotRegistered_Throws()
    {
        var config = Samples.Configuration();
        var server = config.SecurityServers[0] with { Clients = [ClientId.Parse("EE/GOV/99999999")] };

        var ex = Assert.Throws<ArgumentException>(() => GlobalConfigurationSerializer.Write(config with { SecurityServers = [server, config.SecurityServers[1]] }));

        Assert.Contains("not registered", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_ExpiryNotAfterGeneration_Throws()
    {
        var config = Samples.Configuration();

        Assert.Throws<ArgumentException>(() => GlobalConfigurationSerializer.Write(config with { ExpiresAt = config.GeneratedAt }));
    }

    [Fact]
    public void Write_NoDisabledClients_OmitsTheMemberSoOldBytesStay()
    {
        var text = Encoding.UTF8.GetString(GlobalConfigurationSerializer.Write(Samples.Configuration()));

        Assert.DoesNotContain("disabledClients", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_DisabledClients_SortedBetweenClientsAndIdAndRoundTrip()
    {
        var config = WithDisabled(ClientId.Parse("EE/GOV/70000001/hospital"), ClientId.Parse("EE/GOV/70000001"));

        var bytes = GlobalConfigurationSerializer.Write(config);
        var text = Encoding.UTF8.GetString(bytes);
        var read = GlobalConfigurationSerializer.Read(bytes);

        Assert.Contains("\"clients\":[\"EE/GOV/70000001\",\"EE/GOV/70000001/hospital\"],\"disabledClients\":[\"EE/GOV/70000001\",\"EE/GOV/70000001/hospital\"],\"id\":\"EE/GOV/70000001/ss1\"", text, StringComparison.Ordinal);
        Assert.True(read.Success, read.Message);
        Assert.Equal(bytes, GlobalConfigurationSerializer.Write(read.Value));
        var server = read.Value.FindSecurityServer(SecurityServerId.Parse("EE/GOV/70000001/ss1"))!;
        Assert.True(server.IsDisabled(ClientId.Parse("EE/GOV/70000001/hospital")));
        Assert.False(read.Value.FindSecurityServer(SecurityServerId.Parse("EE/GOV/70000002/ss2"))!.IsDisabled(ClientId.Parse("EE/GOV/70000002/clinic")));
    }

    [Fact]
    public void Read_EmptyDisabledClients_RejectedAsNotCanonical() =>
        AssertRejected(Mutate(t => t.Replace("\"clients\":[\"EE/GOV/70000002/clinic\"],", "\"clients\":[\"EE/GOV/70000002/clinic\"],\"disabledClients\":[],", StringComparison.Ordinal)), "canonical");

    [Fact]
    public void Read_DisabledClientNotHosted_Rejected() =>
        AssertRejected(Mutate(t => t.Replace("\"clients\":[\"EE/GOV/70000002/clinic\"],", "\"clients\":[\"EE/GOV/70000002/clinic\"],\"disabledClients\":[\"EE/GOV/70000001/hospital\"],", StringComparison.Ordinal)), "does not host");

    [Fact]
    public void Read_DisabledClientTwice_Rejected() =>
        AssertRejected(Mutate(t => t.Replace("\"clients\":[\"EE/GOV/70000002/clinic\"],", "\"clients\":[\"EE/GOV/70000002/clinic\"],\"disabledClients\":[\"EE/GOV/70000002/clinic\",\"EE/GOV/70000002/clinic\"],", StringComparison.Ordinal)), "disabled clients");

    [Fact]
    public void Read_DisabledClientBadIdentifier_Rejected() =>
        AssertRejected(Mutate(t => t.Replace("\"clients\":[\"EE/GOV/70000002/clinic\"],", "\"clients\":[\"EE/GOV/70000002/clinic\"],\"disabledClients\":[\"EE/GOV/7000 0002/clinic\"],", StringComparison.Ordinal)), "memberCode");

    [Fact]
    public void Write_DisabledClientNotHosted_Throws()
    {
        var config = Samples.Configuration();
        var server = config.SecurityServers[1] with { DisabledClients = [ClientId.Parse("EE/GOV/70000001/hospital")] };

        var ex = Assert.Throws<ArgumentException>(() => GlobalConfigurationSerializer.Write(config with { SecurityServers = [config.SecurityServers[0], server] }));

        Assert.Contains("does not host", ex.Message, StringComparison.Ordinal);
    }

    private static GlobalConfiguration WithDisabled(params ClientId[] disabled)
    {
        var config = Samples.Configuration();
        var server = config.SecurityServers[0] with { DisabledClients = disabled };
        return config with { SecurityServers = [server, config.SecurityServers[1]] };
    }

    [Fact]
    public void Model_ListPassedIn_IsCopied()
    {
        var codes = new List<string> { "a" };
        var member = new MemberInfo(MemberId.Parse("EE/GOV/1"), "x", codes);

        codes.Add("b");

        Assert.Single(member.SubsystemCodes);
    }

    private static byte[] Mutate(Func<string, string> change)
    {
        var text = Encoding.UTF8.GetString(GlobalConfigurationSerializer.Write(Samples.Configuration()));
        var changed = change(text);
        Assert.NotEqual(text, changed);
        return Encoding.UTF8.GetBytes(changed);
    }

    private static void AssertRejected(byte[] bytes, string reason)
    {
        var read = GlobalConfigurationSerializer.Read(bytes);
        Assert.False(read.Success);
        Assert.Equal(ConfigurationErrors.Malformed, read.ErrorCode);
        Assert.Contains(reason, read.Message, StringComparison.OrdinalIgnoreCase);
    }
}
