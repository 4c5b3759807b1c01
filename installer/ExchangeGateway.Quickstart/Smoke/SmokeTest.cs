using System.Diagnostics;
using System.Text;
using System.Text.Json;
using ExchangeGateway.Quickstart.Echo;
using ExchangeGateway.Quickstart.Federation;

namespace ExchangeGateway.Quickstart.Smoke;

/// <summary>
/// One REST exchange through the running federation (client → ss1 → ss2 → echo provider), then its
/// evidence: the answer carries the echoed body and the X-Road response headers, and both security
/// servers' message logs hold a request and a response record with its <c>X-Road-Id</c>.
/// </summary>
internal sealed class SmokeTest(FederationPlan plan, TextWriter output)
{
    private static readonly TimeSpan LogWait = TimeSpan.FromSeconds(20);

    /// <summary>Returns the failures; empty when the exchange and its evidence are as expected.</summary>
    public async Task<IReadOnlyList<string>> RunAsync(CancellationToken cancellationToken)
    {
        var failures = new List<string>();
        var run = Guid.NewGuid().ToString("N");
        var body = $"quickstart smoke {run}";
        var target = $"/smoke/{run}?x=1&y=two";
        var url = $"{plan.Consumer.ClientProxyUrl}/r1/{FederationPlan.ServiceId}{target}";
        output.WriteLine($"smoke: POST {url}");

        using var handler = new SocketsHttpHandler { AllowAutoRedirect = false, UseProxy = false };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(url))
        {
            Content = new StringContent(body, Encoding.UTF8, "text/plain"),
        };
        request.Headers.Add("X-Road-Client", FederationPlan.ConsumerClient);
        var clock = Stopwatch.StartNew();
        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var answer = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        output.WriteLine($"smoke: {(int)response.StatusCode} in {clock.Elapsed.TotalMilliseconds:0} ms");

        string? Header(string name) =>
            response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
                ? string.Join(",", values)
                : null;

        if ((int)response.StatusCode != 200)
        {
            failures.Add($"status {(int)response.StatusCode}, expected 200 (X-Road-Error: {Header("X-Road-Error") ?? "-"}; body: {Shorten(answer)})");
            return failures;
        }

        if (answer != body)
        {
            failures.Add($"the body was not echoed: got {Shorten(answer)}");
        }

        if (response.Content.Headers.ContentType?.MediaType != "text/plain")
        {
            failures.Add($"Content-Type {response.Content.Headers.ContentType}, expected text/plain as sent");
        }

        foreach (var name in new[] { "X-Road-Id", "X-Road-Request-Id", "X-Road-Request-Hash" })
        {
            var value = Header(name);
            output.WriteLine($"smoke: {name}: {value ?? "(missing)"}");
            if (string.IsNullOrEmpty(value))
            {
                failures.Add($"the response has no {name} header");
            }
        }

        if (Header(EchoProvider.SummaryHeader) is { } summary)
        {
            var received = JsonDocument.Parse(summary).RootElement.GetProperty("target").GetString();
            if (received != target)
            {
                failures.Add($"the provider received {received}, expected {target}");
            }
        }
        else
        {
            failures.Add($"the response has no {EchoProvider.SummaryHeader} header from the echo provider");
        }

        if (Header("X-Road-Id") is not { Length: > 0 } xRoadId)
        {
            return failures;
        }

        foreach (var server in plan.SecurityServers)
        {
            var findings = await WaitForLogAsync(server.DataDirectory, xRoadId, cancellationToken).ConfigureAwait(false);
            output.WriteLine($"smoke: {server.Name} message log: {findings}");
            if (!findings.HasRequestAndResponse)
            {
                failures.Add($"{server.Name}'s message log has no request and response record with X-Road-Id {xRoadId} ({findings})");
            }
        }

        return failures;
    }

    private static async Task<MessageLogFindings> WaitForLogAsync(string dataDirectory, string xRoadId, CancellationToken cancellationToken)
    {
        // Records may be group-committed a moment after the answer; wait a bounded while.
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var findings = MessageLogProbe.Find(dataDirectory, xRoadId);
            if (findings.HasRequestAndResponse || clock.Elapsed > LogWait)
            {
                return findings;
            }

            await Task.Delay(250, cancellationToken).ConfigureAwait(false);
        }
    }

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "…";
}
