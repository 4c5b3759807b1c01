using ExchangeGateway.Common.Identifiers;

namespace ExchangeGateway.Common.Tests.Identifiers;

public sealed class RestServicePathTests
{
    private static readonly ServiceId PatientSummary = ServiceId.Parse("EE/GOV/70000001/hospital/patient-summary");

    [Theory]
    [InlineData("EE/GOV/70000001/hospital/patient-summary/some/path?x=1", "/some/path", "?x=1")]
    [InlineData("EE/GOV/70000001/hospital/patient-summary", "", "")]
    [InlineData("EE/GOV/70000001/hospital/patient-summary/", "/", "")]
    [InlineData("EE/GOV/70000001/hospital/patient-summary?", "", "?")]
    [InlineData("EE/GOV/70000001/hospital/patient-summary?a=1&b=%2F", "", "?a=1&b=%2F")]
    [InlineData("EE/GOV/70000001/hospital/patient-summary/a%2Fb/%2e%2e/c?q=%00", "/a%2Fb/%2e%2e/c", "?q=%00")]
    [InlineData("EE/GOV/70000001/hospital/patient-summary//double//slash", "//double//slash", "")]
    [InlineData("EE/GOV/70000001/hospital/patient-summary/../../admin", "/../../admin", "")]
    [InlineData("EE/GOV/70000001/hospital/patient-summary/x?y/z?w", "/x", "?y/z?w")]
    [InlineData("EE/GOV/70000001/hospital/patient-%73ummary/p", "/p", "")]
    public void TryParse_ValidTarget_SplitsServiceAndKeepsRestRaw(string raw, string path, string query)
    {
        var result = RestServicePath.TryParse(raw);

        Assert.True(result.Success, result.Message);
        Assert.Equal(PatientSummary, result.Value.Service);
        Assert.Equal(path, result.Value.Path);
        Assert.Equal(query, result.Value.Query);
    }

    [Fact]
    public void TryParse_PathPlusQuery_ReproducesTheRawRemainder()
    {
        const string remainder = "/a%20b/c;d=e?f=%41&g";

        var result = RestServicePath.TryParse("EE/GOV/70000001/hospital/patient-summary" + remainder);

        Assert.Equal(remainder, result.Value!.Path + result.Value.Query);
    }

    [Fact]
    public void TryParse_EncodedQuestionMarkInServiceCode_IsPartOfTheCode()
    {
        var result = RestServicePath.TryParse("EE/GOV/70000001/hospital/what%3F/x?y");

        Assert.True(result.Success, result.Message);
        Assert.Equal("what?", result.Value.Service.ServiceCode);
        Assert.Equal("/x", result.Value.Path);
        Assert.Equal("?y", result.Value.Query);
    }

    [Theory]
    [InlineData("EE/GOV/70000001/hospital", "four parts")]
    [InlineData("EE/GOV/70000001/hospital?x=/patient-summary", "query before the fifth part")]
    [InlineData("EE/GOV/70000001/hospital/", "empty service code")]
    [InlineData("EE/GOV/70000001//patient-summary", "empty subsystem")]
    [InlineData("/EE/GOV/70000001/hospital/patient-summary", "leading slash")]
    [InlineData("EE/GOV/70000001/hospital%2Fpatient-summary", "encoded slash joins two parts")]
    [InlineData("EE/GOV/70000001/%2e%2e/patient-summary", "encoded dot-dot subsystem")]
    [InlineData("EE/GOV/70000001/../patient-summary", "dot-dot subsystem")]
    [InlineData("EE/GOV/70000001/hospital/patient%00summary", "encoded NUL")]
    [InlineData("EE/GOV/70000001/hospital/patient%G0", "bad percent-encoding")]
    [InlineData("EE/GOV/70000001/hospital/p%C3%A4", "non-ASCII")]
    [InlineData("EE/GOV/70000001/hospital/patient summary", "space")]
    [InlineData("EE/GOV/70000001/hospital/patient-summary#frag", "fragment in service code")]
    [InlineData("", "empty")]
    [InlineData(null, "null")]
    public void TryParse_InvalidTarget_FailsWithInvalidIdentifier(string? raw, string because)
    {
        var result = RestServicePath.TryParse(raw);

        Assert.False(result.Success, because);
        Assert.Equal("client.invalid_identifier", result.ErrorCode);
    }
}
