using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace ExchangeGateway.CentralServer.Tests.Support;

/// <summary>Small helpers for the admin API in tests.</summary>
internal static class ApiClient
{
    public static string Enc(string canonicalId) => Uri.EscapeDataString(canonicalId);

    public static Task<HttpResponseMessage> PostJson(this HttpClient client, string path, object body) =>
        client.PostAsync(path, JsonContent.Create(body));

    public static Task<HttpResponseMessage> PutJson(this HttpClient client, string path, object body) =>
        client.PutAsync(path, JsonContent.Create(body));

    public static Task<HttpResponseMessage> PostRaw(this HttpClient client, string path, string json) =>
        client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    public static async Task<JsonElement> Json(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        using var doc = JsonDocument.Parse(text);
        return doc.RootElement.Clone();
    }

    /// <summary>Asserts the status and, for problems, the stable code; returns the body.</summary>
    public static async Task<JsonElement> Expect(this HttpResponseMessage response, HttpStatusCode status, string? code = null)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"Expected {(int)status}, got {(int)response.StatusCode}: {text}");
        if (code is not null)
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            using var doc = JsonDocument.Parse(text);
            Assert.Equal(code, doc.RootElement.GetProperty("code").GetString());
            return doc.RootElement.Clone();
        }

        if (text.Length == 0)
        {
            return default;
        }

        using var body = JsonDocument.Parse(text);
        return body.RootElement.Clone();
    }

    /// <summary>Creates a key with <paramref name="roles"/> through the API and returns the key text.</summary>
    public static async Task<string> CreateKey(this HttpClient admin, string name, params string[] roles)
    {
        var body = await (await admin.PostJson("api/v1/api-keys", new { name, roles })).Expect(HttpStatusCode.Created);
        return body.GetProperty("key").GetString()!;
    }

    /// <summary>Registers class GOV, member EE/GOV/M1 and subsystem EE/GOV/M1/sub.</summary>
    public static async Task SeedMember(this HttpClient admin, string code = "M1")
    {
        var cls = await admin.PostJson("api/v1/member-classes", new { code = "GOV", description = "Government" });
        Assert.True(cls.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict);
        await (await admin.PostJson("api/v1/members", new { id = $"EE/GOV/{code}", name = $"Member {code}" })).Expect(HttpStatusCode.Created);
        await (await admin.PostJson("api/v1/subsystems", new { id = $"EE/GOV/{code}/sub" })).Expect(HttpStatusCode.Created);
    }
}
