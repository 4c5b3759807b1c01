using System.Text.Json;

namespace ExchangeGateway.Cli;

/// <summary>A successful admin API response: its status and its JSON (undefined for an empty body such as 204).</summary>
/// <param name="Status">The HTTP status.</param>
/// <param name="Json">The body; <see cref="JsonValueKind.Undefined"/> when there was none.</param>
public readonly record struct AdminResponse(int Status, JsonElement Json)
{
    /// <summary>True when the body holds JSON.</summary>
    public bool HasBody => Json.ValueKind != JsonValueKind.Undefined;
}
