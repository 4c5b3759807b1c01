using System.Buffers;
using System.Globalization;
using System.Text.Json;
using ExchangeGateway.Common.Crypto.Merkle;
using ExchangeGateway.Common.Results;
using ExchangeGateway.MessageLog.Records;

namespace ExchangeGateway.MessageLog.Evidence;

/// <summary>
/// The one writer and reader of evidence bundle files (<c>.xgwe</c>, <see cref="EvidenceBundle.MediaType"/>):
/// UTF-8 JSON, indented for reading, binary values in standard base64 with padding, hashes in lower-case
/// hex, times as <c>yyyy-MM-ddTHH:mm:ss.ffffffZ</c>. MessageLog/README.md documents every property. The
/// reader is strict: an unknown or duplicated property, a missing required one, a value of the wrong type,
/// non-canonical base64 or a file over <see cref="MaxBytes"/> is refused with the JSON path of the fault.
/// Reading checks form only; <see cref="EvidenceBundleVerifier"/> decides what the bundle proves.
/// </summary>
public static class EvidenceBundleSerializer
{
    /// <summary>The largest bundle file read: 64 MiB.</summary>
    public const int MaxBytes = 64 * 1024 * 1024;

    /// <summary>The error code of a file that is not a bundle.</summary>
    public const string MalformedCode = "evidence.invalid_bundle";

    private const int MaxDepth = 16;

    private static readonly JsonWriterOptions WriterOptions = new() { Indented = true };

