using System.Formats.Tar;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ExchangeGateway.Common.Crypto.Cms;
using ExchangeGateway.Common.Crypto.X509;
using ExchangeGateway.Config.Anchors;
using ExchangeGateway.SecurityServer.Registry;

namespace ExchangeGateway.SecurityServer.Backup;

/// <summary>Restore: verify everything, stage, then swap into place.</summary>
public sealed partial class BackupService
{
    /// <summary>Streams a backup from <paramref name="body"/> (at most <see cref="BackupOptions.MaxBackupBytes"/>) to a temporary file and restores it.</summary>
    public async Task<BackupResult<RestoreInfo>> RestoreAsync(Stream body, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        var upload = Path.Combine(_options.DataDirectory, $".restore-upload-{Guid.NewGuid():N}.tmp");
        try
        {
            var stream = new FileStream(upload, NewFileOptions());
            await using (stream.ConfigureAwait(false))
            {
                var buffer = new byte[81920];
                long total = 0;
                int read;
                while ((read = await body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    total += read;
                    if (total > _options.MaxBackupBytes)
                    {
                        return Refuse(BackupErrors.TooLarge, $"The backup is larger than {_options.MaxBackupBytes} bytes.");
                    }

                    await stream.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                }
            }

            return Restore(upload);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            BackupLog.Failed(_log, ex, "restore upload");
            return BackupResult<RestoreInfo>.Fail(BackupErrors.WriteFailed, "The backup could not be received; nothing changed.");
        }
        finally
        {
            TryDelete(upload);
        }
    }

    /// <summary>
    /// Restores the backup file <paramref name="backupFile"/>. Before anything is written it checks, in
    /// this order: the tar and its manifest (<see cref="BackupErrors.Malformed"/>); the instance against this
    /// server's anchor (<see cref="BackupErrors.WrongInstance"/>); the manifest's signature, whose signer
    /// must chain to an approved CA of the current global configuration and name the backed-up server's
    /// owner under that CA's profile (<see cref="BackupErrors.InvalidSignature"/>); every file's presence,
    /// size and SHA-256 (<see cref="BackupErrors.Tampered"/>, naming the first bad file). The files are
    /// then written to a staging folder and moved into place; the local configuration is reloaded and the
    /// token re-read, logged out: log in with the PIN the backed-up token had.
    /// </summary>
    public BackupResult<RestoreInfo> Restore(string backupFile)
    {
        ArgumentException.ThrowIfNullOrEmpty(backupFile);
        BackupResult<RestoreInfo> result;
        lock (_gate)
        {
            result = RestoreLocked(backupFile);
        }

        // Outside the lock: a subscriber may call back into the service.
        if (result.Success)
        {
            Restored?.Invoke(this, result.Value);
        }

        return result;
    }

    private BackupResult<RestoreInfo> RestoreLocked(string backupFile)
    {
        var index = ReadIndex(backupFile);
        if (index.Failure is { } indexFailure)
        {
            return Refuse(indexFailure.Code, indexFailure.Message);
        }

        var read = BackupManifest.Read(index.Manifest);
        if (!read.Success)
        {
            return Refuse(read.Code, read.Message);
        }

        var manifest = read.Value;
        if (CheckInstance(manifest) is { } instanceFailure)
        {
            return Refuse(instanceFailure.Code, instanceFailure.Message);
        }

        if (VerifySignature(manifest, index.Manifest, index.Signature) is { } signatureFailure)
        {
            return Refuse(signatureFailure.Code, signatureFailure.Message);
        }

        var listed = manifest.Files.ToDictionary(f => f.Path, StringComparer.Ordinal);
        foreach (var path in index.Files)
        {
            if (!listed.ContainsKey(path))
            {
                return Refuse(BackupErrors.Tampered, $"files/{path} is not in the signed manifest.");
            }
        }

        var present = index.Files.ToHashSet(StringComparer.Ordinal);
        foreach (var file in manifest.Files)
        {
            if (!present.Contains(file.Path))
            {
                return Refuse(BackupErrors.Tampered, $"files/{file.Path} is in the manifest but missing from the backup.");
            }
        }

        var staging = Path.Combine(_options.DataDirectory, $".restore-{Guid.NewGuid():N}");
        try
        {
            var staged = Extract(backupFile, staging, listed);
            if (staged is { } extractFailure)
            {
                return Refuse(extractFailure.Code, extractFailure.Message);
            }

            if (CheckContent(manifest, staging) is { } contentFailure)
            {
                return Refuse(contentFailure.Code, contentFailure.Message);
            }

            if (Swap(manifest, staging) is { } swapFailure)
            {
                return BackupResult<RestoreInfo>.Fail(swapFailure.Code, swapFailure.Message);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            BackupLog.Failed(_log, ex, "restore");
            return BackupResult<RestoreInfo>.Fail(BackupErrors.WriteFailed, "The backup could not be staged; nothing changed.");
        }
        finally
        {
            TryDelete(staging);
        }

        var loaded = _store.Load();
        if (!loaded.Success)
        {
            BackupLog.ReloadFailed(_log, loaded.Message);
        }

        _token.Reload();
        BackupLog.Restored(_log, manifest.ServerId.ToString(), manifest.CreatedAt, manifest.Files.Count);
        return BackupResult<RestoreInfo>.Ok(new RestoreInfo(manifest.ServerId, [.. manifest.Files.Select(f => f.Path)]));
    }

    private BackupResult<RestoreInfo> Refuse(string code, string message)
    {
        BackupLog.RestoreRefused(_log, code, message);
        return BackupResult<RestoreInfo>.Fail(code, message);
    }

    /// <summary>First pass: the manifest and signature bytes, and the file entries in order; refuses anything that is not a plain file of the layout.</summary>
    private Index ReadIndex(string backupFile)
    {
        byte[]? manifest = null;
        byte[]? signature = null;
        var files = new List<string>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            using var stream = File.OpenRead(backupFile);
            using var reader = new TarReader(stream);
            var count = 0;
            while (reader.GetNextEntry() is { } entry)
            {
                if (++count > _options.MaxEntries)
                {
                    return Index.Fail(BackupErrors.Malformed, $"The backup has more than {_options.MaxEntries} entries.");
                }

                if (entry.EntryType == TarEntryType.Directory)
                {
                    continue;
                }

                var name = entry.Name;
                if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile))
                {
                    return Index.Fail(BackupErrors.Malformed, $"The entry '{Printable(name)}' is not a plain file ({entry.EntryType}).");
                }

                if (!names.Add(name))
                {
                    return Index.Fail(BackupErrors.Malformed, $"The entry '{Printable(name)}' appears twice.");
                }

                switch (name)
                {
                    case ManifestEntry:
                        manifest = ReadSmall(entry);
                        break;
                    case SignatureEntry:
                        signature = ReadSmall(entry);
                        break;
                    default:
                        if (!name.StartsWith(FilesPrefix, StringComparison.Ordinal))
                        {
                            return Index.Fail(BackupErrors.Tampered, $"'{Printable(name)}' does not belong in a backup.");
                        }

                        var path = name[FilesPrefix.Length..];
                        if (BackupLayout.CheckPath(path) is { } problem)
                        {
                            return Index.Fail(BackupErrors.Malformed, $"The entry files/…: {problem}.");
                        }

                        files.Add(path);
                        break;
                }
            }
        }
        catch (Exception ex) when (ex is InvalidDataException or FormatException or EndOfStreamException or ArgumentException)
        {
            return Index.Fail(BackupErrors.Malformed, "The file is not a readable tar archive.");
        }

