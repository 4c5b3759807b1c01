using System.Formats.Tar;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using ExchangeGateway.Common.Identifiers;
using ExchangeGateway.Config.Anchors;
using ExchangeGateway.Config.Model;
using ExchangeGateway.SecurityServer.Admin;
using ExchangeGateway.SecurityServer.Backup;
using ExchangeGateway.SecurityServer.Descriptions;
using ExchangeGateway.SecurityServer.Registry;
using ExchangeGateway.Signer.Enrolment;
using ExchangeGateway.Signer.Keys;
using ExchangeGateway.Signer.Tokens;
using ExchangeGateway.Testing.Pki;
using ExchangeGateway.TrustServices.Ca;

namespace ExchangeGateway.SecurityServer.Tests.Backup;

/// <summary>
/// One security server's state on disk for backup tests: data directory, anchor file, local configuration,
/// software token and the backup service over them. <see cref="Populated"/> makes one with an owner signing
/// certificate, an authentication certificate, a description document, API keys and a TSA selection.
/// </summary>
internal sealed class BackupServer : IDisposable
{
    public const string Pin = "Correct-Horse-1";
    public static readonly SecurityServerId ServerId = SecurityServerId.Parse("DEV/GOV/70000001/ss1");
    public static readonly MemberId Owner = ServerId.Owner;

    private BackupServer(string root, string instance, TimeProvider time, Func<GlobalConfiguration?> configuration, long maxBackupBytes = 256L * 1024 * 1024)
    {
        Root = root;
        DataDirectory = Path.Combine(root, "data");
        Directory.CreateDirectory(DataDirectory);
        AnchorPath = Path.Combine(root, "etc", "anchor.json");
        Directory.CreateDirectory(Path.GetDirectoryName(AnchorPath)!);
        File.WriteAllBytes(AnchorPath, AnchorBytes(instance, root));
        Store = new LocalConfigurationStore(DataDirectory);
        Store.Load();
        Token = new SoftwareToken(new SoftwareTokenOptions { Directory = Path.Combine(DataDirectory, "keys"), Pbkdf2Iterations = 1_000 }, time);
        Backups = new BackupService(new BackupOptions { DataDirectory = DataDirectory, AnchorPath = AnchorPath, MaxBackupBytes = maxBackupBytes }, Store, Token, configuration, time);
    }

    public string Root { get; }

    public string DataDirectory { get; }

    public string AnchorPath { get; }

    public LocalConfigurationStore Store { get; }

    public SoftwareToken Token { get; }

    public BackupService Backups { get; }

    public CertificateInfo? SigningCertificate { get; private set; }

    /// <summary>A server with nothing on it yet (a fresh install): no serverconf.json, an uninitialised token.</summary>
    public static BackupServer Fresh(string root, TimeProvider time, Func<GlobalConfiguration?> configuration, string instance = "DEV", long maxBackupBytes = 256L * 1024 * 1024) =>
        new(root, instance, time, configuration, maxBackupBytes);

    /// <summary>An initialised server with keys, certificates from <paramref name="pki"/>, and the other backed-up files.</summary>
    public static BackupServer Populated(string root, TimeProvider time, TestPki pki, Func<GlobalConfiguration?> configuration)
    {
        var server = new BackupServer(root, "DEV", time, configuration);
        Assert.True(server.Store.CreateIfAbsent(LocalConfiguration.Empty(ServerId)));
        Assert.True(server.Token.Initialise(Pin).Success);
        var sign = server.Token.GenerateKey(KeyPurpose.Signing, "sign", Owner).Value!;
        server.SigningCertificate = server.Import(pki, sign, CertificateSubjects.Signing(Owner), CertificateProfile.Signing);
        var auth = server.Token.GenerateKey(KeyPurpose.Authentication, "auth", null).Value!;
        server.Import(pki, auth, CertificateSubjects.Authentication(ServerId), CertificateProfile.Authentication);
        Assert.True(server.Token.StoreSecret("internal-tls", "internal secret"u8).Success);

        var documents = new DescriptionDocuments(server.DataDirectory);
        documents.Save("""{"openapi":"3.0.1","info":{"title":"t","version":"1"},"paths":{}}"""u8);
        new AdminApiKeyStore(server.DataDirectory, time).Create("ops", [AdminRole.SystemAdministrator]).GetValueOrThrow();
        File.WriteAllText(Path.Combine(server.DataDirectory, "timestamping-services.json"), """{"names":["Test TSA"]}""");
        return server;
    }

