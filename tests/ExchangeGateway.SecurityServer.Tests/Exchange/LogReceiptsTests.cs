using ExchangeGateway.Common.Exchange;
using ExchangeGateway.Common.Identifiers;
using ExchangeGateway.Config.Model;
using ExchangeGateway.SecurityServer.Exchange;
using Microsoft.AspNetCore.Http;

namespace ExchangeGateway.SecurityServer.Tests.Exchange;

/// <summary>When the provider side gives a receipt, what it promises, and what the client side accepts.</summary>
public sealed class LogReceiptsTests
{
    private static readonly SecurityServerId Ss2 = SecurityServerId.Parse("DEV/ORG/70000002/ss2");
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void For_SenderAskedForOne_NamesTheServerTheSequenceAndThePromise()
    {
        var receipt = LogReceipts.For(Request("1"), Ss2, 42, Now, TimeSpan.FromSeconds(3));

        Assert.NotNull(receipt);
        Assert.Equal(Ss2, receipt.Server);
        Assert.Equal(42, receipt.Sequence);
        Assert.Equal(Now + TimeSpan.FromSeconds(16), receipt.PromisedBy);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("2")]
    [InlineData("yes")]
    public void For_OlderPeerOrUnknownVersion_NoReceipt(string? header) =>
        Assert.Null(LogReceipts.For(Request(header), Ss2, 42, Now, TimeSpan.FromSeconds(1)));

    [Fact]
    public void For_HeaderRepeated_NoReceipt()
    {
        var context = new DefaultHttpContext();
        context.Request.Headers.Append(LogReceipt.AcceptHeader, "1");
        context.Request.Headers.Append(LogReceipt.AcceptHeader, "1");

        Assert.Null(LogReceipts.For(context.Request, Ss2, 42, Now, TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public void CheckReceipt_NoneOrTheAnsweringServers_Accepted_AnotherServers_InconsistentResponse()
    {
        var provider = new SecurityServerInfo(Ss2, "127.0.0.1:5500", [], []);
        var other = new LogReceipt(SecurityServerId.Parse("DEV/ORG/70000002/ss9"), 1, Now);

        Assert.Null(ClientExchangeSteps.CheckReceipt(null, provider));
        Assert.Null(ClientExchangeSteps.CheckReceipt(new LogReceipt(Ss2, 1, Now), provider));
        var refused = ClientExchangeSteps.CheckReceipt(other, provider);
        Assert.Equal("server.clientproxy.inconsistent_response", refused!.Code.ToString());
        Assert.Equal("The response's log receipt names DEV/ORG/70000002/ss9, not the answering server DEV/ORG/70000002/ss2.", refused.Message);
    }

    private static HttpRequest Request(string? header)
    {
        var context = new DefaultHttpContext();
        if (header is not null)
        {
            context.Request.Headers[LogReceipt.AcceptHeader] = header;
        }

        return context.Request;
    }
}