        if (manifest is null)
        {
            return Index.Fail(BackupErrors.Malformed, "The backup has no manifest.json.");
        }

        return signature is null
            ? Index.Fail(BackupErrors.InvalidSignature, "The backup has no manifest.json.p7s signature.")
            : new Index(manifest, signature, files, null);
    }

    private static byte[] ReadSmall(TarEntry entry)
    {
        if (entry.Length > BackupManifest.MaxBytes || entry.DataStream is null)
        {
            throw new InvalidDataException("A manifest entry is too large or empty.");
        }

        using var copy = new MemoryStream();
        entry.DataStream.CopyTo(copy);
        return copy.ToArray();
    }

    private Failure? CheckInstance(BackupManifest manifest)
    {
        ConfigurationAnchor? anchor = null;
        try
        {
            var info = new FileInfo(_options.AnchorPath);
            if (info.Exists && info.Length <= ConfigurationAnchorSerializer.MaxBytes)
            {
                var parsed = ConfigurationAnchorSerializer.Read(File.ReadAllBytes(_options.AnchorPath));
                anchor = parsed.Success ? parsed.Value : null;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            anchor = null;
        }

        if (anchor is null)
        {
            return new Failure(BackupErrors.NoGlobalConfiguration, "This server's anchor cannot be read, so the backup's instance cannot be checked.");
        }

        return anchor.InstanceId == manifest.Instance
            ? null
            : new Failure(BackupErrors.WrongInstance, $"The backup is of instance {manifest.Instance}; this server's anchor is of {anchor.InstanceId}.");
    }

    private Failure? VerifySignature(BackupManifest manifest, byte[] manifestBytes, byte[] signature)
    {
        var configuration = _configuration();
        if (configuration is null)
        {
            return new Failure(BackupErrors.NoGlobalConfiguration, "No valid global configuration is at hand to check the backup's signer against; try again when the server has downloaded one.");
        }

        if (configuration.ApprovedCas.Count == 0)
        {
            return new Failure(BackupErrors.InvalidSignature, "The global configuration approves no CA; no signature can be trusted.");
        }

        var anchors = configuration.ApprovedCas.Select(ca => ca.LoadCertificate()).ToList();
        try
        {
            var verifier = new CmsSignatureVerifier(new CertificateValidator(anchors));
            var verified = verifier.Verify(signature, manifestBytes, _time.GetUtcNow(), CertificatePurpose.Signing);
            if (!verified.IsValid)
            {
                return new Failure(BackupErrors.InvalidSignature, $"The manifest's signature does not verify with a certificate of an approved CA: {verified.Message}");
            }

            var chain = verified.Value!.Chain;
            var ca = chain.Count == 0 ? null : configuration.ApprovedCas.FirstOrDefault(c => c.Certificate.Span.SequenceEqual(chain[^1].RawDataMemory.Span));
            if (ca is null)
            {
                return new Failure(BackupErrors.InvalidSignature, "The signer's chain does not end at an approved CA.");
            }

            var member = ca.Profile.TryGetMember(verified.Value.Signer.SubjectName, configuration.InstanceId);
            return member.Success && member.Value == manifest.ServerId.Owner
                ? null
                : new Failure(BackupErrors.InvalidSignature, $"The backup is not signed by {manifest.ServerId.Owner}, the owner of {manifest.ServerId}.");
        }
        finally
        {
            foreach (var anchor in anchors)
            {
                anchor.Dispose();
            }
        }
    }

    /// <summary>Second pass: writes each file under <paramref name="staging"/>, hashing as it goes; the first file that differs from the manifest refuses the restore.</summary>
    private Failure? Extract(string backupFile, string staging, Dictionary<string, BackupFileEntry> listed)
    {
        CreateOwnerOnlyDirectory(staging);
        using var stream = File.OpenRead(backupFile);
        using var reader = new TarReader(stream);
        var buffer = new byte[81920];
        while (reader.GetNextEntry() is { } entry)
        {
            if (!entry.Name.StartsWith(FilesPrefix, StringComparison.Ordinal) || entry.EntryType == TarEntryType.Directory)
            {
                continue;
            }

            var path = entry.Name[FilesPrefix.Length..];
            var expected = listed[path];
            if (entry.Length != expected.Size)
            {
                return new Failure(BackupErrors.Tampered, $"files/{path} has {entry.Length} bytes; the manifest says {expected.Size}.");
            }

            var target = Path.Combine(staging, path.Replace('/', Path.DirectorySeparatorChar));
            CreateOwnerOnlyDirectory(Path.GetDirectoryName(target)!);
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            using (var output = new FileStream(target, NewFileOptions()))
            {
                if (entry.DataStream is { } data)
                {
                    int read;
                    while ((read = data.Read(buffer)) > 0)
                    {
                        hash.AppendData(buffer, 0, read);
                        output.Write(buffer, 0, read);
                    }
                }

                output.Flush(flushToDisk: true);
            }

            if (!string.Equals(Convert.ToHexStringLower(hash.GetHashAndReset()), expected.Sha256, StringComparison.Ordinal))
            {
                return new Failure(BackupErrors.Tampered, $"files/{path} does not match its SHA-256 in the manifest.");
            }
        }

        return null;
    }

    /// <summary>The signed files must still make sense here: the configuration names the backed-up server, the anchor the same instance.</summary>
    private static Failure? CheckContent(BackupManifest manifest, string staging)
    {
        var serverconf = LocalConfigurationSerializer.Read(File.ReadAllBytes(Path.Combine(staging, BackupLayout.ServerConf)));
        if (!serverconf.Success)
        {
            return new Failure(BackupErrors.Malformed, $"The backed-up {BackupLayout.ServerConf} is invalid: {serverconf.Message}");
        }

        if (serverconf.Value.ServerId != manifest.ServerId)
        {
            return new Failure(BackupErrors.Malformed, $"The backed-up {BackupLayout.ServerConf} is of {serverconf.Value.ServerId}, the manifest of {manifest.ServerId}.");
        }

        var anchorPath = Path.Combine(staging, BackupLayout.Anchor);
        if (File.Exists(anchorPath))
        {
            var anchor = ConfigurationAnchorSerializer.Read(File.ReadAllBytes(anchorPath));
            if (!anchor.Success)
            {
                return new Failure(BackupErrors.Malformed, $"The backed-up anchor is invalid: {anchor.Message}");
            }

            if (anchor.Value.InstanceId != manifest.Instance)
            {
                return new Failure(BackupErrors.WrongInstance, $"The backed-up anchor is of instance {anchor.Value.InstanceId}, the manifest of {manifest.Instance}.");
            }
        }

        return null;
    }

    /// <summary>
    /// Moves each current part aside and the staged one into its place; on any failure puts back what was
    /// moved. A part the backup does not hold is removed (the server becomes what was backed up). The anchor
    /// may live outside the data directory: it is rewritten atomically, and only when its bytes differ.
    /// </summary>
    private Failure? Swap(BackupManifest manifest, string staging)
    {
        var aside = Path.Combine(_options.DataDirectory, $".restore-old-{Guid.NewGuid():N}");
        CreateOwnerOnlyDirectory(aside);
        var done = new List<(BackupLayout.Item Item, string Old, bool HadOld, bool PutNew)>();
        byte[]? oldAnchor = null;
        var anchorItem = _layout.Items.Single(i => i.Name == BackupLayout.Anchor);
        try
        {
            foreach (var item in _layout.Items.Where(i => i.Name != BackupLayout.Anchor))
            {
                var staged = Path.Combine(staging, item.Name);
                var inBackup = manifest.Files.Any(f => f.Path == item.Name || f.Path.StartsWith(item.Name + "/", StringComparison.Ordinal));
                var old = Path.Combine(aside, item.Name);
                var hadOld = item.IsDirectory ? System.IO.Directory.Exists(item.FullPath) : File.Exists(item.FullPath);
                if (hadOld)
                {
                    Move(item.FullPath, old, item.IsDirectory);
                }

                done.Add((item, old, hadOld, false));
                if (inBackup)
                {
                    Move(staged, item.FullPath, item.IsDirectory);
                    done[^1] = (item, old, hadOld, true);
                }
            }

            var stagedAnchor = Path.Combine(staging, BackupLayout.Anchor);
            if (File.Exists(stagedAnchor))
            {
                var bytes = File.ReadAllBytes(stagedAnchor);
                var current = File.ReadAllBytes(anchorItem.FullPath);
                if (!bytes.AsSpan().SequenceEqual(current))
                {
                    oldAnchor = current;
                    AtomicFile.Write(anchorItem.FullPath, bytes);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            BackupLog.Failed(_log, ex, "restore");
            for (var i = done.Count - 1; i >= 0; i--)
            {
                var (item, old, hadOld, putNew) = done[i];
                if (putNew)
                {
                    TryDelete(item.FullPath);
                }

                if (hadOld)
                {
                    Move(old, item.FullPath, item.IsDirectory);
                }
            }

            if (oldAnchor is not null)
            {
                AtomicFile.Write(anchorItem.FullPath, oldAnchor);
            }

            TryDelete(aside);
            return new Failure(BackupErrors.WriteFailed, "The restored files could not be moved into place; the previous ones were put back.");
        }

        TryDelete(aside);
        return null;
    }

    private static void Move(string from, string to, bool directory)
    {
        if (directory)
        {
            System.IO.Directory.Move(from, to);
        }
        else
        {
            File.Move(from, to, overwrite: false);
        }
    }

    private static string Printable(string text) => text.Length > 80 || text.Any(char.IsControl) ? text[..Math.Min(text.Length, 80)].Replace('\n', '?') + "…" : text;

    private sealed record Failure(string Code, string Message);

    private sealed record Index(byte[] Manifest, byte[] Signature, List<string> Files, Failure? Failure)
    {
        public static Index Fail(string code, string message) => new([], [], [], new Failure(code, message));
    }
}
