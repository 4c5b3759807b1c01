using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using ExchangeGateway.Common.Identifiers;
using ExchangeGateway.Common.Results;

namespace ExchangeGateway.Common.Exchange;

/// <summary>
/// The one writer and the one reader of signed heads. A head is UTF-8 JSON with a fixed property order,
/// optional properties left out, no whitespace, and non-ASCII escaped the same way every time; the
/// reader accepts only bytes the writer would produce (it re-encodes and compares), so a signature covers
/// exactly one meaning and a peer cannot smuggle duplicate or unknown properties past it.
/// </summary>
/// <remarks>
/// Request: <c>{"v":1,"type":"rest-request","method","service","target","client","id","requestId"[,"userId"][,"issue"]
/// [,"representedParty"][,"securityServer"],"headers":[[name,value],…],"bodyLength","bodyDigest"}</c>.
/// Response: <c>{"v":1,"type":"rest-response","status","service","client","id","requestId","requestHash","headers"
/// [,"logReceipt":{"server","sequence","promisedBy"}],"bodyLength","bodyDigest"}</c>. <c>bodyDigest</c> is base64 SHA-512.
/// The optional <c>logReceipt</c> (<see cref="LogReceipt"/>) comes right after <c>headers</c> in both response heads;
/// a head without it is read as before, so servers that give no receipt interoperate.
/// </remarks>
public static partial class HeadCodec
{
    /// <summary>Heads longer than this are refused.</summary>
    public const int MaxHeadBytes = 64 * 1024;

    /// <summary>The longest message id accepted (X-Road ids are UUIDs; clients may choose their own).</summary>
    public const int MaxMessageIdLength = 255;

