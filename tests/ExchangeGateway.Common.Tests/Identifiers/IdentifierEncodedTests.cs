using ExchangeGateway.Common.Identifiers;

namespace ExchangeGateway.Common.Tests.Identifiers;

public sealed class IdentifierEncodedTests
{
    private const string InvalidIdentifier = "client.invalid_identifier";

    [Theory]
    [InlineData("EE/GOV/70000002/clinic", "EE/GOV/70000002/clinic")]
    [InlineData("%45%45/GOV/70000002/clinic", "EE/GOV/70000002/clinic")]
    [InlineData("EE/%47%4f%56/70000002/clinic", "EE/GOV/70000002/clinic")]
    [InlineData("EE/GOV/70000002/cl%69nic", "EE/GOV/70000002/clinic")]
    [InlineData("EE/GOV/70000002/a%3Fb", "EE/GOV/70000002/a?b")]
    [InlineData("EE/GOV/70000002/a%2bb", "EE/GOV/70000002/a+b")]
    [InlineData("EE/GOV/70000002/a+b", "EE/GOV/70000002/a+b")]
    [InlineData("EE/GOV/70000002/%27%28%29%2C%3D", "EE/GOV/70000002/'(),=")]
    [InlineData("EE/GOV/70000002", "EE/GOV/70000002")]
    public void ClientIdTryParseEncoded_ValidEncodings_DecodeToCanonical(string raw, string canonical)
    {
        var result = ClientId.TryParseEncoded(raw);

        Assert.True(result.Success, result.Message);
        Assert.Equal(canonical, result.Value.ToString());
        Assert.Equal(ClientId.Parse(canonical), result.Value);
    }

    [Theory]
    [InlineData("EE/GOV/70000002/a%2Fb", "encoded slash decodes inside the part")]
    [InlineData("EE/GOV/70000002/a%2fb", "lower-case encoded slash")]
    [InlineData("EE/GOV/70000002/%2e%2e", "encoded double-dot")]
    [InlineData("EE/GOV/70000002/%2E", "encoded dot")]
    [InlineData("EE/GOV/70000002/.%2E", "half-encoded double-dot")]
    [InlineData("EE/GOV/70000002/..", "literal double-dot")]
    [InlineData("EE/GOV/70000002/a%00b", "encoded NUL")]
    [InlineData("EE/GOV/70000002/a%", "lone percent")]
    [InlineData("EE/GOV/70000002/a%2", "one hex digit")]
    [InlineData("EE/GOV/70000002/a%G1", "non-hex digit")]
    [InlineData("EE/GOV/70000002/a%1G", "non-hex second digit")]
    [InlineData("EE/GOV/70000002/a%%41", "double percent")]
    [InlineData("EE/GOV/70000002/a%C3%A4", "UTF-8 encoded a-umlaut")]
    [InlineData("EE/GOV/70000002/a%EF%BC%A1", "UTF-8 encoded fullwidth A")]
    [InlineData("EE/GOV/70000002/a%80", "byte 0x80")]
    [InlineData("EE/GOV/70000002/a%FF", "byte 0xFF")]
    [InlineData("EE/GOV/70000002/a%20", "encoded space")]
    [InlineData("EE/GOV/70000002/a%0D%0A", "encoded CRLF")]
    [InlineData("EE/GOV/70000002/a%5C", "encoded backslash")]
    [InlineData("EE/GOV/70000002/a%25", "encoded percent")]
    [InlineData("EE/GOV/70000002/clinic%20", "trailing encoded space")]
    [InlineData("EE/GOV/70000002/clinic ", "trailing space")]
    [InlineData("EE/GOV/70000002/\uff43linic", "raw fullwidth letter")]
    [InlineData("EE/GOV/70000002/cl\u00efnic", "raw non-ASCII letter")]
    [InlineData("EE/GOV/70000002/", "empty part")]
    [InlineData("EE/GOV/70000002/%", "part is only a percent")]
    [InlineData("EE%2FGOV%2F70000002", "all separators encoded")]
    [InlineData("EE/GOV/70000002/clinic/extra", "five parts")]
    [InlineData("", "empty")]
    public void ClientIdTryParseEncoded_Rejected_FailsWithInvalidIdentifier(string raw, string because)
    {
        var result = ClientId.TryParseEncoded(raw);

        Assert.False(result.Success, because);
        Assert.Equal(InvalidIdentifier, result.ErrorCode);
        Assert.DoesNotContain(result.Message!, char.IsControl);
    }

    [Fact]
    public void TryParseEncoded_EncodedSlashBetweenParts_IsNeverASeparator()
    {
        // Four raw parts; if %2F were a separator this would be a valid five-part service.
        var result = ServiceId.TryParseEncoded("EE/GOV/70000001/hospital%2Fpatient-summary");

        Assert.False(result.Success);
        Assert.Contains("found 4", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParseEncoded_EncodedSlashInsidePart_IsRejectedAsACharacter()
    {
        var result = ServiceId.TryParseEncoded("EE/GOV/70000001/hospital/patient%2Fsummary");

        Assert.False(result.Success);
        Assert.Contains("serviceCode contains U+002F", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ServiceIdTryParseEncoded_SixParts_FailsBecauseRestHasNoVersion()
    {
        var result = ServiceId.TryParseEncoded("EE/GOV/70000001/hospital/patient-summary/v1");

        Assert.Equal(InvalidIdentifier, result.ErrorCode);
    }

    [Fact]
    public void SecurityServerIdTryParseEncoded_HeaderValue_Parses()
    {
        var result = SecurityServerId.TryParseEncoded("EE/GOV/70000001/ss%31");

        Assert.True(result.Success, result.Message);
        Assert.Equal(SecurityServerId.Parse("EE/GOV/70000001/ss1"), result.Value);
    }

    [Fact]
    public void MemberSubsystemAndGroupTryParseEncoded_Valid_Parse()
    {
        Assert.Equal(MemberId.Parse("EE/GOV/1"), MemberId.TryParseEncoded("EE/GOV/%31").Value);
        Assert.Equal(SubsystemId.Parse("EE/GOV/1/a"), SubsystemId.TryParseEncoded("EE/GOV/1/%61").Value);
        Assert.Equal(GlobalGroupId.Parse("EE/g"), GlobalGroupId.TryParseEncoded("EE/%67").Value);
    }

    [Fact]
    public void TryParseEncoded_PartOf255DecodedCharactersFullyEncoded_Succeeds()
    {
        var raw = string.Concat(Enumerable.Repeat("%41", 255));

        var result = MemberId.TryParseEncoded($"EE/GOV/{raw}");

        Assert.True(result.Success, result.Message);
        Assert.Equal(new string('A', 255), result.Value.MemberCode);
    }

    [Fact]
    public void TryParseEncoded_PartOf256DecodedCharacters_Fails()
    {
        var raw = string.Concat(Enumerable.Repeat("%41", 256));

        Assert.Equal(InvalidIdentifier, MemberId.TryParseEncoded($"EE/GOV/{raw}").ErrorCode);
    }
}
