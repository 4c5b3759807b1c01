using ExchangeGateway.Common.Identifiers;
using ExchangeGateway.Common.Results;

namespace ExchangeGateway.Common.Tests.Identifiers;

public sealed class IdentifierTextTests
{
    private const string InvalidIdentifier = "client.invalid_identifier";
    private const string AllowedSet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'()+,-.=?";

    [Fact]
    public void TryParse_EveryUtf16CodeUnit_AcceptsExactlyTheStrictSet()
    {
        for (var c = 0; c <= char.MaxValue; c++)
        {
            var ch = (char)c;
            var result = MemberId.TryParse($"EE/GOV/a{ch}b");
            var expected = AllowedSet.Contains(ch, StringComparison.Ordinal);
            Assert.True(result.Success == expected, $"U+{c:X4}: expected success={expected}");
            if (!expected)
            {
                Assert.Equal(InvalidIdentifier, result.ErrorCode);
            }
        }
    }

    [Theory]
    [InlineData(" ", "space")]
    [InlineData("\t", "tab")]
    [InlineData("\r", "carriage return")]
    [InlineData("\n", "line feed")]
    [InlineData("\0", "NUL")]
    [InlineData("\u001b", "escape")]
    [InlineData("\u007f", "DEL")]
    [InlineData("\u0085", "C1 next line")]
    [InlineData("\u00a0", "no-break space")]
    [InlineData("\\", "backslash")]
    [InlineData("%", "percent")]
    [InlineData("#", "hash")]
    [InlineData("&", "ampersand")]
    [InlineData(":", "colon")]
    [InlineData(";", "semicolon")]
    [InlineData("<", "less-than")]
    [InlineData(">", "greater-than")]
    [InlineData("\"", "double quote")]
    [InlineData("*", "asterisk")]
    [InlineData("!", "exclamation")]
    [InlineData("@", "at")]
    [InlineData("[", "bracket")]
    [InlineData("{", "brace")]
    [InlineData("|", "pipe")]
    [InlineData("^", "caret")]
    [InlineData("`", "backtick")]
    [InlineData("~", "tilde")]
    [InlineData("_", "underscore")]
    [InlineData("$", "dollar")]
    [InlineData("ä", "latin small a with diaeresis")]
    [InlineData("\uff21", "fullwidth A")]
    [InlineData("\uff10", "fullwidth zero")]
    [InlineData("\u200b", "zero-width space")]
    [InlineData("\u202e", "right-to-left override")]
    [InlineData("\u0301", "combining acute accent")]
    [InlineData("\u0410", "cyrillic A")]
    [InlineData("\ud83d\ude00", "emoji surrogate pair")]
    [InlineData("\ud800", "lone surrogate")]
    public void TryParse_ForbiddenCharacterClass_FailsWithInvalidIdentifier(string forbidden, string because)
    {
        var result = ClientId.TryParse($"EE/GOV/700{forbidden}01/clinic");

        Assert.False(result.Success, because);
        Assert.Equal(InvalidIdentifier, result.ErrorCode);
        Assert.Contains("memberCode", result.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("EE/GOV/70000001/", "empty subsystem")]
    [InlineData("EE//70000001", "empty class")]
    [InlineData("/GOV/70000001", "empty instance")]
    [InlineData("EE/GOV/.", "dot segment")]
    [InlineData("EE/GOV/..", "double-dot segment")]
    [InlineData("EE/GOV/70000001/..", "double-dot subsystem")]
    [InlineData("EE/GOV", "too few parts")]
    [InlineData("EE/GOV/70000001/clinic/extra", "too many parts")]
    [InlineData("", "empty")]
    [InlineData(null, "null")]
    [InlineData("EE/GOV/70000001/clinic ", "trailing space")]
    [InlineData(" EE/GOV/70000001", "leading space")]
    [InlineData("EE/GOV/70000001/clinic\n", "trailing newline")]
    public void ClientIdTryParse_MalformedText_FailsWithInvalidIdentifier(string? text, string because)
    {
        var result = ClientId.TryParse(text);

        Assert.False(result.Success, because);
        Assert.Equal(InvalidIdentifier, result.ErrorCode);
    }

    [Theory]
    [InlineData("...")]
    [InlineData(".a")]
    [InlineData("a.")]
    [InlineData("'()+,-.=?")]
    public void ClientIdTryParse_DotsThatAreNotDotSegments_Succeeds(string subsystem)
    {
        var result = ClientId.TryParse($"EE/GOV/70000001/{subsystem}");

        Assert.True(result.Success, result.Message);
        Assert.Equal(subsystem, result.Value.SubsystemCode);
    }

    [Fact]
    public void TryParse_PartOf255Characters_Succeeds()
    {
        var part = new string('a', 255);

        var result = MemberId.TryParse($"EE/GOV/{part}");

        Assert.True(result.Success, result.Message);
        Assert.Equal(part, result.Value.MemberCode);
    }

    [Fact]
    public void TryParse_PartOf256Characters_Fails()
    {
        var result = MemberId.TryParse($"EE/GOV/{new string('a', 256)}");

        Assert.Equal(InvalidIdentifier, result.ErrorCode);
        Assert.Contains("255", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_HugeInput_FailsWithoutSplitting()
    {
        var result = ClientId.TryParse(new string('/', 1_000_000));

        Assert.Equal(InvalidIdentifier, result.ErrorCode);
        Assert.Contains("too long", result.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("EE/GOV/7\u001b[31m0/x")]
    [InlineData("EE/GOV/7\r\nX-Injected: 1/x")]
    [InlineData("EE/GOV/7\u0000/x")]
    [InlineData("EE/GOV/7\u0085\u2028/x")]
    public void TryParse_ControlCharactersInInput_MessageDoesNotEchoThem(string text)
    {
        var result = ClientId.TryParse(text);

        Assert.False(result.Success);
        Assert.DoesNotContain(result.Message!, c => char.IsControl(c) || c is '\u2028' or '\u2029');
        Assert.Matches("U\\+[0-9A-F]{4}", result.Message);
    }

    [Fact]
    public void TryParse_FailureMessage_DoesNotQuoteTheInput()
    {
        var result = ClientId.TryParse("EE/GOV/secret-personal-code/clinic!");

        Assert.False(result.Success);
        Assert.DoesNotContain("secret-personal-code", result.Message, StringComparison.Ordinal);
        Assert.Contains("U+0021", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_InvalidText_ThrowsFormatExceptionWithCode()
    {
        var ex = Assert.Throws<FormatException>(() => MemberId.Parse("EE/GOV/a b"));

        Assert.StartsWith(InvalidIdentifier, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("EE", "GOV", "")]
    [InlineData("EE", "GOV", "..")]
    [InlineData("EE", "GOV", "a/b")]
    [InlineData("EE", "G OV", "1")]
    [InlineData("", "GOV", "1")]
    public void MemberIdConstructor_InvalidPart_ThrowsArgumentException(string instance, string memberClass, string memberCode)
    {
        Assert.Throws<ArgumentException>(() => new MemberId(instance, memberClass, memberCode));
    }

    [Fact]
    public void Constructors_NullPart_ThrowArgumentNullException()
    {
        Assert.Throws<ArgumentNullException>(() => new MemberId(null!, "GOV", "1"));
        Assert.Throws<ArgumentNullException>(() => new SubsystemId(null!, "clinic"));
        Assert.Throws<ArgumentNullException>(() => new ServiceId(null!, "code"));
        Assert.Throws<ArgumentNullException>(() => new SecurityServerId(null!, "ss1"));
        Assert.Throws<ArgumentNullException>(() => new GlobalGroupId("EE", null!));
    }

    [Fact]
    public void ParseResultFailure_OfEveryType_UsesInvalidIdentifierCode()
    {
        ParseResult<MemberId> member = MemberId.TryParse("x");
        ParseResult<SubsystemId> subsystem = SubsystemId.TryParse("x");
        ParseResult<ClientId> client = ClientId.TryParse("x");
        ParseResult<ServiceId> service = ServiceId.TryParse("x");
        ParseResult<SecurityServerId> server = SecurityServerId.TryParse("x");
        ParseResult<GlobalGroupId> group = GlobalGroupId.TryParse("x/y/z");

        Assert.All(
            [member.ErrorCode, subsystem.ErrorCode, client.ErrorCode, service.ErrorCode, server.ErrorCode, group.ErrorCode],
            code => Assert.Equal(InvalidIdentifier, code));
    }
}