    private const string RequestType = "rest-request";
    private const string ResponseType = "rest-response";
    private const string InvalidHead = "invalid_head";

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.Default, SkipValidation = false };

    /// <summary>The canonical bytes of <paramref name="head"/>.</summary>
    public static byte[] Encode(RestRequestHead head)
    {
        ArgumentNullException.ThrowIfNull(head);
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer, WriterOptions))
        {
            w.WriteStartObject();
            w.WriteNumber("v", 1);
            w.WriteString("type", RequestType);
            w.WriteString("method", head.Method);
            w.WriteString("service", head.Service.ToString());
            w.WriteString("target", head.Target);
            w.WriteString("client", head.Client.ToString());
            w.WriteString("id", head.MessageId);
            w.WriteString("requestId", head.RequestId.ToString("D"));
            WriteXRoadOptionals(w, head.UserId, head.Issue, head.RepresentedParty, head.SecurityServer);
            WriteHeaders(w, head.Headers);
            w.WriteNumber("bodyLength", head.BodyLength);
            w.WriteBase64String("bodyDigest", head.BodyDigest.Span);
            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The canonical bytes of <paramref name="head"/>.</summary>
    public static byte[] Encode(RestResponseHead head)
    {
        ArgumentNullException.ThrowIfNull(head);
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer, WriterOptions))
        {
            w.WriteStartObject();
            w.WriteNumber("v", 1);
            w.WriteString("type", ResponseType);
            w.WriteNumber("status", head.Status);
            w.WriteString("service", head.Service.ToString());
            w.WriteString("client", head.Client.ToString());
            w.WriteString("id", head.MessageId);
            w.WriteString("requestId", head.RequestId.ToString("D"));
            w.WriteString("requestHash", head.RequestHash);
            WriteHeaders(w, head.Headers);
            WriteReceipt(w, head.LogReceipt);
            w.WriteNumber("bodyLength", head.BodyLength);
            w.WriteBase64String("bodyDigest", head.BodyDigest.Span);
            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads a request head; anything but the canonical form fails.</summary>
    public static ParseResult<RestRequestHead> DecodeRequest(ReadOnlySpan<byte> bytes)
    {
        var fields = ReadFields(bytes, RequestType);
        if (!fields.Success)
        {
            return ParseResult<RestRequestHead>.Fail(fields.ErrorCode!, fields.Message!);
        }

        var f = fields.Value!;
        var service = ServiceId.TryParse(f.Str("service"));
        var client = ClientId.TryParse(f.Str("client"));
        if (ReadPinned(f, out var pinned) is { } badPin)
        {
            return Fail<RestRequestHead>(badPin);
        }

        if (!service.Success || !client.Success)
        {
            return Fail<RestRequestHead>($"service or client: {service.Message ?? client.Message}");
        }

        if (!Guid.TryParseExact(f.Str("requestId"), "D", out var requestId))
        {
            return Fail<RestRequestHead>("requestId is not a UUID.");
        }

        var head = new RestRequestHead
        {
            Method = f.Str("method"),
            Service = service.Value!,
            Target = f.Str("target"),
            Client = client.Value!,
            MessageId = f.Str("id"),
            RequestId = requestId,
            UserId = f.Strings.GetValueOrDefault("userId"),
            Issue = f.Strings.GetValueOrDefault("issue"),
            RepresentedParty = f.Strings.GetValueOrDefault("representedParty"),
            SecurityServer = pinned,
            Headers = f.Headers,
            BodyLength = f.BodyLength,
            BodyDigest = f.BodyDigest,
        };
        return Canonical(bytes, Encode(head), head);
    }

    /// <summary>Reads a response head; anything but the canonical form fails.</summary>
    public static ParseResult<RestResponseHead> DecodeResponse(ReadOnlySpan<byte> bytes)
    {
        var fields = ReadFields(bytes, ResponseType);
        if (!fields.Success)
        {
            return ParseResult<RestResponseHead>.Fail(fields.ErrorCode!, fields.Message!);
        }

        var f = fields.Value!;
        var service = ServiceId.TryParse(f.Str("service"));
        var client = ClientId.TryParse(f.Str("client"));
        if (!service.Success || !client.Success)
        {
            return Fail<RestResponseHead>($"service or client: {service.Message ?? client.Message}");
        }

        if (!Guid.TryParseExact(f.Str("requestId"), "D", out var requestId))
        {
            return Fail<RestResponseHead>("requestId is not a UUID.");
        }

        if (f.Status is < 100 or > 999)
        {
            return Fail<RestResponseHead>("status is not an HTTP status code.");
        }

        var head = new RestResponseHead
        {
            Status = f.Status,
            Service = service.Value!,
            Client = client.Value!,
            MessageId = f.Str("id"),
            RequestId = requestId,
            RequestHash = f.Str("requestHash"),
            Headers = f.Headers,
            LogReceipt = f.LogReceipt,
            BodyLength = f.BodyLength,
            BodyDigest = f.BodyDigest,
        };
        return Canonical(bytes, Encode(head), head);
    }

    private static ParseResult<T> Canonical<T>(ReadOnlySpan<byte> received, byte[] reencoded, T head)
        where T : notnull =>
        received.SequenceEqual(reencoded)
            ? ParseResult<T>.Ok(head)
            : Fail<T>("the head is not in canonical form (order, duplicates, spacing or escaping differ).");

    /// <summary>The optional X-Road fields both request heads carry, in their fixed order.</summary>
    private static void WriteXRoadOptionals(Utf8JsonWriter w, string? userId, string? issue, string? representedParty, SecurityServerId? securityServer)
    {
        WriteOptional(w, "userId", userId);
        WriteOptional(w, "issue", issue);
        WriteOptional(w, "representedParty", representedParty);
        WriteOptional(w, "securityServer", securityServer?.ToString());
    }

    /// <summary>The pinned security server, when the head names one; the problem when it is not a valid id.</summary>
    private static string? ReadPinned(HeadFields f, out SecurityServerId? pinned)
    {
        pinned = null;
        if (!f.Strings.TryGetValue("securityServer", out var text))
        {
            return null;
        }

        var parsed = SecurityServerId.TryParse(text);
        pinned = parsed.Value;
        return parsed.Success ? null : $"securityServer: {parsed.Message}";
    }

    private static void WriteOptional(Utf8JsonWriter w, string name, string? value)
    {
        if (value is not null)
        {
            w.WriteString(name, value);
        }
    }

    private static void WriteReceipt(Utf8JsonWriter w, LogReceipt? receipt)
    {
        if (receipt is null)
        {
            return;
        }

        w.WriteStartObject("logReceipt");
        w.WriteString("server", receipt.Server.ToString());
        w.WriteNumber("sequence", receipt.Sequence);
        w.WriteString("promisedBy", receipt.PromisedByText);
        w.WriteEndObject();
    }

    // {"server":…,"sequence":…,"promisedBy":…}: each member once, nothing else (the order is checked by re-encoding).
    private static LogReceipt? ReadReceipt(ref Utf8JsonReader r, out string? problem)
    {
        problem = "logReceipt must be an object of server, sequence and promisedBy.";
        if (r.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }

        string? server = null;
        string? promisedBy = null;
        long? sequence = null;
        while (Next(ref r) == JsonTokenType.PropertyName)
        {
            var name = r.GetString();
            var token = Next(ref r);
            switch (name)
            {
                case "server" when server is null && token == JsonTokenType.String:
                    server = r.GetString();
                    break;
                case "promisedBy" when promisedBy is null && token == JsonTokenType.String:
                    promisedBy = r.GetString();
                    break;
                case "sequence" when sequence is null && token == JsonTokenType.Number && r.TryGetInt64(out var value):
                    sequence = value;
                    break;
                default:
                    return null;
            }
        }

        if (server is null || promisedBy is null || sequence is null)
        {
            return null;
        }

        var serverId = SecurityServerId.TryParse(server);
        if (!serverId.Success)
        {
            problem = $"logReceipt server: {serverId.Message}";
            return null;
        }

        if (sequence < 1)
        {
            problem = "logReceipt sequence must be at least 1.";
            return null;
        }

        var time = LogReceipt.ParseTime(promisedBy);
        if (!time.Success)
        {
            problem = $"logReceipt: {time.Message}";
            return null;
        }

        problem = null;
        return new LogReceipt(serverId.Value!, sequence.Value, time.Value);
    }

    private static void WriteHeaders(Utf8JsonWriter w, IReadOnlyList<MessageHeader> headers)
    {
        w.WriteStartArray("headers");
        foreach (var h in headers)
        {
            w.WriteStartArray();
            w.WriteStringValue(h.Name);
            w.WriteStringValue(h.Value);
            w.WriteEndArray();
        }

        w.WriteEndArray();
    }

    private static ParseResult<HeadFields> ReadFields(ReadOnlySpan<byte> bytes, string expectedType)
    {
        if (bytes.Length == 0 || bytes.Length > MaxHeadBytes)
        {
            return Fail<HeadFields>($"the head is empty or longer than {MaxHeadBytes} bytes.");
        }

        var fields = new HeadFields();
        try
        {
            var r = new Utf8JsonReader(bytes, new JsonReaderOptions { MaxDepth = 4 });
            Expect(ref r, JsonTokenType.StartObject);
            while (Next(ref r) == JsonTokenType.PropertyName)
            {
                var name = r.GetString()!;
                Next(ref r);
                switch (name)
                {
                    case "v":
                        if (r.TokenType != JsonTokenType.Number || !r.TryGetInt32(out var v) || v != 1)
                        {
                            return Fail<HeadFields>("unsupported head version.");
                        }

                        break;
                    case "status":
                        if (r.TokenType != JsonTokenType.Number || !r.TryGetInt32(out var status))
                        {
                            return Fail<HeadFields>("status is not an integer.");
                        }

                        fields.Status = status;
                        break;
                    case "bodyLength":
                        if (r.TokenType != JsonTokenType.Number || !r.TryGetInt64(out var length) || length < 0)
                        {
                            return Fail<HeadFields>("bodyLength is not a non-negative integer.");
                        }

                        fields.BodyLength = length;
                        break;
                    case "bodyDigest":
                        if (r.TokenType != JsonTokenType.String || !r.TryGetBytesFromBase64(out var digest) || digest.Length != 64)
                        {
                            return Fail<HeadFields>("bodyDigest is not a base64 SHA-512 digest.");
                        }

                        fields.BodyDigest = digest;
                        break;
                    case "soapLength":
                        if (r.TokenType != JsonTokenType.Number || !r.TryGetInt64(out var soapLength) || soapLength < 0)
                        {
                            return Fail<HeadFields>("soapLength is not a non-negative integer.");
                        }

                        fields.SoapLength = soapLength;
                        break;
                    case "soapDigest":
                        if (r.TokenType != JsonTokenType.String || !r.TryGetBytesFromBase64(out var soapDigest) || soapDigest.Length != 64)
                        {
                            return Fail<HeadFields>("soapDigest is not a base64 SHA-512 digest.");
                        }

                        fields.SoapDigest = soapDigest;
                        break;
                    case "fault":
                        if (r.TokenType is not (JsonTokenType.True or JsonTokenType.False))
                        {
                            return Fail<HeadFields>("fault is not a boolean.");
                        }

                        fields.Fault = r.TokenType == JsonTokenType.True;
                        break;
                    case "attachments":
                        var attachments = ReadAttachments(ref r);
                        if (attachments is null)
                        {
                            return Fail<HeadFields>($"attachments must be at most {MaxAttachments} [contentId, contentType, length, digest] entries.");
                        }

                        fields.Attachments = attachments;
                        break;
                    case "logReceipt":
                        if (expectedType is not (ResponseType or SoapResponseType) || fields.LogReceipt is not null)
                        {
                            return Fail<HeadFields>("logReceipt is allowed once, in response heads only.");
                        }

                        fields.LogReceipt = ReadReceipt(ref r, out var receiptProblem);
                        if (receiptProblem is not null)
                        {
                            return Fail<HeadFields>(receiptProblem);
                        }

                        break;
                    case "headers":
                        var headers = ReadHeaders(ref r);
                        if (headers is null)
                        {
                            return Fail<HeadFields>($"headers must be at most {HeaderPolicy.MaxHeaders} [name, value] pairs of safe text.");
                        }

                        fields.Headers = headers;
                        break;
                    default:
                        if (r.TokenType != JsonTokenType.String)
                        {
                            return Fail<HeadFields>($"'{name}' is not a string.");
                        }

                        if (!fields.Strings.TryAdd(name, r.GetString()!))
                        {
                            return Fail<HeadFields>($"'{name}' appears twice.");
                        }

                        break;
                }
            }

            if (r.TokenType != JsonTokenType.EndObject || r.Read())
            {
                return Fail<HeadFields>("trailing data after the head.");
            }
        }
        catch (JsonException ex)
        {
            return Fail<HeadFields>($"the head is not JSON: {ex.Message}");
        }
        catch (InvalidOperationException ex)
        {
            return Fail<HeadFields>($"the head has a value of the wrong type: {ex.Message}");
        }

        if (!string.Equals(fields.Strings.GetValueOrDefault("type"), expectedType, StringComparison.Ordinal))
        {
            return Fail<HeadFields>($"the head type is not '{expectedType}'.");
        }

        foreach (var required in new[] { "service", "client", "id", "requestId" })
        {
            if (!fields.Strings.ContainsKey(required))
            {
                return Fail<HeadFields>($"'{required}' is missing.");
            }
        }

        var id = fields.Strings["id"];
        if (id.Length == 0 || id.Length > MaxMessageIdLength || !HeaderPolicy.IsSafeValue(id))
        {
            return Fail<HeadFields>($"the message id must be 1 to {MaxMessageIdLength} characters without control characters.");
        }

        if (expectedType == RequestType)
        {
            if (!fields.Strings.TryGetValue("method", out var method) || !HeaderPolicy.IsToken(method))
            {
                return Fail<HeadFields>("method is missing or not an HTTP token.");
            }

            if (!fields.Strings.TryGetValue("target", out var target) || (target.Length > 0 && target[0] is not ('/' or '?')) || !IsSafeTarget(target))
            {
                return Fail<HeadFields>("target must be empty or start with '/' or '?', in printable ASCII.");
            }
        }

        return fields.BodyDigest.Length == 64 ? ParseResult<HeadFields>.Ok(fields) : Fail<HeadFields>("bodyDigest is missing.");
    }

    private static bool IsSafeTarget(string target)
    {
        foreach (var c in target)
        {
            if (c <= 0x20 || c >= 0x7F)
            {
                return false;
            }
        }

        return true;
    }

    private static List<MessageHeader>? ReadHeaders(ref Utf8JsonReader r)
    {
        if (r.TokenType != JsonTokenType.StartArray)
        {
            return null;
        }

        var list = new List<MessageHeader>();
        while (Next(ref r) == JsonTokenType.StartArray)
        {
            if (Next(ref r) != JsonTokenType.String)
            {
                return null;
            }

            var name = r.GetString()!;
            if (Next(ref r) != JsonTokenType.String)
            {
                return null;
            }

            var value = r.GetString()!;
            if (Next(ref r) != JsonTokenType.EndArray || list.Count == HeaderPolicy.MaxHeaders
                || !HeaderPolicy.IsToken(name) || !string.Equals(name, name.ToLowerInvariant(), StringComparison.Ordinal) || !HeaderPolicy.IsSafeValue(value))
            {
                return null;
            }

            list.Add(new MessageHeader(name, value));
        }

        return r.TokenType == JsonTokenType.EndArray ? list : null;
    }

    private static JsonTokenType Next(ref Utf8JsonReader r) => r.Read() ? r.TokenType : throw new JsonException("unexpected end of the head");

    private static void Expect(ref Utf8JsonReader r, JsonTokenType type)
    {
        if (Next(ref r) != type)
        {
            throw new JsonException(string.Create(CultureInfo.InvariantCulture, $"expected {type}"));
        }
    }

    private static ParseResult<T> Fail<T>(string message)
        where T : notnull => ParseResult<T>.Fail(InvalidHead, message);

    private sealed class HeadFields
    {
        public Dictionary<string, string> Strings { get; } = new(StringComparer.Ordinal);

        public List<MessageHeader> Headers { get; set; } = [];

        public long BodyLength { get; set; } = -1;

        public byte[] BodyDigest { get; set; } = [];

        public int Status { get; set; }

        public long SoapLength { get; set; } = -1;

        public byte[] SoapDigest { get; set; } = [];

        public bool Fault { get; set; }

        public List<AttachmentDigest> Attachments { get; set; } = [];

        public LogReceipt? LogReceipt { get; set; }

        public string Str(string name) => Strings.GetValueOrDefault(name) ?? string.Empty;
    }
}
