using System.Text.Json;

namespace ExchangeGateway.Cli;

/// <summary>What a command prints on success: the API's JSON for <c>--json</c>, and a short text for people.</summary>
/// <param name="Json">The API JSON printed with <c>--json</c>; undefined when the API answered without a body.</param>
/// <param name="Human">The text printed without <c>--json</c>; null for none.</param>
internal sealed record CommandOutput(JsonElement Json, string? Human)
{
    /// <summary>Nothing to print (e.g. a download written to standard output).</summary>
    public static CommandOutput None { get; } = new(default, null);

    /// <summary>The API JSON, and its rendering for people.</summary>
    public static CommandOutput Of(JsonElement json, Func<JsonElement, string> human) =>
        new(json, json.ValueKind == JsonValueKind.Undefined ? null : human(json));

    /// <summary>The API JSON (possibly none, e.g. 204), and a fixed sentence for people.</summary>
    public static CommandOutput Of(JsonElement json, string human) => new(json, human);
}
