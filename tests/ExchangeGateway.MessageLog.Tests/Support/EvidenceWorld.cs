using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ExchangeGateway.Common.Crypto.Batch;
using ExchangeGateway.Common.Crypto.Cms;
using ExchangeGateway.Common.Crypto.Ocsp;
using ExchangeGateway.Common.Crypto.TimeStamping;
using ExchangeGateway.Common.Exchange;
using ExchangeGateway.Common.Identifiers;
using ExchangeGateway.Config.Model;
using ExchangeGateway.Config.Signing;
using ExchangeGateway.MessageLog.Evidence;
using ExchangeGateway.MessageLog.Integration;
using ExchangeGateway.MessageLog.Records;
using ExchangeGateway.MessageLog.Storage;
using ExchangeGateway.Testing.Hosting;
using ExchangeGateway.Testing.Pki;
using ExchangeGateway.Testing.Time;
using ExchangeGateway.Testing.Tools;
using ExchangeGateway.TrustServices.Ocsp;
using ExchangeGateway.TrustServices.Tsa;
using Microsoft.AspNetCore.Builder;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace ExchangeGateway.MessageLog.Tests.Support;

/// <summary>
/// Real evidence, made at test time: the test PKI (issuing CA, delegated OCSP responder, TSA), the
/// <see cref="EvidenceFederation"/> (a global configuration approving them, signed by a Central Server key
/// pinned in an anchor), member signing
/// certificates, and the message log of the provider's security server <see cref="ServerId"/> with
/// exchanges whose heads are batch-signed exactly as the proxies sign them, OCSP responses from the real
/// responder code, and checkpoints signed by the server owner and stamped by the real TSA on loopback.
/// Shared by the MessageLog and Audit tests (linked into both).
/// </summary>
internal sealed class EvidenceWorld : IAsyncDisposable
{
    /// <summary>The instance.</summary>
    public const string Instance = EvidenceFederation.Instance;

    /// <summary>The log's server: the provider's security server.</summary>
    public const string ServerId = "DEV/GOV/70000001/ss1";

    /// <summary>The client subsystem of the exchanges.</summary>
    public const string Client = "DEV/ORG/70000002/clinic";

    /// <summary>The service of the exchanges.</summary>
    public const string Service = "DEV/GOV/70000001/consumer/echo";

    private readonly OcspResponder _ocsp;
    private readonly LoopbackHost _tsa;
    private readonly TimeStampAuthority _authority;
    private readonly LogIntegrator _integrator;
    private int _exchanges;

    private EvidenceWorld(ManualTimeProvider time, TestPki pki, TempDirectory directory, LoopbackHost tsa, TimeStampAuthority authority)
    {
        _authority = authority;
        Time = time;
        Pki = pki;
        Directory = directory;
        _tsa = tsa;
        ProviderSigner = pki.IssueSigning(Instance, "GOV", "70000001");
        ConsumerSigner = pki.IssueSigning(Instance, "ORG", "70000002");
        OtherSigner = pki.IssueSigning(Instance, "GOV", "70000003");
        Federation = new EvidenceFederation(pki, time.GetUtcNow().AddMinutes(-30));
        _ocsp = new OcspResponder(pki.IntermediateCertificate, pki.OcspResponder, _ => CertificateStatusEntry.Good, time);
        Store = MessageLogStore.Open(
            new MessageLogOptions { DatabasePath = DatabasePath, BusyTimeout = TimeSpan.FromSeconds(2) },
            time,
            NullLogger.Instance);
        _integrator = new LogIntegrator(
            Store,
            new LogIntegratorOptions { ServerId = SecurityServerId.Parse(ServerId), TsaTimeout = TimeSpan.FromSeconds(10) },
            (content, _) => Task.FromResult(CmsDetachedSigner.Sign(content, ProviderSigner, Time.GetUtcNow(), [Pki.IntermediateCertificate])),
            () => [new TsaEndpoint(new Uri(_tsa.BaseAddress, "tsa"), X509CertificateLoader.LoadCertificate(Pki.Tsa.RawData))],
            time,
            NullLogger.Instance);
    }

    /// <summary>The clock of everything: PKI, OCSP, TSA, log.</summary>
    public ManualTimeProvider Time { get; }

    /// <summary>The test PKI; its issuing CA is the configuration's approved CA.</summary>
    public TestPki Pki { get; }

    /// <summary>Where the log lives.</summary>
    public TempDirectory Directory { get; }

    /// <summary>The log database.</summary>
    public string DatabasePath => Directory.File("log/messagelog.db");

    /// <summary>The provider's (GOV/70000001, the server owner's) signing certificate.</summary>
    public X509Certificate2 ProviderSigner { get; }