    /// <summary>Writes <paramref name="bundle"/> as a bundle file.</summary>
    public static byte[] Write(EvidenceBundle bundle)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        var buffer = new ArrayBufferWriter<byte>(16 * 1024);
        using (var w = new Utf8JsonWriter(buffer, WriterOptions))
        {
            WriteBundle(w, bundle);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads a bundle file strictly.</summary>
    public static ParseResult<EvidenceBundle> Read(ReadOnlyMemory<byte> bytes)
    {
        if (bytes.Length > MaxBytes)
        {
            return Fail($"the file is {bytes.Length} bytes, more than the limit of {MaxBytes}");
        }

        try
        {
            using var document = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = MaxDepth });
            return ParseResult<EvidenceBundle>.Ok(ReadBundle(new Obj(document.RootElement, "$")));
        }
        catch (JsonException ex)
        {
            return Fail($"not JSON: {ex.Message}");
        }
        catch (InvalidDataException ex)
        {
            return Fail(ex.Message);
        }
    }

    /// <summary>Reads a bundle file from <paramref name="path"/>, refusing a file over <see cref="MaxBytes"/> before reading it.</summary>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="UnauthorizedAccessException">The file may not be read.</exception>
    public static ParseResult<EvidenceBundle> ReadFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var length = new FileInfo(path).Length;
        return length > MaxBytes
            ? Fail($"the file is {length} bytes, more than the limit of {MaxBytes}")
            : Read(File.ReadAllBytes(path));
    }

    private static void WriteBundle(Utf8JsonWriter w, EvidenceBundle bundle)
    {
        w.WriteStartObject();
        w.WriteString("format", EvidenceBundle.Format);
        w.WriteString("createdAt", LogTime.Format(bundle.CreatedAt));
        w.WriteString("server", bundle.Server);
        w.WriteStartArray("records");
        foreach (var record in bundle.Records)
        {
            WriteRecord(w, record);
        }

        w.WriteEndArray();
        w.WriteStartObject("checkpoint");
        w.WriteBase64String("content", bundle.Checkpoint.Content.Span);
        w.WriteBase64String("signature", bundle.Checkpoint.Signature.Span);
        w.WriteBase64String("timeStampToken", bundle.Checkpoint.TimeStampToken.Span);
        if (bundle.Checkpoint.TsaUrl is { } url)
        {
            w.WriteString("tsaUrl", url);
        }

        w.WriteEndObject();
        w.WriteStartObject("trust");
        w.WriteBase64String("configuration", bundle.Trust.ConfigurationContent.Span);
        w.WriteBase64String("configurationSignature", bundle.Trust.ConfigurationSignature.Span);
        w.WriteBase64String("anchor", bundle.Trust.Anchor.Span);
        WriteBase64Array(w, "caCertificates", bundle.Trust.CaCertificates);
        WriteBase64Array(w, "tsaCertificates", bundle.Trust.TsaCertificates);
        w.WriteEndObject();
        if (bundle.Witness is { } witness)
        {
            w.WriteStartObject("witness");
            w.WriteBase64String("statement", witness.Statement.Span);
            w.WriteBase64String("signature", witness.Signature.Span);
            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    private static void WriteRecord(Utf8JsonWriter w, EvidenceRecord record)
    {
        w.WriteStartObject();
        w.WriteNumber("sequence", record.Sequence);
        w.WriteBase64String("canonical", record.Canonical.Span);
        if (record.Body is { } body)
        {
            w.WriteBase64String("body", body.Span);
        }

        w.WriteString("bodyState", LogExportJson.StateText(record.BodyState));
        w.WriteBase64String("signedContent", record.SignedContent.Span);
        w.WriteStartObject("inclusion");
        w.WriteNumber("treeSize", record.Inclusion.TreeSize);
        w.WriteNumber("leafIndex", record.Inclusion.LeafIndex);
        w.WriteStartArray("path");
        foreach (var hash in record.Inclusion.Path)
        {
            w.WriteStringValue(hash.ToString());
        }

        w.WriteEndArray();
        w.WriteEndObject();
        if (record.Fields is { } f)
        {
            w.WriteStartObject("fields");
            w.WriteString("side", f.Side);
            w.WriteString("kind", f.Kind);
            w.WriteString("messageId", f.MessageId);
            w.WriteString("requestId", f.RequestId.ToString("D"));
            w.WriteString("client", f.Client);
            w.WriteString("service", f.Service);
            w.WriteString("at", f.At);
            if (f.UserId is { } user)
            {
                w.WriteString("userId", user);
            }

            if (f.HttpStatus is { } status)
            {
                w.WriteNumber("httpStatus", status);
            }

            if (f.ErrorCode is { } code)
            {
                w.WriteString("errorCode", code);
            }

            w.WriteNumber("bodyLength", f.BodyLength);
            w.WriteString("bodyDigest", f.BodyDigest);
            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    private static void WriteBase64Array(Utf8JsonWriter w, string name, IReadOnlyList<ReadOnlyMemory<byte>> values)
    {
        w.WriteStartArray(name);
        foreach (var value in values)
        {
            w.WriteBase64StringValue(value.Span);
        }

        w.WriteEndArray();
    }

    private static EvidenceBundle ReadBundle(Obj o)
    {
        var format = o.String("format");
        if (!string.Equals(format, EvidenceBundle.Format, StringComparison.Ordinal))
        {
            throw Bad(o.At("format"), $"is '{format}', not '{EvidenceBundle.Format}'");
        }

        var createdAt = o.Time("createdAt");
        var server = o.String("server");
        var records = o.Array("records", (e, p) => ReadRecord(new Obj(e, p)));
        if (records.Count is < 1 or > 2)
        {
            throw Bad(o.At("records"), $"holds {records.Count} records; a bundle holds one or two");
        }

        var c = o.Object("checkpoint");
        var checkpoint = new EvidenceCheckpoint(c.Base64("content"), c.Base64("signature"), c.Base64("timeStampToken"), c.OptionalString("tsaUrl"));
        c.End();

        var t = o.Object("trust");
        var trust = new EvidenceTrust(
            t.Base64("configuration"),
            t.Base64("configurationSignature"),
            t.Base64("anchor"),
            t.Array("caCertificates", (e, p) => (ReadOnlyMemory<byte>)Base64(e, p)),
            t.Array("tsaCertificates", (e, p) => (ReadOnlyMemory<byte>)Base64(e, p)));
        t.End();

        EvidenceWitness? witness = null;
        if (o.Has("witness"))
        {
            var wo = o.Object("witness");
            witness = new EvidenceWitness(wo.Base64("statement"), wo.Base64("signature"));
            wo.End();
        }

        o.End();
        return new EvidenceBundle(createdAt, server, records, checkpoint, trust, witness);
    }

    private static EvidenceRecord ReadRecord(Obj o)
    {
        var sequence = o.Integer("sequence");
        var canonical = o.Base64("canonical");
        var body = o.Has("body") ? (ReadOnlyMemory<byte>?)o.Base64("body") : null;
        var stateText = o.String("bodyState");
        var state = LogExportJson.ParseState(stateText) ?? throw Bad(o.At("bodyState"), $"is '{stateText}', not one of present, not-logged, erased");
        var signedContent = o.Base64("signedContent");
        var i = o.Object("inclusion");
        var inclusion = new EvidenceInclusion(i.Integer("treeSize"), i.Integer("leafIndex"), i.Array("path", Hash));
        i.End();
        EvidenceRecordFields? fields = null;
        if (o.Has("fields"))
        {
            var f = o.Object("fields");
            var requestIdText = f.String("requestId");
            if (!Guid.TryParseExact(requestIdText, "D", out var requestId))
            {
                throw Bad(f.At("requestId"), "is not a GUID");
            }

            var status = f.Has("httpStatus") ? f.Integer("httpStatus") : (long?)null;
            if (status is < int.MinValue or > int.MaxValue)
            {
                throw Bad(f.At("httpStatus"), "is out of range");
            }

            fields = new EvidenceRecordFields(
                f.String("side"),
                f.String("kind"),
                f.String("messageId"),
                requestId,
                f.String("client"),
                f.String("service"),
                f.String("at"),
                f.OptionalString("userId"),
                (int?)status,
                f.OptionalString("errorCode"),
                f.Integer("bodyLength"),
                f.String("bodyDigest"));
            f.End();
        }

        o.End();
        return new EvidenceRecord(sequence, canonical, body, state, signedContent, inclusion, fields);
    }

    private static MerkleHash Hash(JsonElement e, string path)
    {
        var text = e.ValueKind == JsonValueKind.String ? e.GetString()! : throw Bad(path, "is not a string");
        if (text.Length != 2 * MerkleHash.SizeInBytes || text.Any(ch => ch is not ((>= '0' and <= '9') or (>= 'a' and <= 'f'))))
        {
            throw Bad(path, "is not 64 lower-case hex digits");
        }

        return new MerkleHash(Convert.FromHexString(text));
    }

    private static byte[] Base64(JsonElement e, string path)
    {
        var text = e.ValueKind == JsonValueKind.String ? e.GetString()! : throw Bad(path, "is not a string");
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            throw Bad(path, "is not base64");
        }

        // Convert accepts whitespace inside base64; one value must have one spelling.
        return string.Equals(Convert.ToBase64String(bytes), text, StringComparison.Ordinal) ? bytes : throw Bad(path, "is not canonical base64");
    }

    private static InvalidDataException Bad(string path, string what) => new($"{path} {what}");

    private static ParseResult<EvidenceBundle> Fail(string message) => ParseResult<EvidenceBundle>.Fail(MalformedCode, "evidence bundle: " + message);

    /// <summary>One JSON object read strictly: each property once, each known, each read at most once.</summary>
    private sealed class Obj
    {
        private readonly Dictionary<string, JsonElement> _properties = new(StringComparer.Ordinal);
        private readonly string _path;

        public Obj(JsonElement element, string path)
        {
            _path = path;
            if (element.ValueKind != JsonValueKind.Object)
            {
                throw Bad(path, "is not an object");
            }

            foreach (var p in element.EnumerateObject())
            {
                if (!_properties.TryAdd(p.Name, p.Value))
                {
                    throw Bad($"{path}.{p.Name}", "appears twice");
                }
            }
        }

        public string At(string name) => $"{_path}.{name}";

        public bool Has(string name) => _properties.ContainsKey(name);

        public Obj Object(string name) => new(Take(name), At(name));

        public string String(string name)
        {
            var e = Take(name);
            return e.ValueKind == JsonValueKind.String ? e.GetString()! : throw Bad(At(name), "is not a string");
        }

        public string? OptionalString(string name) => Has(name) ? String(name) : null;

        public long Integer(string name)
        {
            var e = Take(name);
            return e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out var value)
                && string.Equals(value.ToString(CultureInfo.InvariantCulture), e.GetRawText(), StringComparison.Ordinal)
                ? value
                : throw Bad(At(name), "is not an integer");
        }

        public byte[] Base64(string name) => EvidenceBundleSerializer.Base64(Take(name), At(name));

        public DateTimeOffset Time(string name)
        {
            var text = String(name);
            return LogTime.TryParse(text, out var value) && string.Equals(LogTime.Format(value), text, StringComparison.Ordinal)
                ? value
                : throw Bad(At(name), "is not a time yyyy-MM-ddTHH:mm:ss.ffffffZ");
        }

        public List<T> Array<T>(string name, Func<JsonElement, string, T> item)
        {
            var e = Take(name);
            if (e.ValueKind != JsonValueKind.Array)
            {
                throw Bad(At(name), "is not an array");
            }

            var list = new List<T>(e.GetArrayLength());
            var i = 0;
            foreach (var x in e.EnumerateArray())
            {
                list.Add(item(x, string.Create(CultureInfo.InvariantCulture, $"{At(name)}[{i++}]")));
            }

            return list;
        }

        public void End()
        {
            if (_properties.Count > 0)
            {
                throw Bad(At(_properties.Keys.Order(StringComparer.Ordinal).First()), "is not a known property");
            }
        }

        private JsonElement Take(string name) =>
            _properties.Remove(name, out var value) ? value : throw Bad(At(name), "is missing");
    }
}
