using ExchangeGateway.Common.Errors;
using ExchangeGateway.Common.Results;
using Microsoft.Extensions.Logging.Abstractions;

namespace ExchangeGateway.SecurityServer.Registry;

/// <summary>
/// Holds the live local configuration and its file, <c>{DataDirectory}/serverconf.json</c>. Readers take
/// <see cref="Current"/>, an immutable snapshot, once per exchange; writers go through
/// <see cref="Update{T}"/>, which runs one at a time, writes the file atomically (temporary file, mode
/// 0600, rename) and only then publishes the new snapshot. So the file and the live snapshot change
/// together, and a failed write changes neither.
/// </summary>
/// <remarks>
/// Updates start from the live snapshot, so edits made to the file by hand while the server runs are
/// overwritten by the next update unless <see cref="Load"/> picked them up first.
/// </remarks>
public sealed partial class LocalConfigurationStore
{
    /// <summary>The file name inside the data directory.</summary>
    public const string FileName = "serverconf.json";

    private static readonly string MalformedCode = ErrorCode.Server(ErrorCatalog.MalformedServerConf).Value;

    private readonly Lock _gate = new();
    private readonly ILogger _log;
    private LocalConfiguration? _current;
    private long _version;

    /// <summary>Creates the store for <paramref name="dataDirectory"/>; nothing is read until <see cref="Load"/>.</summary>
    public LocalConfigurationStore(string dataDirectory, ILogger<LocalConfigurationStore>? logger = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataDirectory);
        FilePath = Path.GetFullPath(Path.Combine(dataDirectory, FileName));
        _log = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <summary>The full path of <c>serverconf.json</c>.</summary>
    public string FilePath { get; }

    /// <summary>The live snapshot; null until a configuration was loaded or created.</summary>
    public LocalConfiguration? Current => Volatile.Read(ref _current);

    /// <summary>Counts published snapshots: 0 before the first, then 1, 2, … Lets callers notice a change cheaply.</summary>
    public long Version => Interlocked.Read(ref _version);

    /// <summary>
    /// Reads the file strictly and, when valid, publishes it. On any failure (absent, unreadable, invalid)
    /// the live snapshot stays as it was and the result says why, naming the bad item.
    /// </summary>
    public ParseResult<LocalConfiguration> Load()
    {
        lock (_gate)
        {
            byte[] bytes;
            try
            {
                var info = new FileInfo(FilePath);
                if (!info.Exists)
                {
                    return ParseResult<LocalConfiguration>.Fail(MalformedCode, $"{FilePath} does not exist; run the init command or create it");
                }

                if (info.Length > LocalConfigurationSerializer.MaxBytes)
                {
                    return ParseResult<LocalConfiguration>.Fail(MalformedCode, $"{FilePath} is larger than {LocalConfigurationSerializer.MaxBytes} bytes");
                }

                bytes = File.ReadAllBytes(FilePath);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return ParseResult<LocalConfiguration>.Fail(MalformedCode, $"{FilePath} cannot be read: {ex.Message}");
            }

            var read = LocalConfigurationSerializer.Read(bytes);
            if (!read.Success)
            {
                LogLoadFailed(_log, FilePath, read.Message);
                return ParseResult<LocalConfiguration>.Fail(read.ErrorCode, $"{FilePath}: {read.Message}");
            }

            Publish(read.Value);
            LogLoaded(_log, FilePath, read.Value.Clients.Length, CountServices(read.Value));
            return read;
        }
    }

    /// <summary>
    /// Writes and publishes <paramref name="initial"/> when the file does not exist yet (the init command);
    /// false, changing nothing, when it does.
    /// </summary>
    public bool CreateIfAbsent(LocalConfiguration initial)
    {
        ArgumentNullException.ThrowIfNull(initial);
        lock (_gate)
        {
            if (File.Exists(FilePath))
            {
                return false;
            }

            AtomicFile.Write(FilePath, LocalConfigurationSerializer.Write(initial));
            Publish(initial);
            LogUpdated(_log, FilePath, initial.Clients.Length, CountServices(initial), Version);
            return true;
        }
    }

    /// <summary>
    /// Runs <paramref name="change"/> on the live snapshot, one update at a time. When it commits a new
    /// snapshot, that snapshot is written to the file atomically and then published; the function's
    /// result is returned either way. Throws <see cref="InvalidOperationException"/> before any
    /// configuration was loaded, and <see cref="IOException"/> or <see cref="UnauthorizedAccessException"/>
    /// when the file cannot be written (then nothing changed).
    /// </summary>
    public T Update<T>(Func<LocalConfiguration, LocalConfigurationChange<T>> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        lock (_gate)
        {
            var current = Current ?? throw new InvalidOperationException($"No local configuration is loaded; {FilePath} must exist first.");
            var outcome = change(current);
            if (outcome.Next is { } next && !ReferenceEquals(next, current))
            {
                AtomicFile.Write(FilePath, LocalConfigurationSerializer.Write(next));
                Publish(next);
                LogUpdated(_log, FilePath, next.Clients.Length, CountServices(next), Version);
            }

            return outcome.Result;
        }
    }

    private void Publish(LocalConfiguration configuration)
    {
        Volatile.Write(ref _current, configuration);
        Interlocked.Increment(ref _version);
    }

    private static int CountServices(LocalConfiguration configuration) => configuration.Clients.Sum(c => c.Services.Length);

    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Loaded local configuration {Path}: {Clients} clients, {Services} services")]
    private static partial void LogLoaded(ILogger logger, string path, int clients, int services);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Error, Message = "Local configuration {Path} was not loaded: {Reason}")]
    private static partial void LogLoadFailed(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Information, Message = "Wrote local configuration {Path}: {Clients} clients, {Services} services, version {Version}")]
    private static partial void LogUpdated(ILogger logger, string path, int clients, int services, long version);
}
