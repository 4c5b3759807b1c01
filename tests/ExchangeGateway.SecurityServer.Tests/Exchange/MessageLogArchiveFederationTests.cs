using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using ExchangeGateway.Config.Client;
using ExchangeGateway.MessageLog.Archiving;
using ExchangeGateway.MessageLog.Records;
using ExchangeGateway.MessageLog.Storage;
using ExchangeGateway.MessageLog.Verification;
using ExchangeGateway.Testing.Pki;
using Microsoft.Extensions.DependencyInjection;

namespace ExchangeGateway.SecurityServer.Tests.Exchange;

/// <summary>A federation whose ss1 archives records older than 2 s, encrypting bodies to an escrow certificate whose key it also holds.</summary>
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
            : arguments, clock);

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
}
