using System.Buffers;
using System.Text.Json;
using ExchangeGateway.Common.Identifiers;
using ExchangeGateway.Common.Results;

namespace ExchangeGateway.Common.Exchange;

/// <summary>The SOAP heads, in the same canonical form as the REST ones.</summary>
/// <remarks>
/// Request: <c>{"v":1,"type":"soap-request","service","client","id","requestId"[,"userId"][,"issue"][,"representedParty"]
/// [,"securityServer"],"protocolVersion","headers","soapLength","soapDigest","attachments":[[contentId,contentType,length,digest],…],
/// "bodyLength","bodyDigest"}</c>. Response: <c>{"v":1,"type":"soap-response","status","service","client","id","requestId",
/// "requestHash","fault","headers"[,"logReceipt"],"soapLength","soapDigest","attachments","bodyLength","bodyDigest"}</c>.
/// </remarks>
public static partial class HeadCodec
{
    /// <summary>The most attachments a SOAP head lists (matches the multipart reader's part cap).</summary>
    public const int MaxAttachments = 1_000;

    private const string SoapRequestType = "soap-request";
    private const string SoapResponseType = "soap-response";

    /// <summary>The canonical bytes of <paramref name="head"/>.</summary>
    public static byte[] Encode(SoapRequestHead head)
    {
        ArgumentNullException.ThrowIfNull(head);
        var buffer = new ArrayBufferWriter<byte>(768);
        using (var w = new Utf8JsonWriter(buffer, WriterOptions))
        {
            w.WriteStartObject();
            w.WriteNumber("v", 1);
            w.WriteString("type", SoapRequestType);
            w.WriteString("service", head.Service.ToString());
            w.WriteString("client", head.Client.ToString());
            w.WriteString("id", head.MessageId);
            w.WriteString("requestId", head.RequestId.ToString("D"));
            WriteXRoadOptionals(w, head.UserId, head.Issue, head.RepresentedParty, head.SecurityServer);
            w.WriteString("protocolVersion", head.ProtocolVersion);
            WriteHeaders(w, head.Headers);
            WriteParts(w, head.SoapLength, head.SoapDigest, head.Attachments, head.BodyLength, head.BodyDigest);
            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The canonical bytes of <paramref name="head"/>.</summary>
    public static byte[] Encode(SoapResponseHead head)
    {
        ArgumentNullException.ThrowIfNull(head);
        var buffer = new ArrayBufferWriter<byte>(768);
        using (var w = new Utf8JsonWriter(buffer, WriterOptions))
        {
            w.WriteStartObject();
            w.WriteNumber("v", 1);
            w.WriteString("type", SoapResponseType);
            w.WriteNumber("status", head.Status);
            w.WriteString("service", head.Service.ToString());
            w.WriteString("client", head.Client.ToString());
            w.WriteString("id", head.MessageId);
            w.WriteString("requestId", head.RequestId.ToString("D"));
            w.WriteString("requestHash", head.RequestHash);
            w.WriteBoolean("fault", head.Fault);
            WriteHeaders(w, head.Headers);
            WriteReceipt(w, head.LogReceipt);
            WriteParts(w, head.SoapLength, head.SoapDigest, head.Attachments, head.BodyLength, head.BodyDigest);
            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads a SOAP request head; anything but the canonical form fails.</summary>
    public static ParseResult<SoapRequestHead> DecodeSoapRequest(ReadOnlySpan<byte> bytes)
    {
        var fields = ReadFields(bytes, SoapRequestType);
        if (!fields.Success)
        {
            return ParseResult<SoapRequestHead>.Fail(fields.ErrorCode!, fields.Message!);
        }

        var f = fields.Value!;
        var ids = ReadIds(f);
        if (!ids.Success)
        {
            return ParseResult<SoapRequestHead>.Fail(ids.ErrorCode!, ids.Message!);
        }

        if (ReadPinned(f, out var pinned) is { } badPin)
        {
            return Fail<SoapRequestHead>(badPin);
        }

        if (!f.Strings.TryGetValue("protocolVersion", out var protocolVersion) || !HeaderPolicy.IsSafeValue(protocolVersion))
        {
            return Fail<SoapRequestHead>("protocolVersion is missing.");
        }

        if (f.SoapLength < 0 || f.SoapDigest.Length != 64)
        {
            return Fail<SoapRequestHead>("soapLength or soapDigest is missing.");
        }

        var (service, client, requestId) = ids.Value;
        var head = new SoapRequestHead
        {
            Service = service,
            Client = client,
            MessageId = f.Str("id"),
            RequestId = requestId,
            UserId = f.Strings.GetValueOrDefault("userId"),
            Issue = f.Strings.GetValueOrDefault("issue"),
            RepresentedParty = f.Strings.GetValueOrDefault("representedParty"),
            SecurityServer = pinned,
            ProtocolVersion = protocolVersion,
            Headers = f.Headers,
            SoapLength = f.SoapLength,
            SoapDigest = f.SoapDigest,
            Attachments = f.Attachments,
            BodyLength = f.BodyLength,
            BodyDigest = f.BodyDigest,
        };
        return Canonical(bytes, Encode(head), head);
    }

    /// <summary>Reads a SOAP response head; anything but the canonical form fails.</summary>
    public static ParseResult<SoapResponseHead> DecodeSoapResponse(ReadOnlySpan<byte> bytes)
    {
        var fields = ReadFields(bytes, SoapResponseType);
        if (!fields.Success)
        {
            return ParseResult<SoapResponseHead>.Fail(fields.ErrorCode!, fields.Message!);
        }

        var f = fields.Value!;
        var ids = ReadIds(f);
        if (!ids.Success)
        {
            return ParseResult<SoapResponseHead>.Fail(ids.ErrorCode!, ids.Message!);
        }

        if (f.Status is < 100 or > 999)
        {
            return Fail<SoapResponseHead>("status is not an HTTP status code.");
        }

        if (f.SoapLength < 0 || f.SoapDigest.Length != 64)
        {
            return Fail<SoapResponseHead>("soapLength or soapDigest is missing.");
        }

        var (service, client, requestId) = ids.Value;
        var head = new SoapResponseHead
        {
            Status = f.Status,
            Service = service,
            Client = client,
            MessageId = f.Str("id"),
            RequestId = requestId,
            RequestHash = f.Str("requestHash"),
            Fault = f.Fault,
            Headers = f.Headers,
            LogReceipt = f.LogReceipt,
            SoapLength = f.SoapLength,
            SoapDigest = f.SoapDigest,
            Attachments = f.Attachments,
            BodyLength = f.BodyLength,
            BodyDigest = f.BodyDigest,
        };
        return Canonical(bytes, Encode(head), head);
    }

    private static ParseResult<(ServiceId Service, ClientId Client, Guid RequestId)> ReadIds(HeadFields f)
    {
        var service = ServiceId.TryParse(f.Str("service"));
        var client = ClientId.TryParse(f.Str("client"));
        if (!service.Success || !client.Success)
        {
            return Fail<(ServiceId, ClientId, Guid)>($"service or client: {service.Message ?? client.Message}");
        }

        return Guid.TryParseExact(f.Str("requestId"), "D", out var requestId)
            ? ParseResult<(ServiceId, ClientId, Guid)>.Ok((service.Value!, client.Value!, requestId))
            : Fail<(ServiceId, ClientId, Guid)>("requestId is not a UUID.");
    }

    private static void WriteParts(Utf8JsonWriter w, long soapLength, ReadOnlyMemory<byte> soapDigest, IReadOnlyList<AttachmentDigest> attachments, long bodyLength, ReadOnlyMemory<byte> bodyDigest)
    {
        w.WriteNumber("soapLength", soapLength);
        w.WriteBase64String("soapDigest", soapDigest.Span);
        w.WriteStartArray("attachments");
        foreach (var a in attachments)
        {
            w.WriteStartArray();
            w.WriteStringValue(a.ContentId);
            w.WriteStringValue(a.ContentType);
            w.WriteNumberValue(a.Length);
            w.WriteBase64StringValue(a.Digest.Span);
            w.WriteEndArray();
        }

        w.WriteEndArray();
        w.WriteNumber("bodyLength", bodyLength);
        w.WriteBase64String("bodyDigest", bodyDigest.Span);
    }

    private static List<AttachmentDigest>? ReadAttachments(ref Utf8JsonReader r)
    {
        if (r.TokenType != JsonTokenType.StartArray)
        {
            return null;
        }

        var list = new List<AttachmentDigest>();
        while (Next(ref r) == JsonTokenType.StartArray)
        {
            if (Next(ref r) != JsonTokenType.String)
            {
                return null;
            }

            var contentId = r.GetString()!;
            if (Next(ref r) != JsonTokenType.String)
            {
                return null;
            }

            var contentType = r.GetString()!;
            if (Next(ref r) != JsonTokenType.Number || !r.TryGetInt64(out var length) || length < 0)
            {
                return null;
            }

            if (Next(ref r) != JsonTokenType.String || !r.TryGetBytesFromBase64(out var digest) || digest.Length != 64)
            {
                return null;
            }

            if (Next(ref r) != JsonTokenType.EndArray || list.Count == MaxAttachments
                || !HeaderPolicy.IsSafeValue(contentId) || !HeaderPolicy.IsSafeValue(contentType))
            {
                return null;
            }

            list.Add(new AttachmentDigest(contentId, contentType, length, digest));
        }

        return r.TokenType == JsonTokenType.EndArray ? list : null;
    }
}
