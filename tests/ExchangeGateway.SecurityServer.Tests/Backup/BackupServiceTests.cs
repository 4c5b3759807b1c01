using System.Text;
using ExchangeGateway.Common.Crypto.Cms;
using ExchangeGateway.Common.Crypto.X509;
using ExchangeGateway.Config.Model;
using ExchangeGateway.SecurityServer.Backup;
using ExchangeGateway.Signer.Keys;
using ExchangeGateway.Signer.Tokens;
using ExchangeGateway.Testing.Pki;
using ExchangeGateway.Testing.Time;
using ExchangeGateway.Testing.Tools;

namespace ExchangeGateway.SecurityServer.Tests.Backup;

/// <summary>
/// Backups: made and signed on one server, restored onto a fresh one; every refusal names its code and leaves
/// the target's files exactly as they were.
/// </summary>
public sealed class BackupServiceTests : IDisposable
{
    private readonly ManualTimeProvider _time = new();
    private readonly TempDirectory _dir = new();
    private readonly TestPki _pki;
    private readonly GlobalConfiguration _configuration;
    private readonly BackupServer _source;
    private readonly BackupServer _target;

    public BackupServiceTests()
    {
        _pki = TestPki.Create(_time);
        _configuration = BackupServer.Configuration(_time, _pki.RootCertificate);
        _source = BackupServer.Populated(_dir.File("a"), _time, _pki, () => _configuration);
        _target = BackupServer.Fresh(_dir.File("b"), _time, () => _configuration);
    }

