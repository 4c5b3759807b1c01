using ExchangeGateway.Common.Errors;

namespace ExchangeGateway.Common.Tests.Errors;

public sealed class ErrorHttpStatusTests
{
    [Theory]
    [InlineData("client.invalid_identifier", 400)]
    [InlineData("client.request_too_large", 400)]
    [InlineData("Client.InvalidClientIdentifier", 400)]
    [InlineData("server.clientproxy.outdated_global_conf", 500)]
    [InlineData("server.serverproxy.access_denied", 500)]
    [InlineData("server.serverproxy.service_failed.http_error", 500)]
    [InlineData("server.database_error", 500)]
    [InlineData("Server.ServerProxy.AccessDenied", 500)]
    public void ForRest_Family_MapsToXRoadStatus(string code, int expected)
    {
        Assert.Equal(expected, ErrorHttpStatus.ForRest(ErrorCode.Parse(code)));
    }

    [Fact]
    public void ForRest_EveryCatalogueCode_IsFourHundredOrFiveHundredByFamilyOnly()
    {
        foreach (var entry in ErrorCatalog.Entries)
        {
            foreach (var family in Enum.GetValues<ErrorFamily>().Where(entry.AllowsFamily))
            {
                var expected = family == ErrorFamily.Client ? 400 : 500;
                Assert.Equal(expected, ErrorHttpStatus.ForRest(ErrorCode.Create(family, entry)));
            }
        }
    }

    [Fact]
    public void SoapFault_MatchesXRoad_IsOk()
    {
        Assert.Equal(200, ErrorHttpStatus.SoapFault);
    }
}
