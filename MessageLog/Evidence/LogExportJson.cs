using System.Buffers;
using System.Globalization;
using System.Numerics;
using System.Text.Json;
using ExchangeGateway.Common.Crypto.Merkle;
using ExchangeGateway.Common.Identifiers;
using ExchangeGateway.Common.Results;
using ExchangeGateway.MessageLog.Records;

namespace ExchangeGateway.MessageLog.Evidence;

/// <summary>
/// The one writer and the one reader of export lines. The reader is strict: every object must have
/// exactly its documented properties (none unknown, none twice), binary values are base64, hashes 64
/// lower-case hex digits, and anything the writer could not have written is refused with the reason.
/// </summary>
internal static class LogExportJson
{
    /// <summary>More witness statements than this in one header are refused (one every five minutes for ten years is about a million).</summary>
    public const int MaxWitnesses = 1_000_000;

    /// <summary>More certificates than this in one trust list are refused.</summary>
    public const int MaxCertificates = 10_000;

    private const int MaxProofLength = 2 * 64;
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 8, AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow };
    private static readonly JsonWriterOptions WriterOptions = new() { SkipValidation = false };

    public static void WriteHeader(IBufferWriter<byte> output, LogExportHeader header)
    {
        using (var w = new Utf8JsonWriter(output, WriterOptions))
        {
            w.WriteStartObject();
            w.WriteString("format", LogExportFormat.Name);
            w.WriteString("server", header.Server);
            w.WriteString("createdAt", LogTime.Format(header.CreatedAt));
            w.WritePropertyName("from");
            WriteCheckpoint(w, header.From);
            w.WritePropertyName("to");
            WriteCheckpoint(w, header.To);
            w.WriteStartArray("consistency");
            foreach (var hash in header.Consistency)
            {
                w.WriteStringValue(hash.ToString());
            }

            w.WriteEndArray();
            w.WriteStartObject("trust");
            w.WriteBase64String("configuration", header.Trust.ConfigurationContent.Span);
            w.WriteBase64String("configurationSignature", header.Trust.ConfigurationSignature.Span);
            w.WriteBase64String("anchor", header.Trust.Anchor.Span);
            WriteBase64Array(w, "caCertificates", header.Trust.CaCertificates);
            WriteBase64Array(w, "tsaCertificates", header.Trust.TsaCertificates);
            w.WriteEndObject();
            w.WriteStartArray("witness");
            foreach (var (statement, signature) in header.Witnesses)
            {
                w.WriteStartObject();
                w.WriteBase64String("statement", statement.Span);
                w.WriteBase64String("signature", signature.Span);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        NewLine(output);
    }

    public static void WriteRecord(IBufferWriter<byte> output, LogExportRecord record)
    {
        using (var w = new Utf8JsonWriter(output, WriterOptions))
        {
            w.WriteStartObject();
            w.WriteNumber("sequence", record.Sequence);
            w.WriteBase64String("canonical", record.Canonical.Span);
            if (record.Body is { } body)
            {
                w.WriteBase64String("body", body.Span);
            }

            w.WriteString("bodyState", StateText(record.BodyState));
            w.WriteEndObject();
        }

        NewLine(output);
    }

    public static void WriteEnd(IBufferWriter<byte> output, long records)
    {
        using (var w = new Utf8JsonWriter(output, WriterOptions))
        {
            w.WriteStartObject();
            w.WriteBoolean("end", true);
            w.WriteNumber("records", records);
            w.WriteEndObject();
        }

        NewLine(output);
    }

    /// <summary>The <c>bodyState</c> text of <paramref name="state"/>, in exports and bundles alike.</summary>
    public static string StateText(EvidenceBodyState state) => state switch
    {
        EvidenceBodyState.Present => LogExportFormat.BodyPresent,
        EvidenceBodyState.NotLogged => LogExportFormat.BodyNotLogged,
        EvidenceBodyState.Erased => LogExportFormat.BodyErased,
        EvidenceBodyState.Sealed => LogExportFormat.BodySealed,
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "Unknown body state."),
    };

    /// <summary>The state a <c>bodyState</c> text names, or null when it names none.</summary>
    public static EvidenceBodyState? ParseState(string text) => text switch
    {
        LogExportFormat.BodyPresent => EvidenceBodyState.Present,
        LogExportFormat.BodyNotLogged => EvidenceBodyState.NotLogged,
        LogExportFormat.BodyErased => EvidenceBodyState.Erased,
        LogExportFormat.BodySealed => EvidenceBodyState.Sealed,
        _ => null,
    };

    public static ParseResult<LogExportHeader> ParseHeader(ReadOnlyMemory<byte> line)
    {
        try
        {
            using var document = JsonDocument.Parse(line, DocumentOptions);
            var o = Strict.Of(document.RootElement, "header", ["format", "server", "createdAt", "from", "to", "consistency", "trust", "witness"]);
            if (!string.Equals(o.Text("format"), LogExportFormat.Name, StringComparison.Ordinal))
            {
                throw new FormatException($"format is not '{LogExportFormat.Name}'");
            }

            var server = o.Text("server");
            var serverId = SecurityServerId.TryParse(server);
            if (!serverId.Success || !string.Equals(serverId.Value.ToString(), server, StringComparison.Ordinal))
            {
                throw new FormatException("server is not a canonical security server id");
            }

            var createdText = o.Text("createdAt");
            if (!LogTime.TryParse(createdText, out var createdAt) || !string.Equals(LogTime.Format(createdAt), createdText, StringComparison.Ordinal))
            {
                throw new FormatException("createdAt is not yyyy-MM-ddTHH:mm:ss.ffffffZ");
            }

            var from = ReadCheckpoint(o.Get("from"), "from", withFrontier: true);
            var to = ReadCheckpoint(o.Get("to"), "to", withFrontier: false);
            if (to.TreeSize < 1)
            {
                throw new FormatException("to.treeSize must be at least 1: the empty tree is never signed");
            }

            if (from.TreeSize > to.TreeSize)
            {
                throw new FormatException($"from.treeSize {from.TreeSize} is larger than to.treeSize {to.TreeSize}");
            }

            var consistency = o.Array("consistency", MaxProofLength).Select(e => Hash(e, "consistency")).ToArray();
            var trustObject = Strict.Of(o.Get("trust"), "trust", ["configuration", "configurationSignature", "anchor", "caCertificates", "tsaCertificates"]);
            var trust = new EvidenceTrust(
                trustObject.Bytes("configuration"),
                trustObject.Bytes("configurationSignature"),
                trustObject.Bytes("anchor"),
                trustObject.Array("caCertificates", MaxCertificates).Select(e => Base64(e, "trust.caCertificates")).ToArray(),
                trustObject.Array("tsaCertificates", MaxCertificates).Select(e => Base64(e, "trust.tsaCertificates")).ToArray());
            var witnesses = o.Array("witness", MaxWitnesses).Select(e =>
            {
                var w = Strict.Of(e, "witness", ["statement", "signature"]);
                return (Statement: w.Bytes("statement"), Signature: w.Bytes("signature"));
            }).ToArray();
            return ParseResult<LogExportHeader>.Ok(new LogExportHeader(server!, createdAt, from, to, consistency, trust, witnesses));
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException)
        {
            return ParseResult<LogExportHeader>.Fail(LogExportFormat.MalformedCode, "line 1 (header): " + ex.Message);
        }
    }

    public static ParseResult<LogExportItem> ParseItem(ReadOnlyMemory<byte> line, long lineNumber)
    {
        try
        {
            using var document = JsonDocument.Parse(line, DocumentOptions);
            if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("end", out _))
            {
                var end = Strict.Of(document.RootElement, "end line", ["end", "records"]);
                if (end.Get("end").ValueKind != JsonValueKind.True)
                {
                    throw new FormatException("end is not true");
                }

                return ParseResult<LogExportItem>.Ok(new LogExportItem(LogExportItemKind.End, lineNumber, EndRecords: end.Count("records")));
            }

            var o = Strict.Of(document.RootElement, "record", ["sequence", "canonical", "body", "bodyState"], optional: ["body"]);
            var sequence = o.Count("sequence");
            if (sequence < 1)
            {
                throw new FormatException("sequence is not positive");
            }

            var canonical = o.Bytes("canonical");
            var stateText = o.Text("bodyState");
            var state = ParseState(stateText) ?? throw new FormatException($"bodyState '{stateText}' is not present, not-logged or erased");
            // Beware C#: "cond ? memory : null" converts null to an empty memory (via byte[]), not to a null one.
            var body = o.Has("body") ? o.Bytes("body") : (ReadOnlyMemory<byte>?)null;
            if ((state == EvidenceBodyState.Present) != body.HasValue)
            {
                throw new FormatException(body.HasValue ? $"a body is given but bodyState is {o.Text("bodyState")}" : "bodyState is present but there is no body");
            }

            return ParseResult<LogExportItem>.Ok(new LogExportItem(LogExportItemKind.Record, lineNumber, new LogExportRecord(sequence, canonical, body, state)));
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException)
        {
            return ParseResult<LogExportItem>.Fail(LogExportFormat.MalformedCode, string.Create(CultureInfo.InvariantCulture, $"line {lineNumber}: {ex.Message}"));
        }
    }

    private static LogExportCheckpoint ReadCheckpoint(JsonElement element, string name, bool withFrontier)
    {
        string[] names = withFrontier
            ? ["treeSize", "content", "signature", "timeStampToken", "frontier"]
            : ["treeSize", "content", "signature", "timeStampToken"];
        var o = Strict.Of(element, name, names);
        var size = o.Count("treeSize");
        var content = o.NullableBytes("content");
        var signature = o.NullableBytes("signature");
        var token = o.NullableBytes("timeStampToken");
        if (size == 0 && (content is not null || signature is not null || token is not null))
        {
            throw new FormatException($"{name}: the empty tree has no content, signature or time-stamp");
        }

        if (size > 0 && (content is null || signature is null))
        {
            throw new FormatException($"{name}: a checkpoint of {size} records needs its content and signature");
        }

        MerkleHash[]? frontier = null;
        if (withFrontier)
        {
            var expected = BitOperations.PopCount((ulong)size);
            frontier = o.Array("frontier", 64).Select(e => Hash(e, name + ".frontier")).ToArray();
            if (frontier.Length != expected)
            {
                throw new FormatException($"{name}.frontier has {frontier.Length} hashes; a tree of {size} records has {expected}");
            }
        }

        return new LogExportCheckpoint(size, content, signature, token, frontier);
    }

    private static MerkleHash Hash(JsonElement element, string name)
    {
        var text = element.ValueKind == JsonValueKind.String ? element.GetString()! : throw new FormatException($"{name} holds a non-string");
        if (text.Length != 2 * MerkleHash.SizeInBytes || text.Any(c => c is not ((>= '0' and <= '9') or (>= 'a' and <= 'f'))))
        {
            throw new FormatException($"{name} holds a value that is not 64 lower-case hex digits");
        }

        return new MerkleHash(Convert.FromHexString(text));
    }

    private static ReadOnlyMemory<byte> Base64(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.String && element.TryGetBytesFromBase64(out var bytes)
            ? bytes
            : throw new FormatException($"{name} holds a value that is not base64");

    private static void WriteCheckpoint(Utf8JsonWriter w, LogExportCheckpoint checkpoint)
    {
        w.WriteStartObject();
        w.WriteNumber("treeSize", checkpoint.TreeSize);
        WriteNullableBase64(w, "content", checkpoint.Content);
        WriteNullableBase64(w, "signature", checkpoint.Signature);
        WriteNullableBase64(w, "timeStampToken", checkpoint.TimeStampToken);
        if (checkpoint.Frontier is { } frontier)
        {
            w.WriteStartArray("frontier");
            foreach (var hash in frontier)
            {
                w.WriteStringValue(hash.ToString());
            }

            w.WriteEndArray();
        }

        w.WriteEndObject();
    }

    private static void WriteNullableBase64(Utf8JsonWriter w, string name, ReadOnlyMemory<byte>? value)
    {
        if (value is { } bytes)
        {
            w.WriteBase64String(name, bytes.Span);
        }
        else
        {
            w.WriteNull(name);
        }
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

    private static void NewLine(IBufferWriter<byte> output)
    {
        output.GetSpan(1)[0] = (byte)'\n';
        output.Advance(1);
    }

    /// <summary>An object whose property set was checked: exactly the allowed names, each once.</summary>
    private readonly struct Strict
    {
        private readonly Dictionary<string, JsonElement> _properties;
        private readonly string _name;

        private Strict(Dictionary<string, JsonElement> properties, string name)
        {
            _properties = properties;
            _name = name;
        }

        public static Strict Of(JsonElement element, string name, string[] allowed, string[]? optional = null)
        {
            if (element.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException($"{name} is not a JSON object");
            }

            var properties = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            foreach (var property in element.EnumerateObject())
            {
                if (!allowed.Contains(property.Name, StringComparer.Ordinal))
                {
                    throw new FormatException($"{name} has an unknown property '{property.Name}'");
                }

                if (!properties.TryAdd(property.Name, property.Value))
                {
                    throw new FormatException($"{name} has the property '{property.Name}' twice");
                }
            }

            foreach (var required in allowed)
            {
                if (!properties.ContainsKey(required) && (optional is null || !optional.Contains(required, StringComparer.Ordinal)))
                {
                    throw new FormatException($"{name} lacks the property '{required}'");
                }
            }

            return new Strict(properties, name);
        }

        public bool Has(string property) => _properties.ContainsKey(property);

        public JsonElement Get(string property) => _properties[property];

        public string Text(string property)
        {
            var e = _properties[property];
            return e.ValueKind == JsonValueKind.String ? e.GetString()! : throw new FormatException($"{_name}.{property} is not a string");
        }

        public long Count(string property)
        {
            var e = _properties[property];
            return e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out var value) && value >= 0
                ? value
                : throw new FormatException($"{_name}.{property} is not a non-negative integer");
        }

        public ReadOnlyMemory<byte> Bytes(string property) => Base64(_properties[property], $"{_name}.{property}");

        public ReadOnlyMemory<byte>? NullableBytes(string property)
        {
            var e = _properties[property];
            return e.ValueKind == JsonValueKind.Null ? (ReadOnlyMemory<byte>?)null : Base64(e, $"{_name}.{property}");
        }

        public IEnumerable<JsonElement> Array(string property, int max)
        {
            var e = _properties[property];
            if (e.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException($"{_name}.{property} is not an array");
            }

            var length = e.GetArrayLength();
            return length <= max
                ? e.EnumerateArray()
                : throw new FormatException($"{_name}.{property} has {length} entries, more than {max}");
        }
    }
}
