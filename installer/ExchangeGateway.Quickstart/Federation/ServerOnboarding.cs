using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ExchangeGateway.Cli;

namespace ExchangeGateway.Quickstart.Federation;

/// <summary>
/// Onboards one security server exactly as an operator does (README, "Operate a security server"), through
/// its admin API: initialise with the token PIN; generate the authentication and signing keys; make CSRs;
/// have the dev CA certify them; import the certificates; register the authentication certificate and the
/// client subsystem with the Central Server; then the services and their access rights.
/// </summary>
internal sealed class ServerOnboarding(HttpClient http, FederationPlan plan, SecurityServerPlan server, string apiKey)
{
    private static readonly TimeSpan RegistrationTimeout = TimeSpan.FromSeconds(90);
    private readonly AdminClient _admin = new(http, new Uri(server.AdminUrl), apiKey);

    /// <summary>The admin API client of this server (system administrator).</summary>
    public AdminClient Admin => _admin;

    /// <summary>Initialises the server and its token, and gets its certificates; returns the authentication certificate's id.</summary>
    public async Task<string> InitialiseAsync(string pin, CancellationToken cancellationToken)
    {
        var serverCode = server.ServerId[(server.ServerId.LastIndexOf('/') + 1)..];
        await _admin.InitialiseAsync(server.OwnerMemberId, serverCode, pin, cancellationToken).ConfigureAwait(false);

        var authKey = await _admin.GenerateKeyAsync("authentication", $"{server.Name} TLS", null, null, cancellationToken).ConfigureAwait(false);
        var signKey = await _admin.GenerateKeyAsync("signing", $"{server.OwnerMemberId} signing", server.OwnerMemberId, null, cancellationToken).ConfigureAwait(false);
        var authCertificate = await CertifyAsync(authKey.GetProperty("id").GetString()!, "authentication", null, cancellationToken).ConfigureAwait(false);
        await CertifyAsync(signKey.GetProperty("id").GetString()!, "signing", server.OwnerMemberId, cancellationToken).ConfigureAwait(false);
        return authCertificate;
    }

    /// <summary>Sends the registrations (authentication certificate, then the client subsystem) and waits until the global configuration carries both.</summary>
    public async Task RegisterAsync(string authCertificateId, CancellationToken cancellationToken)
    {
        await _admin.RegisterCertificateAsync(authCertificateId, server.PublicAddress, cancellationToken).ConfigureAwait(false);
        await _admin.AddClientAsync(server.ClientId, "http", cancellationToken).ConfigureAwait(false);
        await _admin.RegisterClientAsync(server.ClientId, cancellationToken).ConfigureAwait(false);
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var certificate = await _admin.GetCertificateAsync(authCertificateId, cancellationToken).ConfigureAwait(false);
            var client = await _admin.GetClientAsync(server.ClientId, cancellationToken).ConfigureAwait(false);
            var certificateState = certificate.GetProperty("state").GetString();
            var clientStatus = client.GetProperty("status").GetString();
            if (certificateState == "registered" && clientStatus == "registered")
            {
                return;
            }

            if (clock.Elapsed > RegistrationTimeout)
            {
                throw new QuickstartException($"{server.Name}: after {RegistrationTimeout.TotalSeconds:0} s the authentication certificate is {certificateState} and {server.ClientId} is {clientStatus}; both should be registered.");
            }

            await Task.Delay(250, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>ss2: the REST service <c>echo</c> for the provider subsystem, open to the consumer subsystem for every method and path.</summary>
    public async Task AddEchoServiceAsync(CancellationToken cancellationToken)
    {
        var service = new JsonObject
        {
            ["type"] = "rest",
            ["url"] = plan.EchoUrl,
            ["enabled"] = true,
            ["connectTimeoutMs"] = 5000,
            ["readTimeoutMs"] = 30000,
            ["totalTimeoutMs"] = 60000,
            ["verifyTls"] = true,
            ["logBodies"] = true,
            ["endpoints"] = new JsonArray { new JsonObject { ["method"] = "*", ["path"] = "/**" } },
        };
        await _admin.PutServiceAsync(server.ClientId, FederationPlan.ServiceCode, service, cancellationToken).ConfigureAwait(false);
        var rights = new JsonArray { new JsonObject { ["subject"] = FederationPlan.ConsumerClient, ["method"] = "*", ["path"] = "/**" } };
        await _admin.PutAccessRightsAsync(server.ClientId, FederationPlan.ServiceCode, rights, cancellationToken).ConfigureAwait(false);
    }

    // CSR from the server → the dev CA (what an operator does by mail or on the CA's portal) → import.
    private async Task<string> CertifyAsync(string keyId, string profile, string? memberId, CancellationToken cancellationToken)
    {
        var csr = await _admin.CreateCsrAsync(keyId, memberId, null, cancellationToken).ConfigureAwait(false);
        var der = await _admin.DownloadCsrAsync(keyId, csr.GetProperty("id").GetString()!, cancellationToken).ConfigureAwait(false);
        using var content = new ByteArrayContent(der);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/pkcs10");
        using var issued = await http.PostAsync(new Uri($"{plan.TrustServicesUrl}/ca/certificates?profile={profile}"), content, cancellationToken).ConfigureAwait(false);
        var leaf = await issued.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!issued.IsSuccessStatusCode)
        {
            throw new QuickstartException($"the dev CA refused the {profile} CSR of {server.Name}: {(int)issued.StatusCode} {leaf}");
        }

        var intermediate = await http.GetStringAsync(new Uri($"{plan.TrustServicesUrl}/ca/intermediate.pem"), cancellationToken).ConfigureAwait(false);
        var imported = await _admin.ImportCertificateAsync(Encoding.ASCII.GetBytes(leaf.TrimEnd() + "\n" + intermediate), cancellationToken).ConfigureAwait(false);
        return imported.GetProperty("id").GetString()!;
    }
}
