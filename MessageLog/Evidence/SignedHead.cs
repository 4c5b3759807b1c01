using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using ExchangeGateway.MessageLog.Records;

namespace ExchangeGateway.MessageLog.Evidence;

/// <summary>
/// The fields an offline verifier reads from a signed head (REST or SOAP, <c>HeadCodec</c>'s JSON) to tie
/// a record's metadata to what was signed, and the optional bilateral <c>logReceipt</c> of a response head.
/// Read leniently about properties it does not need (heads gain optional properties over time; the proxy
/// that received the head already enforced its canonical form) but strictly about those it does: the top
/// level is one object, no property appears twice, and each needed one has its type.
/// </summary>
internal sealed record SignedHead(
    string Type,
    string MessageId,
    string RequestId,
    string Client,
    string Service,
    long BodyLength,
    byte[] BodyDigest,
    string? PinnedServer,
    JsonElement? LogReceipt)
{
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 16 };

    /// <summary>Reads <paramref name="head"/>; the problem when it is not a head this verifier understands.</summary>
    public static (SignedHead? Head, string? Problem) Read(ReadOnlyMemory<byte> head)
    {
        try
        {
            using var document = JsonDocument.Parse(head, Options);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return (null, "the signed head is not a JSON object");
            }

            var properties = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            foreach (var property in root.EnumerateObject())
            {
                if (!properties.TryAdd(property.Name, property.Value.Clone()))
                {
                    return (null, $"the signed head has the property '{property.Name}' twice");
                }
            }

            string Text(string name) =>
                properties.TryGetValue(name, out var e) && e.ValueKind == JsonValueKind.String
                    ? e.GetString()!
                    : throw new FormatException($"the signed head has no text '{name}'");

            if (!properties.TryGetValue("bodyLength", out var length) || !length.TryGetInt64(out var bodyLength))
            {
                return (null, "the signed head has no numeric 'bodyLength'");
            }

            if (!properties.TryGetValue("bodyDigest", out var digestElement) || digestElement.ValueKind != JsonValueKind.String
                || !digestElement.TryGetBytesFromBase64(out var digest))
            {
                return (null, "the signed head has no base64 'bodyDigest'");
            }

            JsonElement? receipt = properties.TryGetValue("logReceipt", out var r) ? r : null;
            var pinned = properties.TryGetValue("securityServer", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
            return (new SignedHead(Text("type"), Text("id"), Text("requestId"), Text("client"), Text("service"), bodyLength, digest, pinned, receipt), null);
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException)
        {
            return (null, ex is JsonException ? "the signed head is not JSON" : ex.Message);
        }
    }

    /// <summary>The first field in which the record's metadata disagrees with this head, or null when they agree.</summary>
    public string? Disagreement(MessageRecord record)
    {
        var expectedKind = record.Kind == RecordKind.Request ? "-request" : "-response";
        if (!Type.EndsWith(expectedKind, StringComparison.Ordinal))
        {
            return $"the record is a {(record.Kind == RecordKind.Request ? "request" : "response")} but the signed head is a '{Type}'";
        }

        if (!string.Equals(MessageId, record.MessageId, StringComparison.Ordinal))
        {
            return $"the record's message id '{record.MessageId}' is not the signed '{MessageId}'";
        }

        if (!string.Equals(RequestId, record.RequestId.ToString("D"), StringComparison.Ordinal))
        {
            return $"the record's request id {record.RequestId:D} is not the signed {RequestId}";
        }

        if (!string.Equals(Client, record.ClientId, StringComparison.Ordinal))
        {
            return $"the record's client '{record.ClientId}' is not the signed '{Client}'";
        }

        if (!string.Equals(Service, record.ServiceId, StringComparison.Ordinal))
        {
            return $"the record's service '{record.ServiceId}' is not the signed '{Service}'";
        }

        if (BodyLength != record.BodyLength || !CryptographicOperations.FixedTimeEquals(BodyDigest, record.BodyDigest.Span))
        {
            return string.Create(CultureInfo.InvariantCulture, $"the record's body length {record.BodyLength} or SHA-512 digest is not the signed one");
        }

        return null;
    }
}
