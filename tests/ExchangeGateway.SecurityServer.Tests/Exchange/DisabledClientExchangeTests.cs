using System.Net;
using System.Text.Json;
using ExchangeGateway.CentralServer.Registration;
using ExchangeGateway.Common.Identifiers;
using Microsoft.Extensions.DependencyInjection;

namespace ExchangeGateway.SecurityServer.Tests.Exchange;

/// <summary>
/// A client the Central Server marks disabled (what an approved <c>client-disable</c> does) neither consumes nor
/// provides: the consumer's client proxy and the provider's server proxy refuse with <c>client_disabled</c>, the
/// provider sees nothing, and once enabled again the exchange works. Each test restores the federation.
/// </summary>
[Collection(FederationCollection.Name)]
public sealed class DisabledClientExchangeTests(Federation federation)
{
    [Fact]
    public async Task DisabledConsumer_ClientProxyRefusesThenServesAgainWhenEnabled()
    {
        SetDisabled(Federation.Ss1, Federation.Consumer, disabled: true);
        try
        {
            var marker = await WaitForCodeAsync("server.clientproxy.client_disabled");
            Assert.DoesNotContain(federation.Provider.Received, r => r.RawTarget.Contains(marker, StringComparison.Ordinal));
        }
        finally
        {
            SetDisabled(Federation.Ss1, Federation.Consumer, disabled: false);
            await WaitForCodeAsync(null);
        }
    }

    [Fact]
    public async Task DisabledProvider_ServerProxyRefusesThenServesAgainWhenEnabled()
    {
        SetDisabled(Federation.Ss2, Federation.ProviderSubsystem, disabled: true);
        try
        {
            var marker = await WaitForCodeAsync("server.serverproxy.client_disabled");
            Assert.DoesNotContain(federation.Provider.Received, r => r.RawTarget.Contains(marker, StringComparison.Ordinal));
        }
        finally
        {
            SetDisabled(Federation.Ss2, Federation.ProviderSubsystem, disabled: false);
            await WaitForCodeAsync(null);
        }
    }

    private void SetDisabled(string server, string client, bool disabled)
    {
        var registry = federation.Central.Services.GetRequiredService<CentralServer.Registration.Registry>();
        var result = registry.Change(new Actor(null, "tests"), "tests.client-disabled", client, e => e.SetClientDisabled(SecurityServerId.Parse(server), ClientId.Parse(client), disabled));
        Assert.True(result.Success, result.Failure?.Message);
    }

    /// <summary>Calls echo until the answer carries <paramref name="code"/> (null: until it succeeds); returns the last call's marker.</summary>
    private async Task<string> WaitForCodeAsync(string? code)
    {
        var last = string.Empty;
        for (var i = 0; i < 300; i++)
        {
            var marker = "disabled-" + Guid.NewGuid().ToString("N");
            using var request = new HttpRequestMessage(HttpMethod.Get, $"r1/{Federation.ProviderSubsystem}/echo/{marker}");
            request.Headers.Add("X-Road-Client", Federation.Consumer);
            using var response = await federation.ClientProxy.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            var error = response.Headers.TryGetValues("X-Road-Error", out var values) ? values.Single() : null;
            last = $"{(int)response.StatusCode} {error} {body}";
            if (code is null && response.StatusCode == HttpStatusCode.OK)
            {
                return marker;
            }

            if (code is not null && error == code)
            {
                Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
                using var json = JsonDocument.Parse(body);
                Assert.Equal(code, json.RootElement.GetProperty("type").GetString());
                return marker;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"The exchange never answered {code ?? "200"}: last {last}");
    }
}
