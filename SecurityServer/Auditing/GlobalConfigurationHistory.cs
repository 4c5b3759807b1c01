using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ExchangeGateway.Common.Results;
using ExchangeGateway.Config.Anchors;
using ExchangeGateway.Config.Model;
using ExchangeGateway.Config.Signing;
using ExchangeGateway.Config.Verification;
using ExchangeGateway.MessageLog.Evidence;
using ExchangeGateway.SecurityServer.Registry;

namespace ExchangeGateway.SecurityServer.Auditing;

/// <summary>
/// The verified global configurations this server used, kept so that evidence can carry "the trust material
/// of that time" years later: <c>{DataDirectory}/globalconf-history/</c> holds <c>{serial}.signed.json</c> (the
/// signed configuration, as downloaded), <c>anchor-{sha256}.json</c> (the anchor that verified it) and
/// <c>index.json</c> (the entries, oldest first).
/// </summary>
/// <remarks>
/// The Central Server re-signs its configuration every generation interval (a minute by default), so keeping
/// every serial would be half a million files a year. An entry is added only when the <b>trust material</b>
/// changes (<see cref="TrustDigest"/>: the instance, the approved CAs with their OCSP responders and subject
/// profiles, the approved TSAs, the OCSP freshness) or the anchor does; the configurations between two entries
/// carry the same trust material as the first. At most <see cref="MaxEntries"/> entries are kept, the oldest
/// removed first (with their files; an anchor file goes with the last entry using it). <see cref="InForceAt"/> returns the entry this server recorded last at or before a time,
/// verified again against its anchor. Files are written atomically with mode 0600; a failure to write is
/// logged and leaves the history as it was (the exchange never depends on it). Thread-safe.
/// </remarks>
public sealed partial class GlobalConfigurationHistory
{
    /// <summary>The directory inside the data directory.</summary>
    public const string DirectoryName = "globalconf-history";

    /// <summary>The most entries kept.</summary>
    public const int MaxEntries = 1000;

    private const string IndexFileName = "index.json";
    private const string IndexFormat = "xgw-globalconf-history/v1";
    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly ILogger<GlobalConfigurationHistory> _logger;
    private readonly ConfigurationVerifier _verifier = new();
    private readonly int _maxEntries;
    private List<GlobalConfigurationHistoryEntry>? _entries;

