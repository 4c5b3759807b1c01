using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Net;
using System.Net.Http.Headers;
using ExchangeGateway.Config.Client;
using ExchangeGateway.MessageLog.Evidence;
using ExchangeGateway.SecurityServer.Admin;
using ExchangeGateway.MessageLog.Archiving;
using ExchangeGateway.MessageLog.Records;
using ExchangeGateway.MessageLog.Storage;
using ExchangeGateway.MessageLog.Verification;
using ExchangeGateway.Testing.Pki;
using Microsoft.Extensions.DependencyInjection;

namespace ExchangeGateway.SecurityServer.Tests.Exchange;

/// <summary>
/// A federation whose ss1 archives records older than 2 s, encrypting bodies to an escrow certificate whose key it
/// also holds, and whose ss2 erases bodies older than 2 s (body retention only).
/// </summary>
public sealed class ArchivingFederation : Federation
{
    private readonly X509Certificate2 _escrow = Escrow();

    public X509Certificate2 EscrowCertificate => _escrow;

    public string EscrowPem => Directory.File("escrow.pem");

    public override async Task InitializeAsync()
    {
        TestPki.WriteCertificateAndKey(_escrow, Directory.File("escrow"));
        await File.WriteAllTextAsync(EscrowPem, await File.ReadAllTextAsync(Directory.File("escrow.pem")) + "\n" + await File.ReadAllTextAsync(Directory.File("escrow.key")));
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _escrow.Dispose();
    }

    protected override Task<IAsyncDisposable> LaunchAsync(string name, string[] arguments, TimeProvider clock) =>
        base.LaunchAsync(name, name == "ss1"
            ? [.. arguments, "--SecurityServer:MessageLog:ArchiveAfter=00:00:02", $"--SecurityServer:MessageLog:ArchiveEncryptionCertificates:0={EscrowPem}"]
            : [.. arguments, "--SecurityServer:MessageLog:BodyRetention=00:00:02"], clock);

    private static X509Certificate2 Escrow()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=Archive Escrow, O=ExchangeGateway Test", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }
}

/// <summary>
/// Archiving wired into a real security server (issue #7): the archiver from its services, manifests signed
/// with the owner's signing key from the token, bodies wrapped to the configured certificate; archived
/// records read back identical and the archives verify against the federation's approved CA.
/// </summary>
public sealed class MessageLogArchiveFederationTests(ArchivingFederation federation) : IClassFixture<ArchivingFederation>
{
    [Fact]
    public async Task RetentionPass_OnRealServer_ArchivesSignedByTheOwnerAndReadsBackIdentical()
    {
        var services = federation.ServicesOf("ss1");
        var store = services.GetRequiredService<MessageLogStore>();
        var id = Guid.NewGuid().ToString();
        using (var request = new HttpRequestMessage(HttpMethod.Post, $"r1/{Federation.ProviderSubsystem}/echo/archive") { Content = new StringContent("{\"keep\":\"me\"}", Encoding.UTF8, "application/json") })
        {
            request.Headers.Add("X-Road-Client", Federation.Consumer);
            request.Headers.Add("X-Road-Id", id);
            using var response = await federation.ClientProxy.SendAsync(request);
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }

        var logged = Enumerable.Range(0, 20).Select(back => store.Count - back).Where(s => s >= 1).Select(s => store.Get(s)!).Where(r => r.Record.MessageId == id).ToList();
        Assert.Equal(2, logged.Count);
        var last = logged.Max(r => r.Sequence);
        for (var wait = 0; (store.LastStampedCheckpoint?.TreeSize ?? 0) < last; wait++)
        {
            Assert.True(wait < 200, "no time-stamped checkpoint covered the exchange within 20 s");
            await Task.Delay(100);
        }

        await Task.Delay(TimeSpan.FromSeconds(2.5)); // older than ArchiveAfter
        var result = await services.GetRequiredService<MessageLogArchiver>().RunOnceAsync(CancellationToken.None);

        Assert.True(result.IsSuccess, result.Failure);
        Assert.True(result.ArchivedThrough >= last, $"archived through {result.ArchivedThrough}, the exchange ends at {last}");
        Assert.All(result.Archives, a => Assert.True(a.Encrypted));
        foreach (var before in logged)
        {
            var read = store.Read(before.Sequence);
            Assert.True(read.IsSuccess, read.ToString());
            Assert.NotNull(read.Record!.ArchiveId);
            Assert.Equal(RecordBodyState.Present, read.Record.BodyState); // decrypted with the escrow key this server holds
            Assert.Equal(RecordEncoding.Canonical(before.Sequence, before.Record), RecordEncoding.Canonical(before.Sequence, read.Record.Logged.Record));
            Assert.Equal(before.Record.Body!.Value.ToArray(), read.Record.Logged.Record.Body!.Value.ToArray());
        }

        var configuration = services.GetRequiredService<ConfigurationClient>().Current!;
        var anchors = configuration.ApprovedCas.Select(ca => ca.LoadCertificate()).ToList();
        var archives = ArchiveVerifier.Verify(store.ArchiveDirectory, new ArchiveVerifierOptions
        {
            SigningAnchors = anchors,
            ServerId = Federation.Ss1,
            DecryptionCertificates = [federation.EscrowCertificate],
        });
        Assert.True(archives.IsValid, archives.ToString());
        Assert.True(archives.SignersVerified);
        Assert.Equal(0, archives.SealedBodies);
        var log = MessageLogVerifier.Verify(store.DatabasePath, new MessageLogVerifierOptions { SigningAnchors = anchors, ServerId = Federation.Ss1, ArchiveDirectory = store.ArchiveDirectory });
        Assert.True(log.IsValid, log.ToString());
        Assert.True(log.ArchivedRecords >= 2, log.ToString());
        anchors.ForEach(a => a.Dispose());
    }