    public void Dispose()
    {
        _source.Dispose();
        _target.Dispose();
        _pki.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public void Create_WritesASignedTarWithManifestAndEveryFile()
    {
        var created = _source.Backups.Create();

        Assert.True(created.Success, created.Message);
        Assert.Equal("xgw-backup-ss1-20260101T000000Z.tar", created.Value.Name);
        var path = Path.Combine(_source.DataDirectory, "backups", created.Value.Name);
        Assert.Equal(new FileInfo(path).Length, created.Value.Size);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(path)!));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }

        var entries = BackupServer.Entries(path);
        Assert.Equal("manifest.json", entries.Keys.First());
        Assert.Contains("files/serverconf.json", entries.Keys);
        Assert.Contains("files/keys/token.json", entries.Keys);
        Assert.Contains("files/anchor.json", entries.Keys);
        Assert.Contains("files/admin-api-keys.json", entries.Keys);
        Assert.Contains("files/timestamping-services.json", entries.Keys);
        Assert.Single(entries.Keys, k => k.StartsWith("files/descriptions/", StringComparison.Ordinal));
        Assert.Equal(File.ReadAllBytes(_source.AnchorPath), entries["files/anchor.json"]);
        Assert.Contains("\"format\": \"xgw-backup/1\"", Encoding.UTF8.GetString(entries["manifest.json"]), StringComparison.Ordinal);

        // The signature is the owner's, over the manifest's exact bytes.
        var verified = new CmsSignatureVerifier(_pki.CreateValidator()).Verify(entries["manifest.json.p7s"], entries["manifest.json"], _time.GetUtcNow(), CertificatePurpose.Signing);
        Assert.True(verified.IsValid, verified.Message);
        Assert.Equal(_source.SigningCertificate!.Der.ToArray(), verified.Value!.Signer.RawData);
    }

    [Fact]
    public void Create_KeyFilesStayEncrypted()
    {
        var created = _source.Backups.Create();
        var entries = BackupServer.Entries(Path.Combine(_source.DataDirectory, "backups", created.Value!.Name));

        foreach (var (name, bytes) in entries.Where(e => e.Key.StartsWith("files/keys/", StringComparison.Ordinal)))
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(_source.DataDirectory, name["files/".Length..])), bytes);
            Assert.DoesNotContain("PRIVATE KEY", Encoding.ASCII.GetString(bytes), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Restore_OntoAFreshDataDirectory_TokenOpensWithTheOriginalPinAndTheSameKeysSign()
    {
        var created = _source.Backups.Create();
        Assert.True(created.Success, created.Message);

        var restored = _target.Backups.Restore(Path.Combine(_source.DataDirectory, "backups", created.Value.Name));

        Assert.True(restored.Success, restored.Message);
        Assert.Equal(BackupServer.ServerId, restored.Value.ServerId);
        Assert.Contains("keys/token.json", restored.Value.RestoredFiles);
        Assert.Equal(BackupServer.ServerId, _target.Store.Current?.ServerId);
        foreach (var name in new[] { "serverconf.json", "admin-api-keys.json", "timestamping-services.json" })
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(_source.DataDirectory, name)), File.ReadAllBytes(Path.Combine(_target.DataDirectory, name)));
        }

        Assert.Equal(File.ReadAllBytes(_source.AnchorPath), File.ReadAllBytes(_target.AnchorPath));
        Assert.Equal(
            Directory.GetFiles(Path.Combine(_source.DataDirectory, "descriptions")).Select(Path.GetFileName),
            Directory.GetFiles(Path.Combine(_target.DataDirectory, "descriptions")).Select(Path.GetFileName));

        // Restored logged out; the backed-up token's PIN opens it, and its keys are the same keys.
        Assert.Equal(TokenStatus.LoggedOut, _target.Token.Status);
        Assert.False(_target.Token.Login("Another-Pin-999").Success);
        Assert.True(_target.Token.Login(BackupServer.Pin).Success);
        Assert.Equal(
            _source.Token.Describe().Keys.Select(k => (k.Id, k.PublicKeySha256, k.Usage)),
            _target.Token.Describe().Keys.Select(k => (k.Id, k.PublicKeySha256, k.Usage)));
        Assert.Equal("internal secret"u8.ToArray(), _target.Token.LoadSecret("internal-tls").Value);

        var content = "signed after the restore"u8.ToArray();
        var signature = _target.Token.SignCms(_source.SigningCertificate!.Id, content, _time.GetUtcNow());
        Assert.True(signature.Success, signature.Message);
        var verified = new CmsSignatureVerifier(_pki.CreateValidator()).Verify(signature.Value, content, _time.GetUtcNow(), CertificatePurpose.Signing);
        Assert.True(verified.IsValid, verified.Message);
        Assert.Equal(_source.SigningCertificate.Der.ToArray(), verified.Value!.Signer.RawData);
        Assert.NotNull(_target.Token.GetAuthenticationIdentity());
    }

    [Fact]
    public void Restore_OverAnInitialisedServer_ReplacesItsKeysAndConfiguration()
    {
        var created = _source.Backups.Create();
        using var other = BackupServer.Populated(_dir.File("c"), _time, _pki, () => _configuration);
        var ownKeys = other.Token.Describe().Keys.Select(k => k.Id).ToList();
        File.WriteAllText(Path.Combine(other.DataDirectory, "keys", "stray.key"), "left over");

        var restored = other.Backups.Restore(Path.Combine(_source.DataDirectory, "backups", created.Value!.Name));

        Assert.True(restored.Success, restored.Message);
        Assert.False(File.Exists(Path.Combine(other.DataDirectory, "keys", "stray.key")));
        Assert.True(other.Token.Login(BackupServer.Pin).Success);
        Assert.Empty(other.Token.Describe().Keys.Select(k => k.Id).Intersect(ownKeys));
        Assert.Empty(Directory.GetDirectories(other.DataDirectory, ".restore*"));
        Assert.Empty(Directory.GetFiles(other.DataDirectory, ".restore*"));
    }

    [Fact]
    public void Restore_FlippedByteInAFile_IsTamperedNamingTheFileAndChangesNothing()
    {
        var backup = Backup();
        var tampered = _dir.File("tampered.tar");
        BackupServer.Rewrite(backup, tampered, (name, bytes) =>
        {
            if (name == "files/admin-api-keys.json")
            {
                bytes[10] ^= 0x01;
            }

            return bytes;
        });

        AssertRefused(tampered, BackupErrors.Tampered, "files/admin-api-keys.json does not match its SHA-256 in the manifest.");
    }

    [Fact]
    public void Restore_FileWithAnotherSize_IsTampered()
    {
        var backup = Backup();
        var tampered = _dir.File("longer.tar");
        BackupServer.Rewrite(backup, tampered, (name, bytes) => name == "files/timestamping-services.json" ? [.. bytes, (byte)' '] : bytes);

        AssertRefused(tampered, BackupErrors.Tampered, "files/timestamping-services.json has 23 bytes; the manifest says 22.");
    }

    [Fact]
    public void Restore_FileMissing_IsTampered()
    {
        var backup = Backup();
        var tampered = _dir.File("missing.tar");
        BackupServer.Rewrite(backup, tampered, (name, bytes) => name == "files/keys/token.json" ? null : bytes);

        AssertRefused(tampered, BackupErrors.Tampered, "files/keys/token.json is in the manifest but missing from the backup.");
    }

    [Fact]
    public void Restore_FileNotInTheManifest_IsTampered()
    {
        var backup = Backup();
        var tampered = _dir.File("extra.tar");
        BackupServer.Rewrite(backup, tampered, (_, bytes) => bytes, ("files/keys/planted.key", "x"u8.ToArray()));

        AssertRefused(tampered, BackupErrors.Tampered, "files/keys/planted.key is not in the signed manifest.");
    }

    [Fact]
    public void Restore_ManifestEdited_IsInvalidSignature()
    {
        var backup = Backup();
        var entries = BackupServer.Entries(backup);
        var forged = Encoding.UTF8.GetBytes("""{"openapi":"3.0.1","forged":true}""");
        var forgedHash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(forged));
        var manifestText = Encoding.UTF8.GetString(entries["manifest.json"]);
        var original = entries["files/timestamping-services.json"];
        var originalHash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(original));
        var edited = Encoding.UTF8.GetBytes(manifestText
            .Replace(originalHash, forgedHash, StringComparison.Ordinal)
            .Replace($"\"size\": {original.Length},", $"\"size\": {forged.Length},", StringComparison.Ordinal));
        Assert.NotEqual(manifestText, Encoding.UTF8.GetString(edited));
        var tampered = _dir.File("edited.tar");
        BackupServer.Rewrite(backup, tampered, (name, bytes) => name switch
        {
            "manifest.json" => edited,
            "files/timestamping-services.json" => forged,
            _ => bytes,
        });

        var message = AssertRefused(tampered, BackupErrors.InvalidSignature);
        Assert.StartsWith("The manifest's signature does not verify with a certificate of an approved CA:", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Restore_SignedByAnotherMembersCertificate_IsInvalidSignature()
    {
        var backup = Backup();
        var entries = BackupServer.Entries(backup);
        var other = _pki.IssueSigning("DEV", "GOV", "70000002");
        var signature = CmsDetachedSigner.Sign(entries["manifest.json"], other, _time.GetUtcNow(), [_pki.IntermediateCertificate]);
        var resigned = _dir.File("other-member.tar");
        BackupServer.Rewrite(backup, resigned, (name, bytes) => name == "manifest.json.p7s" ? signature : bytes);

        AssertRefused(resigned, BackupErrors.InvalidSignature, "The backup is not signed by DEV/GOV/70000001, the owner of DEV/GOV/70000001/ss1.");
    }

    [Fact]
    public void Restore_SignedByTheOwnerNameFromAnUnapprovedCa_IsInvalidSignature()
    {
        using var rogue = TestPki.Create(_time, name: "Rogue");
        var backup = Backup();
        var entries = BackupServer.Entries(backup);
        var impostor = rogue.IssueSigning("DEV", "GOV", "70000001");
        var signature = CmsDetachedSigner.Sign(entries["manifest.json"], impostor, _time.GetUtcNow(), [rogue.IntermediateCertificate]);
        var resigned = _dir.File("rogue.tar");
        BackupServer.Rewrite(backup, resigned, (name, bytes) => name == "manifest.json.p7s" ? signature : bytes);

        var message = AssertRefused(resigned, BackupErrors.InvalidSignature);
        Assert.StartsWith("The manifest's signature does not verify with a certificate of an approved CA:", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Restore_SignatureMissing_IsInvalidSignature()
    {
        var backup = Backup();
        var stripped = _dir.File("unsigned.tar");
        BackupServer.Rewrite(backup, stripped, (name, bytes) => name == "manifest.json.p7s" ? null : bytes);

        AssertRefused(stripped, BackupErrors.InvalidSignature, "The backup has no manifest.json.p7s signature.");
    }

    [Fact]
    public void Restore_OntoAnotherInstance_IsWrongInstance()
    {
        var backup = Backup();
        using var elsewhere = BackupServer.Fresh(_dir.File("other-instance"), _time, () => _configuration, instance: "OTHER");
        var before = elsewhere.Snapshot();

        var restored = elsewhere.Backups.Restore(backup);

        Assert.False(restored.Success);
        Assert.Equal(BackupErrors.WrongInstance, restored.Code);
        Assert.Equal("The backup is of instance DEV; this server's anchor is of OTHER.", restored.Message);
        elsewhere.AssertUnchanged(before);
        Assert.Null(elsewhere.Store.Current);
        Assert.Equal(TokenStatus.Uninitialised, elsewhere.Token.Status);
    }

    [Fact]
    public void Restore_NoGlobalConfiguration_IsRefusedWithItsOwnCode()
    {
        var backup = Backup();
        using var early = BackupServer.Fresh(_dir.File("early"), _time, () => null);
        var before = early.Snapshot();

        var restored = early.Backups.Restore(backup);

        Assert.Equal(BackupErrors.NoGlobalConfiguration, restored.Code);
        early.AssertUnchanged(before);
    }

    [Fact]
    public void Restore_NotATar_IsMalformed()
    {
        var garbage = _dir.File("garbage.tar");
        File.WriteAllBytes(garbage, Enumerable.Range(0, 2000).Select(i => (byte)(i * 31 + 7)).ToArray());

        AssertRefused(garbage, BackupErrors.Malformed, "The file is not a readable tar archive.");
    }

    [Fact]
    public void Restore_NoManifest_IsMalformed()
    {
        var backup = Backup();
        var stripped = _dir.File("no-manifest.tar");
        BackupServer.Rewrite(backup, stripped, (name, bytes) => name == "manifest.json" ? null : bytes);

        AssertRefused(stripped, BackupErrors.Malformed, "The backup has no manifest.json.");
    }

    [Theory]
    [InlineData("files/../serverconf.json")]
    [InlineData("files/keys/.hidden")]
    [InlineData("files/secrets.txt")]
    public void Restore_EntryOutsideTheLayout_IsMalformed(string entry)
    {
        var backup = Backup();
        var planted = _dir.File("planted.tar");
        BackupServer.Rewrite(backup, planted, (_, bytes) => bytes, (entry, "x"u8.ToArray()));

        AssertRefused(planted, BackupErrors.Malformed);
    }

    [Fact]
    public void Restore_EntryOutsideFiles_IsTampered()
    {
        var backup = Backup();
        var planted = _dir.File("outside.tar");
        BackupServer.Rewrite(backup, planted, (_, bytes) => bytes, ("serverconf.json", "x"u8.ToArray()));

        AssertRefused(planted, BackupErrors.Tampered, "'serverconf.json' does not belong in a backup.");
    }

    [Fact]
    public async Task RestoreAsync_LargerThanTheLimit_IsTooLargeAndLeavesNothing()
    {
        using var small = BackupServer.Fresh(_dir.File("small"), _time, () => _configuration, maxBackupBytes: 1000);
        var before = small.Snapshot();

        using var body = new MemoryStream(new byte[5000]);
        var restored = await small.Backups.RestoreAsync(body);

        Assert.Equal(BackupErrors.TooLarge, restored.Code);
        small.AssertUnchanged(before);
    }

    [Fact]
    public async Task RestoreAsync_FromAStream_Restores()
    {
        var backup = Backup();
        var raised = new List<RestoreInfo>();
        _target.Backups.Restored += (_, info) => raised.Add(info);
        await using var body = File.OpenRead(backup);

        var restored = await _target.Backups.RestoreAsync(body);

        Assert.True(restored.Success, restored.Message);
        Assert.Same(restored.Value, Assert.Single(raised));
        Assert.Empty(Directory.GetFiles(_target.DataDirectory, ".restore*"));
    }

    [Fact]
    public void Create_TokenLoggedOut_IsTokenNotActiveAndWritesNothing()
    {
        _source.Token.Logout();

        var created = _source.Backups.Create();

        Assert.Equal(BackupErrors.TokenNotActive, created.Code);
        Assert.False(Directory.Exists(Path.Combine(_source.DataDirectory, "backups")));
    }

    [Fact]
    public void Create_OwnerSigningCertificateInactive_IsNoSigningCertificate()
    {
        Assert.True(_source.Token.SetActive(_source.SigningCertificate!.Id, false).Success);

        var created = _source.Backups.Create();

        Assert.Equal(BackupErrors.NoSigningCertificate, created.Code);
        Assert.Equal("The token has no active registered signing certificate of the owner DEV/GOV/70000001.", created.Message);
        Assert.False(Directory.Exists(Path.Combine(_source.DataDirectory, "backups")));
    }

    [Fact]
    public void Create_NotInitialised_IsNotInitialised()
    {
        var created = _target.Backups.Create();

        Assert.Equal(BackupErrors.NotInitialised, created.Code);
    }

    [Fact]
    public void Create_TwiceInOneSecond_GetsDistinctNames()
    {
        var first = _source.Backups.Create();
        var second = _source.Backups.Create();

        Assert.Equal("xgw-backup-ss1-20260101T000000Z.tar", first.Value!.Name);
        Assert.Equal("xgw-backup-ss1-20260101T000000Z-2.tar", second.Value!.Name);
    }

    [Fact]
    public void ListFindDelete_OnlyBackupNames()
    {
        _source.Backups.Create();
        _time.Advance(TimeSpan.FromMinutes(1));
        var newer = _source.Backups.Create().Value!;
        File.WriteAllText(Path.Combine(_source.DataDirectory, "backups", "notes.tar"), "not a backup name");

        var list = _source.Backups.List();

        Assert.Equal(["xgw-backup-ss1-20260101T000100Z.tar", "xgw-backup-ss1-20260101T000000Z.tar"], list.Select(b => b.Name));
        Assert.Equal(newer.Sha256, list[0].Sha256);
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 0, 1, 0, TimeSpan.Zero), list[0].CreatedAt);
        Assert.Equal(BackupErrors.NotFound, _source.Backups.Find("notes.tar").Code);
        Assert.Equal(BackupErrors.NotFound, _source.Backups.Find("../serverconf.json").Code);
        Assert.Equal(BackupErrors.NotFound, _source.Backups.Delete("xgw-backup-ss1-20990101T000000Z.tar").Code);
        Assert.True(_source.Backups.Delete(newer.Name).Success);
        Assert.Single(_source.Backups.List());
    }

    private string Backup()
    {
        var created = _source.Backups.Create();
        Assert.True(created.Success, created.Message);
        return Path.Combine(_source.DataDirectory, "backups", created.Value.Name);
    }

    /// <summary>Restores onto the fresh target, expects the refusal, and checks nothing on the target changed.</summary>
    private string AssertRefused(string backup, string code, string? message = null)
    {
        var before = _target.Snapshot();
        var raised = 0;
        _target.Backups.Restored += (_, _) => raised++;

        var restored = _target.Backups.Restore(backup);

        Assert.Equal(0, raised);

        Assert.False(restored.Success);
        Assert.Equal(code, restored.Code);
        if (message is not null)
        {
            Assert.Equal(message, restored.Message);
        }

        _target.AssertUnchanged(before);
        Assert.Null(_target.Store.Current);
        Assert.Equal(TokenStatus.Uninitialised, _target.Token.Status);
        return restored.Message;
    }
}
