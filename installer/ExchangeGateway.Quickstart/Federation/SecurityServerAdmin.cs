using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace ExchangeGateway.Quickstart.Federation;

/// <summary>A security server's admin API (<c>SecurityServer/README.md</c>), as the quickstart uses it to register the SOAP sample.</summary>
internal sealed class SecurityServerAdmin(HttpClient http, string adminUrl, string apiKey)
{
    /// <summary>
    /// Registers the WSDL at <paramref name="wsdlUrl"/> for <paramref name="clientId"/>; the server fetches it and
    /// adds one SOAP service per operation. Returns the description's JSON (its id and the services added).
    /// </summary>
    public Task<JsonElement> AddWsdlAsync(string clientId, string wsdlUrl, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, $"clients/{Uri.EscapeDataString(clientId)}/service-descriptions", new { type = "wsdl", url = wsdlUrl }, cancellationToken);

    /// <summary>Replaces the access rights of <paramref name="clientId"/>'s service <paramref name="serviceCode"/>: these subjects may call it.</summary>
    public Task<JsonElement> PutAccessRightsAsync(string clientId, string serviceCode, IEnumerable<string> subjects, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Put, $"clients/{Uri.EscapeDataString(clientId)}/services/{Uri.EscapeDataString(serviceCode)}/access-rights", subjects.Select(s => new { subject = s }).ToArray(), cancellationToken);

    private async Task<JsonElement> SendAsync(HttpMethod method, string resource, object body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri($"{adminUrl}/api/v1/{resource}"))
        {
            Content = JsonContent.Create(body),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("X-Api-Key", apiKey);
        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new QuickstartException($"security server admin API {adminUrl}: {method} /api/v1/{resource} answered {(int)response.StatusCode}: {text}");
        }

        using var json = JsonDocument.Parse(text.Length == 0 ? "null" : text);
        return json.RootElement.Clone();
    }
}