    /// <summary>The consumer's (ORG/70000002) signing certificate.</summary>
    public X509Certificate2 ConsumerSigner { get; }

    /// <summary>A third member's (GOV/70000003) signing certificate, valid but the wrong signer of everything here.</summary>
    public X509Certificate2 OtherSigner { get; }

    /// <summary>The federation: configuration signer, anchor, global configuration.</summary>
    public EvidenceFederation Federation { get; }

    /// <summary>The Central Server's configuration-signing certificate (with key).</summary>
    public X509Certificate2 ConfigurationSigner => Federation.ConfigurationSigner;

    /// <summary>The anchor file, pinning <see cref="ConfigurationSigner"/>.</summary>
    public byte[] AnchorBytes => Federation.AnchorBytes;

    /// <summary>The global configuration (serial 7).</summary>
    public GlobalConfiguration Configuration => Federation.Configuration;

    /// <summary>The configuration as published.</summary>
    public SignedConfiguration SignedConfiguration => Federation.Signed;

    /// <summary>The log.</summary>
    public MessageLogStore Store { get; }

    /// <summary>Creates the world and starts the TSA on loopback.</summary>
    public static async Task<EvidenceWorld> CreateAsync(DateTimeOffset? start = null)
    {
        var time = new ManualTimeProvider(start ?? new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        var pki = TestPki.Create(time, name: "Evidence");
        var authority = new TimeStampAuthority(pki.Tsa, time);
        var tsa = await LoopbackHost.StartAsync(null, app => app.MapTimeStamping("/tsa", authority));
        return new EvidenceWorld(time, pki, new TempDirectory(), tsa, authority);
    }

    /// <summary>The trust material as the security server holds it.</summary>
    public EvidenceTrust Trust() => Federation.Evidence();

    /// <summary>A good OCSP response for <paramref name="certificate"/> from the approved responder, made now.</summary>
    public byte[] Ocsp(X509Certificate2 certificate) =>
        _ocsp.Respond(OcspRequestBuilder.Build(certificate, Pki.IntermediateCertificate));

    /// <summary>An RFC 3161 token (ContentInfo DER) from the approved TSA over SHA-256 <paramref name="hash"/>, made now.</summary>
    public byte[] TimeStamp(byte[] hash)
    {
        var request = TimeStampRequestFactory.Create(hash, HashAlgorithmName.SHA256);
        var token = TimeStampVerifier.ExtractToken(_authority.Respond(request.Encode()));
        return token.IsValid ? token.Value.ToArray() : throw new InvalidOperationException($"The TSA refused: {token}");
    }

    /// <summary>A batch signature over <paramref name="head"/>, as the proxies make it (a batch of three, this head in the middle).</summary>
    public byte[] Sign(byte[] head, X509Certificate2 signer)
    {
        var digests = new ReadOnlyMemory<byte>[] { RandomNumberGenerator.GetBytes(32), RequestHash.SigningDigest(head), RandomNumberGenerator.GetBytes(32) };
        var signatures = BatchSigner.Sign(digests, content => CmsDetachedSigner.Sign(content, signer, Time.GetUtcNow(), [Pki.IntermediateCertificate]));
        return BatchSignatureEncoding.Encode(signatures[1]);
    }

    /// <summary>
    /// Logs one exchange on the provider's server (server side): the request, signed by
    /// <paramref name="requestSigner"/> (the consumer by default), then its response signed by the provider,
    /// or an error record when <paramref name="error"/>. Returns the two sequences.
    /// </summary>
    public async Task<(long Request, long Response)> LogExchangeAsync(
        bool logBodies = true,
        bool error = false,
        X509Certificate2? requestSigner = null,
        X509Certificate2? requestOcspFor = null)
    {
        var n = Interlocked.Increment(ref _exchanges);
        var requestId = Guid.NewGuid();
        var messageId = "msg-" + n.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var requestBody = System.Text.Encoding.UTF8.GetBytes($"{{\"question\":{n},\"text\":\"{new string('q', 300)}\"}}");
        var requestDigest = SHA512.HashData(requestBody);
        var requestHead = HeadCodec.Encode(new RestRequestHead
        {
            Method = "POST",
            Service = ServiceId.Parse(Service),
            Target = "/echo",
            Client = ClientId.Parse(Client),
            MessageId = messageId,
            RequestId = requestId,
            UserId = "EE12345678901",
            BodyLength = requestBody.Length,
            BodyDigest = requestDigest,
        });
        var signer = requestSigner ?? ConsumerSigner;
        var request = new MessageRecord
        {
            Side = RecordSide.Server,
            Kind = RecordKind.Request,
            MessageId = messageId,
            RequestId = requestId,
            ClientId = Client,
            ServiceId = Service,
            At = Time.GetUtcNow(),
            UserId = "EE12345678901",
            Head = requestHead,
            Signature = Sign(requestHead, signer),
            Ocsp = Ocsp(requestOcspFor ?? signer),
            BodyDigest = requestDigest,
            BodyLength = requestBody.Length,
            Body = logBodies ? requestBody : (ReadOnlyMemory<byte>?)null,
        };
        var requestSequence = await AppendAsync(request);
        Time.Advance(TimeSpan.FromMilliseconds(40));

        MessageRecord response;
        if (error)
        {
            response = request with
            {
                Kind = RecordKind.Response,
                At = Time.GetUtcNow(),
                UserId = null,
                HttpStatus = 502,
                ErrorCode = "server.service_failed",
                Head = ReadOnlyMemory<byte>.Empty,
                Signature = ReadOnlyMemory<byte>.Empty,
                Ocsp = ReadOnlyMemory<byte>.Empty,
                BodyDigest = SHA512.HashData(ReadOnlySpan<byte>.Empty),
                BodyLength = 0,
                Body = null,
            };
        }
        else
        {
            var responseBody = System.Text.Encoding.UTF8.GetBytes($"{{\"answer\":{n}}}");
            var responseDigest = SHA512.HashData(responseBody);
            var responseHead = HeadCodec.Encode(new RestResponseHead
            {
                Status = 200,
                Service = ServiceId.Parse(Service),
                Client = ClientId.Parse(Client),
                MessageId = messageId,
                RequestId = requestId,
                RequestHash = RequestHash.Compute(requestHead, requestDigest, requestBody.Length),
                BodyLength = responseBody.Length,
                BodyDigest = responseDigest,
            });
            response = new MessageRecord
            {
                Side = RecordSide.Server,
                Kind = RecordKind.Response,
                MessageId = messageId,
                RequestId = requestId,
                ClientId = Client,
                ServiceId = Service,
                At = Time.GetUtcNow(),
                HttpStatus = 200,
                Head = responseHead,
                Signature = Sign(responseHead, ProviderSigner),
                Ocsp = Ocsp(ProviderSigner),
                BodyDigest = responseDigest,
                BodyLength = responseBody.Length,
                Body = logBodies ? responseBody : (ReadOnlyMemory<byte>?)null,
            };
        }

        var responseSequence = await AppendAsync(response);
        Time.Advance(TimeSpan.FromMilliseconds(40));
        return (requestSequence, responseSequence);
    }

    /// <summary>Makes a checkpoint of everything logged so far, signed by the owner and stamped by the TSA.</summary>
    public async Task<long> CheckpointAsync()
    {
        Time.Advance(TimeSpan.FromSeconds(1));
        var result = await _integrator.IntegrateOnceAsync();
        if (result.Failed || result.StampedCheckpoint is null)
        {
            throw new InvalidOperationException($"Integration failed: {result}");
        }

        return result.StampedCheckpoint.Value;
    }

    /// <summary>Marks a record's body as erased by retention, as the retention run does (body NULL, body_state 1).</summary>
    public void EraseBody(long sequence)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DatabasePath, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE record SET body = NULL, body_state = 1 WHERE seq = $seq;";
        command.Parameters.AddWithValue("$seq", sequence);
        command.ExecuteNonQuery();
    }

