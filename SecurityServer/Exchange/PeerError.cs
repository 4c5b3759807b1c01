using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using ExchangeGateway.Common.Errors;

namespace ExchangeGateway.SecurityServer.Exchange;

/// <summary>Reads the X-Road JSON error another security server answered with (<c>type</c>, <c>message</c>, <c>detail</c>).</summary>
internal static class PeerError
{
    public static bool TryParse(ReadOnlySpan<byte> body, [NotNullWhen(true)] out ExchangeError? error)
    {
        error = null;
        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 4 });
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String
                || !root.TryGetProperty("message", out var message) || message.ValueKind != JsonValueKind.String
                || !root.TryGetProperty("detail", out var detail) || !Guid.TryParse(detail.GetString(), out var id))
            {
                return false;
            }

            var code = ErrorCode.TryParse(type.GetString());
            if (!code.Success)
            {
                return false;
            }

            error = new ExchangeError(code.Value!, message.GetString()!, id);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
