using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace ExchangeGateway.Quickstart.Federation;

/// <summary>The Central Server's admin API (<c>CentralServer/README.md</c>), as the quickstart uses it to bootstrap the registry.</summary>
internal sealed class CentralServerAdmin(HttpClient http, string adminUrl, string apiKey)
{
    public Task AddMemberClassAsync(string code, string description, CancellationToken cancellationToken) =>
        PostAsync("member-classes", new { code, description }, cancellationToken);

    public Task AddMemberAsync(string id, string name, CancellationToken cancellationToken) =>
        PostAsync("members", new { id, name }, cancellationToken);

    public Task AddSubsystemAsync(string id, string name, CancellationToken cancellationToken) =>
        PostAsync("subsystems", new { id, name }, cancellationToken);

    public Task AddCertificationAuthorityAsync(string name, string certificatePem, string ocspUrl, string ocspResponderCertificatePem, CancellationToken cancellationToken) =>
        PostAsync("certification-authorities", new { name, certificate = certificatePem, ocspUrl, ocspResponderCertificate = ocspResponderCertificatePem }, cancellationToken);

    public Task AddTimestampingAuthorityAsync(string name, string url, string certificatePem, CancellationToken cancellationToken) =>
        PostAsync("timestamping-authorities", new { name, url, certificate = certificatePem }, cancellationToken);

    private async Task PostAsync(string resource, object body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"{adminUrl}/api/v1/{resource}"))
        {
            Content = JsonContent.Create(body),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("X-Api-Key", apiKey);
        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            var problem = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            throw new QuickstartException($"Central Server admin API: POST /api/v1/{resource} answered {(int)response.StatusCode}: {problem}");
        }
    }
}