    [Fact]
    public async Task RetentionPasses_BodiesErasedOnSs2AndRecordsArchivedOnSs1_EveryBundleOfBothLogsStillVerifies()
    {
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var id = Guid.NewGuid().ToString();
            using var request = new HttpRequestMessage(HttpMethod.Post, $"r1/{Federation.ProviderSubsystem}/echo/retention") { Content = new StringContent("erase me later " + i, Encoding.UTF8, "text/plain") };
            request.Headers.Add("X-Road-Client", Federation.Consumer);
            request.Headers.Add("X-Road-Id", id);
            using var response = await federation.ClientProxy.SendAsync(request);
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
            ids.Add(id);
        }

        var anchor = await File.ReadAllBytesAsync(federation.AnchorPath);
        var verified = new Dictionary<string, (int Bundles, int Erased, int Archived)>();
        foreach (var server in new[] { "ss1", "ss2" })
        {
            var services = federation.ServicesOf(server);
            var store = services.GetRequiredService<MessageLogStore>();
            var newest = store.Count;
            for (var wait = 0; (store.LastStampedCheckpoint?.TreeSize ?? 0) < newest; wait++)
            {
                Assert.True(wait < 200, $"no time-stamped checkpoint of {server} covered record {newest} within 20 s");
                await Task.Delay(100);
            }

            await Task.Delay(TimeSpan.FromSeconds(2.5)); // older than BodyRetention (ss2) and ArchiveAfter (ss1)
            var pass = await services.GetRequiredService<MessageLogArchiver>().RunOnceAsync(CancellationToken.None);
            Assert.True(pass.IsSuccess, pass.Failure);

            using var auditor = Auditor(server);
            var (bundles, erased, archived) = (0, 0, 0);
            for (long sequence = 1; sequence <= newest; sequence++)
            {
                using var response = await auditor.GetAsync($"message-log/records/{sequence}/bundle");
                var body = await response.Content.ReadAsByteArrayAsync();
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{server} record {sequence}: {(int)response.StatusCode} {Encoding.UTF8.GetString(body)}");
                var bundle = EvidenceBundleSerializer.Read(body).Value!;
                var report = EvidenceBundleVerifier.Verify(bundle, anchor);
                Assert.True(report.Passed, $"{server} record {sequence}: " + string.Join('\n', report.Checks.Where(c => !c.Passed).Select(c => $"{c.Name}: {c.Message}")));
                bundles++;
                erased += bundle.Records[0].BodyState == EvidenceBodyState.Erased ? 1 : 0;
                archived += store.Read(sequence).Record!.ArchiveId is null ? 0 : 1;
            }

            verified[server] = (bundles, erased, archived);
        }

        // ss2 erased the bodies of its old records (every exchange of this run among them); ss1 moved its old records
        // into archives, whose bodies it can still decrypt: every bundle of both verifies.
        Assert.True(verified["ss2"].Erased >= 2 * ids.Count, $"ss2: {verified["ss2"]}");
        Assert.Equal(0, verified["ss2"].Archived);
        Assert.True(verified["ss1"].Archived >= 2 * ids.Count, $"ss1: {verified["ss1"]}");
        Assert.All(ids, id => Assert.Equal(2, federation.CountRecords("ss2", id)));
    }

    private HttpClient Auditor(string server)
    {
        var key = federation.ServicesOf(server).GetRequiredService<AdminApiKeyStore>().Create("auditor", [AdminRole.Auditor]).GetValueOrThrow().Key;
        var ports = server == "ss1" ? federation.Ports1 : federation.Ports2;
        var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{ports.Admin}/api/v1/"), Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("X-Api-Key", key);
        return client;
    }
}