    /// <summary>The bundle of <paramref name="sequences"/>, made exactly as the security server's route makes it.</summary>
    public EvidenceBundle Bundle(params long[] sequences)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        using var proofs = MessageLogProofs.Open(DatabasePath, TimeSpan.FromSeconds(2));
        var checkpoint = proofs.OldestStampedCheckpointCovering(sequences.Max())
            ?? throw new InvalidOperationException("No stamped checkpoint covers the records yet.");
        var records = sequences.Select(s => Store.Get(s) ?? throw new InvalidOperationException($"No record {s}.")).ToList();
        var inclusion = sequences.Select(s => proofs.InclusionProof(s, checkpoint.TreeSize).Value ?? throw new InvalidOperationException($"No proof for {s}.")).ToList();
        return EvidenceBundleBuilder.Build(records, inclusion, Trust(), null, Time.GetUtcNow(), proofs.ErasedBodies(sequences));
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _integrator.Dispose();
        await Store.DisposeAsync();
        await _tsa.DisposeAsync();
        Federation.Dispose();
        Pki.Dispose();
        Directory.Dispose();
    }

    private async Task<long> AppendAsync(MessageRecord record)
    {
        var result = await Store.AppendAsync(record, CancellationToken.None);
        return result.IsSuccess ? result.Sequence : throw new InvalidOperationException($"Append failed: {result.Failure} {result.Message}");
    }
}
