using System.Formats.Tar;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using ExchangeGateway.Config.Model;
using ExchangeGateway.SecurityServer.Registry;
using ExchangeGateway.Signer.Keys;
using ExchangeGateway.Signer.Tokens;
using Microsoft.Extensions.Logging.Abstractions;

namespace ExchangeGateway.SecurityServer.Backup;

/// <summary>
/// Signed backups of a security server (ISSUE6-CONTRACTS.md "Backup"): a tar
/// <c>xgw-backup-{serverCode}-{yyyyMMddTHHmmssZ}.tar</c> in <c>{DataDirectory}/backups/</c> (mode 0700) with
/// <c>manifest.json</c> (every file with size and SHA-256), <c>manifest.json.p7s</c> (detached CMS by the
/// owner's active registered signing certificate, made by the token) and <c>files/…</c>: configuration,
/// keys (still encrypted under the PIN), anchor, descriptions, time-stamping selection and admin API keys.
/// The message log is not included. A restore verifies everything before it writes anything; see
/// <see cref="Restore"/>. One operation at a time.
/// </summary>
public sealed partial class BackupService
{
    /// <summary>The folder inside the data directory.</summary>
    public const string FolderName = "backups";

    private const string ManifestEntry = "manifest.json";
    private const string SignatureEntry = "manifest.json.p7s";
    private const string FilesPrefix = "files/";
    private const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly BackupOptions _options;
    private readonly LocalConfigurationStore _store;
    private readonly SoftwareToken _token;
    private readonly Func<GlobalConfiguration?> _configuration;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly BackupLayout _layout;
    private readonly Lock _gate = new();

    /// <summary>Creates the service.</summary>
    /// <param name="options">The data directory, the anchor path and the limits.</param>
    /// <param name="store">The local configuration (reloaded after a restore).</param>
    /// <param name="token">The token: signs backups, and is reloaded (logged out) after a restore.</param>
    /// <param name="configuration">The current valid global configuration, or null; its approved CAs decide whose signature a restore accepts.</param>
    /// <param name="time">The clock.</param>
    /// <param name="logger">Where the service logs.</param>
    public BackupService(BackupOptions options, LocalConfigurationStore store, SoftwareToken token, Func<GlobalConfiguration?> configuration, TimeProvider time, ILogger<BackupService>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(time);
        _options = options;
        _store = store;
        _token = token;
        _configuration = configuration;
        _time = time;
        _log = logger ?? (ILogger)NullLogger.Instance;
        _layout = new BackupLayout(Path.GetDirectoryName(store.FilePath)!, token.Directory, options.AnchorPath);
        Directory = Path.GetFullPath(Path.Combine(options.DataDirectory, FolderName));
    }

    /// <summary>
    /// Raised after a successful restore (the local configuration and the token are reloaded by then). Stores
    /// that keep a restored file in memory (e.g. the time-stamping selection) subscribe to re-read it.
    /// </summary>
    public event EventHandler<RestoreInfo>? Restored;

    /// <summary>The backups folder.</summary>
    public string Directory { get; }

    /// <summary>
    /// Makes a backup now: needs a local configuration, a logged-in token and an active registered signing
    /// certificate of the owner. Returns its name, size and SHA-256.
    /// </summary>
    public BackupResult<BackupInfo> Create()
    {
        lock (_gate)
        {
            if (_store.Current is not { } local)
            {
                return BackupResult<BackupInfo>.Fail(BackupErrors.NotInitialised, "The server has no local configuration yet; there is nothing to back up.");
            }

            if (_token.Status != TokenStatus.LoggedIn)
            {
                return BackupResult<BackupInfo>.Fail(BackupErrors.TokenNotActive, "The backup is signed with the owner's signing key: log in to the token first.");
            }

            var owner = local.ServerId.Owner;
            var certificate = SigningCertificate(owner);
            if (certificate is null)
            {
                return BackupResult<BackupInfo>.Fail(BackupErrors.NoSigningCertificate, $"The token has no active registered signing certificate of the owner {owner}.");
            }

            var now = TruncateToSeconds(_time.GetUtcNow());
            List<(BackupFileEntry Entry, byte[] Bytes)> files;
            try
            {
                files = CollectFiles();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException)
            {
                BackupLog.Failed(_log, ex, "create");
                return BackupResult<BackupInfo>.Fail(BackupErrors.WriteFailed, "The files to back up could not be read: " + ex.Message);
            }

            var manifest = new BackupManifest(local.ServerId, owner.Instance, now, [.. files.Select(f => f.Entry)]).Write();
            var signature = _token.SignCms(certificate.Id, manifest, now);
            if (!signature.Success)
            {
                return BackupResult<BackupInfo>.Fail(
                    signature.Code == TokenErrors.NotActive ? BackupErrors.TokenNotActive : BackupErrors.NoSigningCertificate,
                    "The token could not sign the backup: " + signature.Message);
            }

            try
            {
                var info = WriteArchive(local.ServerId.ServerCode, now, manifest, signature.Value, files);
                BackupLog.Created(_log, info.Name, info.Size, files.Count);
                return BackupResult<BackupInfo>.Ok(info);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                BackupLog.Failed(_log, ex, "create");
                return BackupResult<BackupInfo>.Fail(BackupErrors.WriteFailed, "The backup could not be written; nothing was kept.");
            }
        }
    }

