using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ExchangeGateway.SecurityServer.Tests.Exchange;

namespace ExchangeGateway.SecurityServer.Tests.Onboarding;

/// <summary>
/// A new organisation joins a running federation through the admin API only, as README "Operate a security
/// server" tells an operator to: a fresh security server (ss3, uninitialised, nothing but an anchor and an
/// API key) is initialised, gets its keys certified by the dev CA, registers with the real Central Server,
/// and then both consumes (ss3 → ss2) and serves (ss1 → ss3). Then the fail-closed cases: a logged-out
/// token and a revoked signing certificate stop exchanges with their codes and forward nothing.
/// </summary>
public sealed class OnboardingWalkTests : IClassFixture<WalkFederation>
{
    private readonly WalkFederation _f;

    public OnboardingWalkTests(WalkFederation f)
    {
        _f = f;
    }

    [Fact]
    public async Task NewOrganisation_OnboardsThroughTheApi_ThenConsumesAndServes_AndALoggedOutTokenStopsIt()
    {
        var walk = await _f.OnboardAsync();

        // The states an operator sees at the end of the walk.
        var token = await _f.GetJsonAsync("tokens/0");
        Assert.Equal("logged-in", token.GetProperty("status").GetString());
        Assert.Equal("registered", (await _f.GetJsonAsync($"certificates/{walk.AuthCertificateId}")).GetProperty("state").GetString());
        Assert.Equal("registered", (await _f.GetJsonAsync($"clients/{Uri.EscapeDataString(WalkFederation.Clinic)}")).GetProperty("status").GetString());

        // Consumes: the clinic (on ss3) calls the provider's echo on ss2.
        using (var consumed = await WalkFederation.CallAsync(_f.Ss3ClientProxy, WalkFederation.Clinic, $"r1/{Federation.ProviderSubsystem}/echo/walk"))
        {
            Assert.Equal(HttpStatusCode.OK, consumed.StatusCode);
        }

        // Serves: ss1's consumer calls the clinic's service on ss3.
        var before = _f.Provider.Received.Count;
        using (var served = await WalkFederation.CallAsync(_f.ClientProxy, Federation.Consumer, $"r1/{WalkFederation.Clinic}/{WalkFederation.ClinicService}/patients/1"))
        {
            Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        }

        Assert.Equal(before + 1, _f.Provider.Received.Count);

        // Logged out: nothing can be signed, the exchange fails closed, the provider sees nothing.
        await _f.SendAsync(HttpMethod.Post, "tokens/0/logout", null, HttpStatusCode.OK);
        before = _f.Provider.Received.Count;
        using (var refused = await WalkFederation.CallAsync(_f.Ss3ClientProxy, WalkFederation.Clinic, $"r1/{Federation.ProviderSubsystem}/echo/locked"))
        {
            Assert.Equal("server.clientproxy.token_not_active", refused.Headers.GetValues("X-Road-Error").Single());
        }

        Assert.Equal(before, _f.Provider.Received.Count);

        // Logging in again restores service without a restart.
        await _f.SendAsync(HttpMethod.Post, "tokens/0/login", new { pin = WalkFederation.Pin }, HttpStatusCode.OK);
        await WalkFederation.WaitUntilOkAsync(_f.Ss3ClientProxy, WalkFederation.Clinic, $"r1/{Federation.ProviderSubsystem}/echo/again");
    }

    [Fact]
    public async Task RevokedSigningCertificate_FailsTheExchangeWithCertValidation_NothingForwarded_ThenANewCertificateRestoresIt()
    {
        var walk = await _f.OnboardAsync();
        await _f.RevokeAsync(walk.SigningCertificateSerial);
        await _f.RefreshOcspAsync();

        var before = _f.Provider.Received.Count;
        using (var refused = await WalkFederation.CallAsync(_f.Ss3ClientProxy, WalkFederation.Clinic, $"r1/{Federation.ProviderSubsystem}/echo/revoked"))
        {
            Assert.Equal("server.clientproxy.cert_validation", refused.Headers.GetValues("X-Road-Error").Single());
        }

        Assert.Equal(before, _f.Provider.Received.Count);

        // The security officer's remedy: a new signing key and certificate; the revoked one is deleted.
        await _f.CertifyNewSigningKeyAsync();
        await _f.SendAsync(HttpMethod.Delete, $"certificates/{walk.SigningCertificateId}", null, HttpStatusCode.NoContent);
        await WalkFederation.WaitUntilOkAsync(_f.Ss3ClientProxy, WalkFederation.Clinic, $"r1/{Federation.ProviderSubsystem}/echo/recovered");
    }
}
