using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Xml;
using ExchangeGateway.Common.Results;
using ExchangeGateway.Common.Soap;
using ExchangeGateway.Common.Xml;
using ExchangeGateway.Quickstart.Echo;
using ExchangeGateway.Quickstart.Federation;

namespace ExchangeGateway.Quickstart.Smoke;

/// <summary>
/// One REST exchange through the running federation (client → ss1 → ss2 → echo provider), then its
/// evidence: the answer carries the echoed body and the X-Road response headers, and both security
/// servers' message logs hold a request and a response record with its <c>X-Road-Id</c>. Then one SOAP
/// exchange (helloService): the greeting comes back with the request's header fields echoed in order plus
/// <c>xrd:requestHash</c>, and both logs hold it under its <c>xrd:id</c>.
/// </summary>
internal sealed class SmokeTest(FederationPlan plan, TextWriter output)
{
    private static readonly TimeSpan LogWait = TimeSpan.FromSeconds(20);

    /// <summary>Returns the failures; empty when the exchange and its evidence are as expected.</summary>
    public async Task<IReadOnlyList<string>> RunAsync(CancellationToken cancellationToken)
    {
        var failures = new List<string>();
        await RestAsync(failures, cancellationToken).ConfigureAwait(false);
        await SoapAsync(failures, cancellationToken).ConfigureAwait(false);
        return failures;
    }

    private async Task RestAsync(List<string> failures, CancellationToken cancellationToken)
    {
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
            return;
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
            return;
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
    }

    private async Task SoapAsync(List<string> failures, CancellationToken cancellationToken)
    {
        var messageId = "smoke-" + Guid.NewGuid().ToString("N");
        var url = plan.Consumer.ClientProxyUrl + "/";
        output.WriteLine($"smoke: SOAP helloService POST {url} (xrd:id {messageId})");
        using var handler = new SocketsHttpHandler { AllowAutoRedirect = false, UseProxy = false };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
        using var content = new ByteArrayContent(SoapSample.HelloRequest(messageId, "smoke"));
        content.Headers.ContentType = new MediaTypeHeaderValue("text/xml") { CharSet = "utf-8" };
        var clock = Stopwatch.StartNew();
        using var response = await http.PostAsync(new Uri(url), content, cancellationToken).ConfigureAwait(false);
        var answer = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        output.WriteLine($"smoke: SOAP {(int)response.StatusCode} in {clock.Elapsed.TotalMilliseconds:0} ms");

        // The answer is read as any SOAP message from outside is: with the gateway's own strict reader.
        var envelope = SoapEnvelopeReader.ReadResponse(answer, XmlLimits.Default);
        if (!envelope.Success)
        {
            failures.Add($"SOAP: the answer ({(int)response.StatusCode}) is not a valid X-Road response: {envelope.ErrorCode}: {envelope.Message} ({Shorten(Encoding.UTF8.GetString(answer))})");
            return;
        }

        var soap = envelope.Value!;
        if (soap.IsFault)
        {
            failures.Add($"SOAP: fault {soap.FaultCode}: {soap.FaultString}");
            return;
        }

        var header = soap.Header!;
        var order = string.Join(",", header.Order);
        output.WriteLine($"smoke: SOAP header fields {order}; requestHash {header.RequestHash ?? "(missing)"}");
        if (order != "client,service,id,protocolVersion,requestHash")
        {
            failures.Add($"SOAP: the response's header fields are {order}, expected the request's client,service,id,protocolVersion then requestHash");
        }

        if (header.Id != messageId || header.RequestHash is null)
        {
            failures.Add($"SOAP: xrd:id {header.Id} (sent {messageId}), requestHash {header.RequestHash ?? "missing"}");
        }

        var greeting = ReadGreeting(answer);
        output.WriteLine($"smoke: SOAP answer: {greeting ?? "(no greeting)"}");
        if (greeting != EchoSoapService.Greeting("smoke"))
        {
            failures.Add($"SOAP: expected the greeting '{EchoSoapService.Greeting("smoke")}', got {greeting ?? "none"}");
        }

        foreach (var server in plan.SecurityServers)
        {
            var findings = await WaitForLogAsync(server.DataDirectory, messageId, cancellationToken).ConfigureAwait(false);
            output.WriteLine($"smoke: {server.Name} message log (SOAP): {findings}");
            if (!findings.HasRequestAndResponse)
            {
                failures.Add($"{server.Name}'s message log has no request and response record with xrd:id {messageId} ({findings})");
            }
        }
    }

    /// <summary>The text of helloServiceResponse/message, read with SafeXml; null when absent.</summary>
    private static string? ReadGreeting(byte[] soap)
    {
        var read = SafeXml.Read(soap, XmlLimits.Default, reader =>
        {
            while (reader.Read())
            {
                if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "message" && reader.NamespaceURI == EchoSoapService.Namespace)
                {
                    return ParseResult<string>.Ok(reader.ReadElementContentAsString());
                }
            }

            return ParseResult<string>.Fail("missing", "no message element");
        });
        return read.Success ? read.Value : null;
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