    /// <summary>A global configuration approving the CAs <paramref name="cas"/> (default profile).</summary>
    public static GlobalConfiguration Configuration(TimeProvider time, params X509Certificate2[] cas) => new()
    {
        InstanceId = "DEV",
        Serial = 1,
        GeneratedAt = time.GetUtcNow(),
        ExpiresAt = time.GetUtcNow().AddHours(1),
        Settings = new ConfigurationSettings(TimeSpan.FromMinutes(20), TimeSpan.FromMinutes(1), TimeSpan.FromHours(4), TimeSpan.FromMinutes(1)),
        ManagementServiceAddress = "http://127.0.0.1:1/managementservice",
        ApprovedCas = [.. cas.Select((c, i) => new ApprovedCa("CA " + i, c.RawData, [], CertificateSubjectProfile.Default))],
    };

    /// <summary>Every file and folder under the root (data directory and anchor) with its bytes; folders map to an empty array.</summary>
    public SortedDictionary<string, byte[]> Snapshot()
    {
        var all = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var d in Directory.GetDirectories(Root, "*", SearchOption.AllDirectories))
        {
            all[d + "/"] = [];
        }

        foreach (var f in Directory.GetFiles(Root, "*", SearchOption.AllDirectories))
        {
            all[f] = File.ReadAllBytes(f);
        }

        return all;
    }

    public void AssertUnchanged(SortedDictionary<string, byte[]> before, string? ignoredFolder = null)
    {
        var ignored = ignoredFolder is null ? null : Path.Combine(DataDirectory, ignoredFolder);
        var after = Snapshot();
        if (ignored is not null)
        {
            before = new SortedDictionary<string, byte[]>(before.Where(e => !e.Key.StartsWith(ignored, StringComparison.Ordinal)).ToDictionary(), StringComparer.Ordinal);
            after = new SortedDictionary<string, byte[]>(after.Where(e => !e.Key.StartsWith(ignored, StringComparison.Ordinal)).ToDictionary(), StringComparer.Ordinal);
        }

        Assert.Equal(before.Keys, after.Keys);
        foreach (var (path, bytes) in before)
        {
            Assert.True(bytes.AsSpan().SequenceEqual(after[path]), $"{path} changed");
        }
    }

    public void Dispose() => Token.Dispose();

    /// <summary>Copies a tar, letting <paramref name="change"/> replace an entry's bytes (return them unchanged to keep it, null to drop it); <paramref name="extra"/> entries are appended.</summary>
    public static void Rewrite(string source, string target, Func<string, byte[], byte[]?> change, params (string Name, byte[] Bytes)[] extra)
    {
        using var input = File.OpenRead(source);
        using var reader = new TarReader(input);
        using var output = File.Create(target);
        using var writer = new TarWriter(output, TarEntryFormat.Pax);
        while (reader.GetNextEntry() is { } entry)
        {
            using var copy = new MemoryStream();
            entry.DataStream?.CopyTo(copy);
            var bytes = change(entry.Name, copy.ToArray());
            if (bytes is not null)
            {
                writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, entry.Name) { DataStream = new MemoryStream(bytes) });
            }
        }

        foreach (var (name, bytes) in extra)
        {
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(bytes) });
        }
    }

    /// <summary>The entries of a tar with their bytes.</summary>
    public static Dictionary<string, byte[]> Entries(string tar)
    {
        using var input = File.OpenRead(tar);
        using var reader = new TarReader(input);
        var entries = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        while (reader.GetNextEntry() is { } entry)
        {
            using var copy = new MemoryStream();
            entry.DataStream?.CopyTo(copy);
            entries[entry.Name] = copy.ToArray();
        }

        return entries;
    }

    private static byte[] AnchorBytes(string instance, string root)
    {
        using var key = System.Security.Cryptography.ECDsa.Create();
        var request = new CertificateRequest("CN=Configuration signing " + Path.GetFileName(root), key, System.Security.Cryptography.HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        return ConfigurationAnchorSerializer.Write(ConfigurationAnchor.Create(instance, ["http://127.0.0.1:1/globalconf"], [certificate]));
    }

    private CertificateInfo Import(TestPki pki, KeyInfo key, X500DistinguishedName subject, CertificateProfile profile)
    {
        var csr = Token.CreateCsr(key.Id, subject);
        Assert.True(csr.Success, csr.Message);
        using var leaf = pki.Intermediate.IssueFromCsr(csr.Value.Der.Span, profile);
        var bundle = Encoding.ASCII.GetBytes(leaf.ExportCertificatePem() + "\n" + pki.IntermediateCertificate.ExportCertificatePem() + "\n" + pki.RootCertificate.ExportCertificatePem() + "\n");
        var imported = Token.ImportCertificate(bundle);
        Assert.True(imported.Success, imported.Message);
        return imported.Value;
    }
}