    /// <summary>The backups in the folder, newest first.</summary>
    public IReadOnlyList<BackupInfo> List()
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            return [];
        }

        var list = new List<BackupInfo>();
        foreach (var path in System.IO.Directory.EnumerateFiles(Directory, "*.tar"))
        {
            var name = Path.GetFileName(path);
            if (ParseName(name) is not { } createdAt)
            {
                continue;
            }

            try
            {
                using var stream = File.OpenRead(path);
                list.Add(new BackupInfo(name, stream.Length, Convert.ToHexStringLower(SHA256.HashData(stream)), createdAt));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Deleted or being written meanwhile: not listed.
            }
        }

        return [.. list.OrderByDescending(b => b.CreatedAt).ThenByDescending(b => b.Name, StringComparer.Ordinal)];
    }

    /// <summary>The full path of the backup <paramref name="name"/>; <see cref="BackupErrors.NotFound"/> for a name that is not a backup's or does not exist.</summary>
    public BackupResult<string> Find(string name)
    {
        var path = PathOf(name);
        return path is not null && File.Exists(path)
            ? BackupResult<string>.Ok(path)
            : BackupResult<string>.Fail(BackupErrors.NotFound, "No backup has this name.");
    }

    /// <summary>Deletes the backup <paramref name="name"/>.</summary>
    public BackupResult<string> Delete(string name)
    {
        lock (_gate)
        {
            var found = Find(name);
            if (!found.Success)
            {
                return found;
            }

            try
            {
                File.Delete(found.Value);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                BackupLog.Failed(_log, ex, "delete");
                return BackupResult<string>.Fail(BackupErrors.WriteFailed, "The backup could not be deleted.");
            }

            BackupLog.Deleted(_log, name);
            return BackupResult<string>.Ok(name);
        }
    }

    /// <summary>The backup file name pattern: <c>xgw-backup-{serverCode}-{yyyyMMddTHHmmssZ}[-n].tar</c>.</summary>
    [GeneratedRegex(@"^xgw-backup-[A-Za-z0-9._-]{1,100}-(?<time>\d{8}T\d{6}Z)(-\d{1,3})?\.tar$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex NamePattern();

    private static DateTimeOffset? ParseName(string name)
    {
        var match = NamePattern().Match(name);
        return match.Success && DateTimeOffset.TryParseExact(match.Groups["time"].Value, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time
            : null;
    }

    private string? PathOf(string name) => ParseName(name) is null ? null : Path.Combine(Directory, name);

    private CertificateInfo? SigningCertificate(Common.Identifiers.MemberId owner) =>
        _token.Describe().Keys
            .Where(k => k.Usage == KeyPurpose.Signing)
            .SelectMany(k => k.Certificates)
            .Where(c => c.Active && c.State == CertificateState.Registered && c.Member == owner && c.NotAfter > _time.GetUtcNow())
            .OrderByDescending(c => c.NotBefore)
            .FirstOrDefault();

    /// <summary>Reads every file to back up once: the same bytes are hashed for the manifest and written to the archive.</summary>
    private List<(BackupFileEntry Entry, byte[] Bytes)> CollectFiles()
    {
        var files = new List<(BackupFileEntry, byte[])>();
        long total = 0;
        foreach (var item in _layout.Items)
        {
            IEnumerable<(string BackupPath, string FullPath)> sources;
            if (item.IsDirectory)
            {
                if (!System.IO.Directory.Exists(item.FullPath))
                {
                    continue;
                }

                sources = System.IO.Directory.EnumerateFiles(item.FullPath, "*", SearchOption.AllDirectories)
                    .Select(f => (item.Name + "/" + Path.GetRelativePath(item.FullPath, f).Replace(Path.DirectorySeparatorChar, '/'), f))
                    .Where(f => !f.Item1.Split('/').Any(s => s.StartsWith('.'))) // temporary files of atomic writes
                    .OrderBy(f => f.Item1, StringComparer.Ordinal)
                    .ToList();
            }
            else
            {
                if (!File.Exists(item.FullPath))
                {
                    if (item.Name is BackupLayout.ServerConf or BackupLayout.Anchor)
                    {
                        throw new IOException($"{item.FullPath} does not exist.");
                    }

                    continue;
                }

                sources = [(item.Name, item.FullPath)];
            }

            foreach (var (backupPath, fullPath) in sources)
            {
                if (BackupLayout.CheckPath(backupPath) is { } problem)
                {
                    throw new InvalidOperationException($"{fullPath} cannot be backed up: {problem}");
                }

                var bytes = File.ReadAllBytes(fullPath);
                total += bytes.Length;
                if (total > _options.MaxBackupBytes || files.Count >= _options.MaxEntries)
                {
                    throw new InvalidOperationException($"The files to back up exceed {_options.MaxBackupBytes} bytes or {_options.MaxEntries} files.");
                }

                files.Add((new BackupFileEntry(backupPath, bytes.Length, Convert.ToHexStringLower(SHA256.HashData(bytes))), bytes));
            }
        }

        return files;
    }

    private BackupInfo WriteArchive(string serverCode, DateTimeOffset now, byte[] manifest, byte[] signature, List<(BackupFileEntry Entry, byte[] Bytes)> files)
    {
        CreateOwnerOnlyDirectory(Directory);
        var code = new string([.. serverCode.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '_')]);
        if (code.Length > 100)
        {
            code = code[..100];
        }

        var stem = $"xgw-backup-{code}-{now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture)}";
        var name = stem + ".tar";
        for (var n = 2; File.Exists(Path.Combine(Directory, name)); n++)
        {
            if (n > 999)
            {
                throw new IOException("Too many backups in the same second.");
            }

            name = string.Create(CultureInfo.InvariantCulture, $"{stem}-{n}.tar");
        }

        var final = Path.Combine(Directory, name);
        var temp = Path.Combine(Directory, $".{name}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, NewFileOptions()))
            {
                using (var tar = new TarWriter(stream, TarEntryFormat.Pax, leaveOpen: true))
                {
                    AddEntry(tar, ManifestEntry, manifest, now);
                    AddEntry(tar, SignatureEntry, signature, now);
                    foreach (var (entry, bytes) in files)
                    {
                        AddEntry(tar, FilesPrefix + entry.Path, bytes, now);
                    }
                }

                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, final);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }

        using var written = File.OpenRead(final);
        return new BackupInfo(name, written.Length, Convert.ToHexStringLower(SHA256.HashData(written)), now);
    }

    private static void AddEntry(TarWriter tar, string name, byte[] bytes, DateTimeOffset time)
    {
        using var data = new MemoryStream(bytes, writable: false);
        tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name)
        {
            DataStream = data,
            Mode = OwnerReadWrite,
            ModificationTime = time,
        });
    }

    private static FileStreamOptions NewFileOptions()
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.ReadWrite, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerReadWrite;
        }

        return options;
    }

    private static void CreateOwnerOnlyDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            System.IO.Directory.CreateDirectory(path);
        }
        else
        {
            System.IO.Directory.CreateDirectory(path, OwnerOnlyDirectory);
        }
    }

    private static DateTimeOffset TruncateToSeconds(DateTimeOffset time) =>
        new(time.UtcTicks - (time.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);

    private static void TryDelete(string path)
    {
        try
        {
            if (File.Exists(path))
            {
                File.Delete(path);
            }
            else if (System.IO.Directory.Exists(path))
            {
                System.IO.Directory.Delete(path, recursive: true);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Left-over temporary data is harmless; the original outcome matters.
        }
    }
}
