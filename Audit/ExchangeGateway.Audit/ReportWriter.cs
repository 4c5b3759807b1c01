using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using ExchangeGateway.MessageLog.Evidence;

namespace ExchangeGateway.Audit;

/// <summary>
/// Writes the <see cref="EvidenceReport"/> of <c>verify</c>, <c>verify-log</c> and <c>reconcile</c> for people (a
/// verdict line, then <c>PASS|FAIL name: message</c> per check) or, with <c>--json</c>, as one object
/// (<c>{"verdict":"verified"|"failed","subject":…,"checks":[{"name","passed","message","item"?}]}</c>).
/// </summary>
internal static class ReportWriter
{
    private static readonly JsonWriterOptions JsonOptions = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The report as JSON when <paramref name="json"/>, else as text.</summary>
    public static Task WriteAsync(EvidenceReport report, bool json, TextWriter output) =>
        json ? WriteJsonAsync(report, output) : WriteHumanAsync(report, output);

    /// <summary>The verdict line and one line per check.</summary>
    private static async Task WriteHumanAsync(EvidenceReport report, TextWriter output)
    {
        var failed = report.Checks.Count(c => !c.Passed);
        var verdict = report.Passed
            ? string.Create(CultureInfo.InvariantCulture, $"VERIFIED: {report.Subject}: all {report.Checks.Count} checks passed")
            : string.Create(CultureInfo.InvariantCulture, $"NOT VERIFIED: {report.Subject}: {failed} of {report.Checks.Count} checks failed, the first is {report.FirstFailure?.Name ?? "(none made)"}");
        await output.WriteLineAsync(verdict).ConfigureAwait(false);
        foreach (var check in report.Checks)
        {
            await output.WriteLineAsync($"{(check.Passed ? "PASS" : "FAIL")} {check.Name}: {check.Message}").ConfigureAwait(false);
        }
    }

    /// <summary>The report as one JSON object.</summary>
    private static async Task WriteJsonAsync(EvidenceReport report, TextWriter output)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, JsonOptions))
        {
            w.WriteStartObject();
            w.WriteString("verdict", report.Passed ? "verified" : "failed");
            w.WriteString("subject", report.Subject);
            w.WriteStartArray("checks");
            foreach (var check in report.Checks)
            {
                w.WriteStartObject();
                w.WriteString("name", check.Name);
                w.WriteBoolean("passed", check.Passed);
                w.WriteString("message", check.Message);
                if (check.Item is { } item)
                {
                    w.WriteNumber("item", item);
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        await output.WriteLineAsync(System.Text.Encoding.UTF8.GetString(buffer.ToArray())).ConfigureAwait(false);
    }
}
