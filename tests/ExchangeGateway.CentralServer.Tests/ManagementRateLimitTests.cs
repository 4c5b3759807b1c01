using System.Net;
using System.Text;
using ExchangeGateway.CentralServer.Tests.Support;

namespace ExchangeGateway.CentralServer.Tests;

public sealed class ManagementRateLimitTests
{
    [Fact]
    public async Task ManagementService_BeyondPerAddressLimit_Returns429AndAuditsNothingMore()
    {
        await using var f = await ServerFixture.StartAsync("--CentralServer:Management:RequestsPerMinutePerAddress=3");
        using var anonymous = f.Server.Client(null);
        var statuses = new List<HttpStatusCode>();

        for (var i = 0; i < 5; i++)
        {
            using var content = new StringContent("{\"request\":\"bm90IGEgcmVxdWVzdA==\",\"ownerSignature\":\"AA==\"}", Encoding.UTF8, "application/json");
            using var response = await anonymous.PostAsync("managementservice", content);
            statuses.Add(response.StatusCode);
            if (i >= 3)
            {
                await response.Expect(HttpStatusCode.TooManyRequests, "auth.rate_limited");
            }
        }

        Assert.All(statuses.Take(3), s => Assert.Equal(HttpStatusCode.BadRequest, s));
        var audit = await (await f.Admin.GetAsync("api/v1/audit?limit=1000")).Expect(HttpStatusCode.OK);
        Assert.Equal(3, audit.EnumerateArray().Count(e => e.GetProperty("action").GetString() == "management-request.receive"));
    }
}