    /// <summary>The history of <paramref name="dataDirectory"/>; nothing is read until first used.</summary>
    /// <param name="dataDirectory">The server's data directory.</param>
    /// <param name="time">The clock that dates entries.</param>
    /// <param name="logger">Where write failures go.</param>
    /// <param name="maxEntries">The most entries kept (<see cref="MaxEntries"/>; smaller in tests).</param>
    public GlobalConfigurationHistory(string dataDirectory, TimeProvider time, ILogger<GlobalConfigurationHistory> logger, int maxEntries = MaxEntries)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataDirectory);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxEntries, 1);
        Directory = Path.GetFullPath(Path.Combine(dataDirectory, DirectoryName));
        _time = time;
        _logger = logger;
        _maxEntries = maxEntries;
    }

    /// <summary>The history directory.</summary>
    public string Directory { get; }

    /// <summary>The entries, oldest first.</summary>
    public IReadOnlyList<GlobalConfigurationHistoryEntry> Entries()
    {
        lock (_gate)
        {
            return [.. Load()];
        }
    }

    /// <summary>
    /// Records <paramref name="signed"/> (verified with <paramref name="anchor"/>) as in force from now, unless the
    /// newest entry has the same trust material and anchor or a newer serial. True when an entry was added.
    /// </summary>
    public bool Record(SignedConfiguration signed, GlobalConfiguration configuration, ConfigurationAnchor anchor)
    {
        ArgumentNullException.ThrowIfNull(signed);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(anchor);
        var anchorBytes = ConfigurationAnchorSerializer.Write(anchor);
        var entry = new GlobalConfigurationHistoryEntry(
            configuration.Serial,
            configuration.GeneratedAt,
            _time.GetUtcNow(),
            signed.ContentSha256Hex(),
            TrustDigest(configuration),
            ConfigurationAnchorSerializer.Sha256Hex(anchorBytes));
        lock (_gate)
        {
            var entries = Load();
            if (entries.Count > 0 && (entries[^1].Serial >= entry.Serial
                || (entries[^1].TrustSha256 == entry.TrustSha256 && entries[^1].AnchorSha256 == entry.AnchorSha256)))
            {
                return false;
            }

            try
            {
                AtomicFile.Write(AnchorPath(entry.AnchorSha256), anchorBytes);
                AtomicFile.Write(ConfigurationPath(entry.Serial), SignedConfigurationEnvelope.Write(signed));
                var next = new List<GlobalConfigurationHistoryEntry>(entries) { entry };
                var removed = next.Count > _maxEntries ? next.GetRange(0, next.Count - _maxEntries) : [];
                next.RemoveRange(0, removed.Count);
                AtomicFile.Write(Path.Combine(Directory, IndexFileName), WriteIndex(next));
                _entries = next;
                RemoveFiles(removed, next);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                LogNotRecorded(_logger, entry.Serial, ex.Message);
                return false;
            }

            LogRecorded(_logger, entry.Serial, entry.TrustSha256);
            return true;
        }
    }

    /// <summary>
    /// The configuration whose trust material was in force here at <paramref name="at"/>: the newest entry recorded
    /// at or before it, read back and verified against its anchor at its generation time. Null when the history
    /// holds nothing that old; a failure when the stored copy is unreadable or no longer verifies.
    /// </summary>
    public VerificationResult<HistoricalConfiguration>? InForceAt(DateTimeOffset at)
    {
        GlobalConfigurationHistoryEntry? entry;
        lock (_gate)
        {
            entry = Load().LastOrDefault(e => e.RecordedAt <= at);
        }

        if (entry is null)
        {
            return null;
        }

        byte[] envelopeBytes;
        byte[] anchorBytes;
        try
        {
            envelopeBytes = File.ReadAllBytes(ConfigurationPath(entry.Serial));
            anchorBytes = File.ReadAllBytes(AnchorPath(entry.AnchorSha256));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return VerificationResult<HistoricalConfiguration>.Fail(TrustFailure.Malformed, $"configuration serial {entry.Serial} of the history cannot be read: {ex.Message}");
        }

        var envelope = SignedConfigurationEnvelope.Read(envelopeBytes);
        var anchor = ConfigurationAnchorSerializer.Read(anchorBytes);
        if (!envelope.Success || !anchor.Success)
        {
            return VerificationResult<HistoricalConfiguration>.Fail(TrustFailure.Malformed, $"configuration serial {entry.Serial} of the history: {envelope.Message ?? anchor.Message}");
        }

        if (!string.Equals(ConfigurationAnchorSerializer.Sha256Hex(anchorBytes), entry.AnchorSha256, StringComparison.Ordinal)
            || !string.Equals(envelope.Value.ContentSha256Hex(), entry.ContentSha256, StringComparison.Ordinal))
        {
            return VerificationResult<HistoricalConfiguration>.Fail(TrustFailure.DigestMismatch, $"configuration serial {entry.Serial} of the history does not match its index entry");
        }

        var verified = _verifier.Verify(envelope.Value, anchor.Value, held: null, entry.GeneratedAt);
        return verified.IsValid
            ? VerificationResult<HistoricalConfiguration>.Ok(new HistoricalConfiguration(entry, envelope.Value, verified.Value!, anchorBytes))
            : VerificationResult<HistoricalConfiguration>.Fail(verified.Failure!.Value, $"configuration serial {entry.Serial} of the history: {verified.Message}");
    }

    /// <summary>The trust material in force at <paramref name="at"/> as evidence carries it (<see cref="InForceAt"/>, then <see cref="TrustOf(HistoricalConfiguration)"/>).</summary>
    public VerificationResult<EvidenceTrust>? TrustAt(DateTimeOffset at) => InForceAt(at) switch
    {
        null => null,
        { IsValid: true } found => VerificationResult<EvidenceTrust>.Ok(TrustOf(found.Value!)),
        { } failed => VerificationResult<EvidenceTrust>.Fail(failed.Failure!.Value, failed.Message!),
    };

    /// <summary>The evidence trust material of a configuration from the history.</summary>
    public static EvidenceTrust TrustOf(HistoricalConfiguration historical)
    {
        ArgumentNullException.ThrowIfNull(historical);
        return TrustOf(historical.Signed, historical.Configuration, historical.Anchor);
    }

    /// <summary>
    /// The evidence trust material of <paramref name="configuration"/> (whose signed form is <paramref name="signed"/>)
    /// and the anchor file <paramref name="anchor"/>: the signed content and signature, the anchor, and the approved
    /// CA and TSA certificates in the configuration's order.
    /// </summary>
    public static EvidenceTrust TrustOf(SignedConfiguration signed, GlobalConfiguration configuration, ReadOnlyMemory<byte> anchor)
    {
        ArgumentNullException.ThrowIfNull(signed);
        ArgumentNullException.ThrowIfNull(configuration);
        return new EvidenceTrust(
            signed.Content,
            signed.Signature,
            anchor,
            [.. configuration.ApprovedCas.Select(c => c.Certificate)],
            [.. configuration.ApprovedTsas.Select(t => t.Certificate)]);
    }

    /// <summary>
    /// SHA-256 (lower-case hex) over the configuration's trust material, each item length-prefixed in order: the
    /// instance; per approved CA its name, certificate, subject profile and OCSP responders (URL, certificate); per
    /// approved TSA its name, URL and certificate; the OCSP freshness. Members, servers and the serial are not in it.
    /// </summary>
    public static string TrustDigest(GlobalConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Add(hash, "xgw-globalconf-trust/v1");
        Add(hash, configuration.InstanceId);
        AddCount(hash, configuration.ApprovedCas.Count);
        foreach (var ca in configuration.ApprovedCas)
        {
            Add(hash, ca.Name);
            Add(hash, ca.Certificate.Span);
            Add(hash, ca.Profile.MemberClassAttribute);
            Add(hash, ca.Profile.MemberCodeAttribute);
            Add(hash, ca.Profile.InstanceAttribute ?? string.Empty);
            AddCount(hash, ca.OcspResponders.Count);
            foreach (var responder in ca.OcspResponders)
            {
                Add(hash, responder.Url);
                Add(hash, responder.Certificate.Span);
            }
        }

        AddCount(hash, configuration.ApprovedTsas.Count);
        foreach (var tsa in configuration.ApprovedTsas)
        {
            Add(hash, tsa.Name);
            Add(hash, tsa.Url);
            Add(hash, tsa.Certificate.Span);
        }

        Add(hash, configuration.Settings.OcspFreshness.Ticks.ToString(CultureInfo.InvariantCulture));
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static void Add(IncrementalHash hash, string text) => Add(hash, Encoding.UTF8.GetBytes(text));

    private static void Add(IncrementalHash hash, ReadOnlySpan<byte> bytes)
    {
        AddCount(hash, bytes.Length);
        hash.AppendData(bytes);
    }

    private static void AddCount(IncrementalHash hash, int count)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, count);
        hash.AppendData(length);
    }

    private string ConfigurationPath(long serial) => Path.Combine(Directory, serial.ToString(CultureInfo.InvariantCulture) + ".signed.json");

    private string AnchorPath(string sha256) => Path.Combine(Directory, "anchor-" + sha256 + ".json");

    private List<GlobalConfigurationHistoryEntry> Load()
    {
        if (_entries is not null)
        {
            return _entries;
        }

        var path = Path.Combine(Directory, IndexFileName);
        try
        {
            _entries = File.Exists(path) ? ReadIndex(File.ReadAllBytes(path)) : [];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException or FormatException or InvalidOperationException or KeyNotFoundException)
        {
            // The files stay; the index starts again (entries recorded from now on).
            LogIndexUnreadable(_logger, path, ex.Message);
            _entries = [];
        }

        return _entries;
    }

    private void RemoveFiles(List<GlobalConfigurationHistoryEntry> removed, List<GlobalConfigurationHistoryEntry> kept)
    {
        foreach (var old in removed)
        {
            File.Delete(ConfigurationPath(old.Serial));
            if (!kept.Any(e => e.AnchorSha256 == old.AnchorSha256))
            {
                File.Delete(AnchorPath(old.AnchorSha256));
            }
        }
    }

    private static byte[] WriteIndex(List<GlobalConfigurationHistoryEntry> entries)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("format", IndexFormat);
            w.WriteStartArray("entries");
            foreach (var e in entries)
            {
                w.WriteStartObject();
                w.WriteNumber("serial", e.Serial);
                w.WriteString("generatedAt", e.GeneratedAt.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture));
                w.WriteString("recordedAt", e.RecordedAt.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture));
                w.WriteString("contentSha256", e.ContentSha256);
                w.WriteString("trustSha256", e.TrustSha256);
                w.WriteString("anchorSha256", e.AnchorSha256);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static List<GlobalConfigurationHistoryEntry> ReadIndex(byte[] bytes)
    {
        using var document = JsonDocument.Parse(bytes);
        var root = document.RootElement;
        if (root.GetProperty("format").GetString() != IndexFormat)
        {
            throw new FormatException($"the index is not {IndexFormat}");
        }

        var list = new List<GlobalConfigurationHistoryEntry>();
        foreach (var e in root.GetProperty("entries").EnumerateArray())
        {
            list.Add(new GlobalConfigurationHistoryEntry(
                e.GetProperty("serial").GetInt64(),
                Time(e.GetProperty("generatedAt").GetString()),
                Time(e.GetProperty("recordedAt").GetString()),
                Hex(e.GetProperty("contentSha256").GetString()),
                Hex(e.GetProperty("trustSha256").GetString()),
                Hex(e.GetProperty("anchorSha256").GetString())));
        }

        return list;
    }

    private static DateTimeOffset Time(string? text) =>
        new(DateTime.ParseExact(text ?? string.Empty, TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal), TimeSpan.Zero);

    // Names of files are built from these: only 64 lower-case hex digits pass.
    private static string Hex(string? text) =>
        text is { Length: 64 } && text.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f')) ? text : throw new FormatException("not a SHA-256 in lower-case hex");

    [LoggerMessage(EventId = 4701, Level = LogLevel.Information, Message = "Global configuration serial {Serial} recorded in the history (trust material {TrustSha256})")]
    private static partial void LogRecorded(ILogger logger, long serial, string trustSha256);

    [LoggerMessage(EventId = 4702, Level = LogLevel.Warning, Message = "Global configuration serial {Serial} could not be recorded in the history: {Problem}")]
    private static partial void LogNotRecorded(ILogger logger, long serial, string problem);

    [LoggerMessage(EventId = 4703, Level = LogLevel.Warning, Message = "The configuration history index {Path} cannot be read ({Problem}); it starts again")]
    private static partial void LogIndexUnreadable(ILogger logger, string path, string problem);
}
