using System.Globalization;

namespace ExchangeGateway.LoadBench.Load;

/// <summary>
/// <c>load --url URL [--concurrency 32] [--warmup 2] [--duration 10] [--size 1024] [--header 'Name: value']...
/// [--soap-service ID --soap-client ID]</c>: one load run against one URL (POST of <c>size</c> bytes, the echoed
/// body read back in full). With <c>--soap-service</c> each POST is instead an X-Road 4.0 <c>echoData</c> request
/// whose data is <c>size</c> bytes (<see cref="SoapLoadRequest"/>), from the client to that service.
/// </summary>
internal sealed record LoadOptions(Uri Url, int Concurrency, TimeSpan Warmup, TimeSpan Duration, int Size, IReadOnlyList<KeyValuePair<string, string>> Headers, string? SoapClient = null, string? SoapService = null)
{
    public static LoadOptions? Parse(string[] args, TextWriter error)
    {
        Uri? url = null;
        var concurrency = 32;
        var warmup = TimeSpan.FromSeconds(2);
        var duration = TimeSpan.FromSeconds(10);
        var size = 1024;
        var headers = new List<KeyValuePair<string, string>>();
        string? soapClient = null;
        string? soapService = null;
        for (var i = 1; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--url" when value is not null && Uri.TryCreate(value, UriKind.Absolute, out var parsed):
                    url = parsed;
                    break;
                case "--concurrency" when int.TryParse(value, CultureInfo.InvariantCulture, out var c) && c is > 0 and <= 4096:
                    concurrency = c;
                    break;
                case "--warmup" when TryParseSeconds(value, out var w):
                    warmup = w;
                    break;
                case "--duration" when TryParseSeconds(value, out var d) && d > TimeSpan.Zero:
                    duration = d;
                    break;
                case "--size" when int.TryParse(value, CultureInfo.InvariantCulture, out var s) && s >= 0:
                    size = s;
                    break;
                case "--header" when value?.IndexOf(':', StringComparison.Ordinal) is > 0:
                    var colon = value.IndexOf(':', StringComparison.Ordinal);
                    headers.Add(new(value[..colon].Trim(), value[(colon + 1)..].Trim()));
                    break;
                case "--soap-client" when value?.Split('/').Length is 3 or 4:
                    soapClient = value;
                    break;
                case "--soap-service" when value?.Split('/').Length is 5 or 6:
                    soapService = value;
                    break;
                default:
                    error.WriteLine($"load: bad or incomplete option '{args[i]}'");
                    return null;
            }

            i++;
        }

        if (url is null || (soapService is null) != (soapClient is null))
        {
            error.WriteLine("usage: load --url URL [--concurrency N] [--warmup S] [--duration S] [--size BYTES] [--header 'Name: value']... [--soap-service ID --soap-client ID]");
            return null;
        }

        return new LoadOptions(url, concurrency, warmup, duration, size, headers, soapClient, soapService);
    }

    internal static bool TryParseSeconds(string? text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (text is null)
        {
            return false;
        }

        var trimmed = text.EndsWith('s') ? text[..^1] : text;
        if (double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds is >= 0 and <= 3600)
        {
            value = TimeSpan.FromSeconds(seconds);
            return true;
        }

        return false;
    }
}
