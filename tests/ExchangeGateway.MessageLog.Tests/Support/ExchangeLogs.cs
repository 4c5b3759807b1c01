using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ExchangeGateway.Common.Crypto.Batch;
using ExchangeGateway.Common.Crypto.Cms;
using ExchangeGateway.Common.Exchange;
using ExchangeGateway.Common.Identifiers;
using ExchangeGateway.MessageLog.Evidence;
using ExchangeGateway.MessageLog.Integration;
using ExchangeGateway.MessageLog.Records;
using ExchangeGateway.MessageLog.Storage;

namespace ExchangeGateway.MessageLog.Tests.Support;

/// <summary>
/// Real logs of real exchanges for evidence tests: a consumer's security server (ss2, client side) and the
/// provider's (ss1, server side), each with its own store and integrator, checkpoints signed by the server
/// owner's key and stamped by the loopback TSA. Request heads (HeadCodec) are batch-signed by the consumer
/// member, response heads by the provider member, and both servers log the same signed bytes, as the proxies do.
/// Public APIs only: the Audit tests compile this file too.
/// </summary>
internal sealed class ExchangeLogs : IAsyncDisposable
{
    public const string ProviderServer = LogTestContext.ServerId;
    public const string ConsumerServer = "DEV/ORG/70000002/ss2";
    public const string Client = "DEV/ORG/70000002/clinic";
    public const string Service = "DEV/GOV/70000001/consumer/echo";

    private ExchangeLogs(LogTestContext context)
    {
        Context = context;
        ConsumerSigner = context.Pki.IssueSigning("DEV", "ORG", "70000002");
        Trust = new EvidenceFederation(context.Pki, context.Time.GetUtcNow().AddHours(-1));
    }

    public LogTestContext Context { get; }

    public X509Certificate2 ProviderSigner => Context.Signer;

    public X509Certificate2 ConsumerSigner { get; }

    public EvidenceFederation Trust { get; }

    public static async Task<ExchangeLogs> CreateAsync()
    {
        var context = new LogTestContext();
        await context.StartTsaAsync();
        return new ExchangeLogs(context);
    }

    /// <summary>A server's log: <c>provider</c> (ss1, signed by the provider member) or <c>consumer</c> (ss2).</summary>
    public LogSide Open(string name, bool provider, MessageLogSynchronous synchronous = MessageLogSynchronous.Full)
    {
        var path = Context.Directory.File(name + "/messagelog.db");
        var store = Context.OpenStore(o => o with { DatabasePath = path, Synchronous = synchronous });
        var signer = provider ? ProviderSigner : ConsumerSigner;
        var server = provider ? ProviderServer : ConsumerServer;
        var integrator = Context.Integrator(
            store,
            sign: (content, _) => Task.FromResult(CmsDetachedSigner.Sign(content, signer, Context.Time.GetUtcNow(), [Context.Pki.IntermediateCertificate])),
            change: o => o with { ServerId = SecurityServerId.Parse(server) });
        return new LogSide(this, store, integrator, path, server);
    }

    /// <summary>
    /// Exchanges <paramref name="first"/> to <paramref name="first"/> + <paramref name="count"/> − 1 between the
    /// clinic (logged by <paramref name="client"/>) and the echo service (logged by <paramref name="provider"/>),
    /// request heads signed in batches of <paramref name="batch"/>, then response heads likewise. A null side logs
    /// nothing; <paramref name="skip"/> says which side leaves out which message of exchange i.
    /// </summary>
    public async Task<IReadOnlyList<Exchange>> ExchangeAsync(
        LogSide? client,
        LogSide? provider,
        int first,
        int count,
        int batch = 8,
        bool receipts = false,
        Func<int, RecordSide, RecordKind, bool>? skip = null,
        int bodySize = 256,
        Func<int, long, long>? receiptSequence = null)
    {
        skip ??= (_, _, _) => false;
        var done = new List<Exchange>();
        for (var start = first; start < first + count; start += batch)
        {
            var ids = Enumerable.Range(start, Math.Min(batch, first + count - start)).ToList();
            var requests = ids.Select(i => RequestHead(i, bodySize)).ToList();
            var requestSignatures = SignBatch(requests.Select(r => r.Head).ToList(), ConsumerSigner);
            var providerSequences = new Dictionary<int, long>();
            for (var k = 0; k < ids.Count; k++)
            {
                var i = ids[k];
                Context.Time.Advance(TimeSpan.FromMilliseconds(1));
                if (client is not null && !skip(i, RecordSide.Client, RecordKind.Request))
                {
                    await client.AppendAsync(Record(i, RecordSide.Client, RecordKind.Request, requests[k].Head, requestSignatures[k], requests[k].Body));
                }

                if (provider is not null && !skip(i, RecordSide.Server, RecordKind.Request))
                {
                    providerSequences[i] = await provider.AppendAsync(Record(i, RecordSide.Server, RecordKind.Request, requests[k].Head, requestSignatures[k], requests[k].Body));
                }
            }

            var responses = ids.Select((i, k) => ResponseHead(
                i,
                requests[k].Head,
                bodySize / 2,
                receipts && providerSequences.TryGetValue(i, out var s) ? receiptSequence?.Invoke(i, s) ?? s : null)).ToList();
            var responseSignatures = SignBatch(responses.Select(r => r.Head).ToList(), ProviderSigner);
            for (var k = 0; k < ids.Count; k++)
            {
                var i = ids[k];
                Context.Time.Advance(TimeSpan.FromMilliseconds(1));
                if (provider is not null && !skip(i, RecordSide.Server, RecordKind.Response))
                {
                    await provider.AppendAsync(Record(i, RecordSide.Server, RecordKind.Response, responses[k].Head, responseSignatures[k], responses[k].Body));
                }

                if (client is not null && !skip(i, RecordSide.Client, RecordKind.Response))
                {
                    await client.AppendAsync(Record(i, RecordSide.Client, RecordKind.Response, responses[k].Head, responseSignatures[k], responses[k].Body));
                }

                done.Add(new Exchange(i, RequestIdOf(i), requests[k].Head, responses[k].Head));
            }
        }

        return done;
    }

    public static Guid RequestIdOf(int i) => new(i, 0x7e57, 0x4000, 0x80, 0, 0, 0, 0, 0, 0, 2);

    public static string MessageIdOf(int i) => "msg-" + i.ToString(CultureInfo.InvariantCulture);

    /// <summary>A Central Server witness statement of <paramref name="side"/>'s checkpoint of <paramref name="size"/> (or a forged root), signed with the configuration-signing key the anchor pins.</summary>
    public (ReadOnlyMemory<byte> Statement, ReadOnlyMemory<byte> Signature) Witness(LogSide side, long size, Common.Crypto.Merkle.MerkleHash? root = null, X509Certificate2? signer = null)
    {
        var checkpoint = side.Checkpoints[size];
        var statement = new WitnessStatement(EvidenceFederation.Instance, side.Server, size, root ?? checkpoint.RootHash, checkpoint.CreatedAt, Context.Time.GetUtcNow()).Encode();
        return (statement, CmsDetachedSigner.Sign(statement, signer ?? Trust.ConfigurationSigner, Context.Time.GetUtcNow()));
    }

    public async ValueTask DisposeAsync()
    {
        Trust.Dispose();
        await Context.DisposeAsync();
    }

    private static (byte[] Head, byte[] Body) RequestHead(int i, int bodySize)
    {
        var body = Body(i, bodySize);
        var head = HeadCodec.Encode(new RestRequestHead
        {
            Method = "POST",
            Service = ServiceId.Parse(Service),
            Target = "/echo",
            Client = ClientId.Parse(Client),
            MessageId = MessageIdOf(i),
            RequestId = RequestIdOf(i),
            BodyLength = body.Length,
            BodyDigest = SHA512.HashData(body),
        });
        return (head, body);
    }

    /// <summary>A response head; with a receipt, the provider's <c>logReceipt</c> for the request logged as that sequence.</summary>
    private (byte[] Head, byte[] Body) ResponseHead(int i, byte[] requestHead, int bodySize, long? receipt)
    {
        var body = Body(-i, bodySize);
        var head = HeadCodec.Encode(new RestResponseHead
        {
            Status = 200,
            Service = ServiceId.Parse(Service),
            Client = ClientId.Parse(Client),
            MessageId = MessageIdOf(i),
            RequestId = RequestIdOf(i),
            RequestHash = RequestHash.Compute(requestHead, [], 0),
            LogReceipt = receipt is { } sequence ? new LogReceipt(SecurityServerId.Parse(ProviderServer), sequence, Context.Time.GetUtcNow().AddSeconds(5)) : null,
            BodyLength = body.Length,
            BodyDigest = SHA512.HashData(body),
        });
        return (head, body);
    }

    private static MessageRecord Record(int i, RecordSide side, RecordKind kind, byte[] head, byte[] signature, byte[] body) => new()
    {
        Side = side,
        Kind = kind,
        MessageId = MessageIdOf(i),
        RequestId = RequestIdOf(i),
        ClientId = Client,
        ServiceId = Service,
        At = DateTimeOffset.MinValue,
        HttpStatus = kind == RecordKind.Response ? 200 : null,
        Head = head,
        Signature = signature,
        BodyDigest = SHA512.HashData(body),
        BodyLength = body.Length,
        Body = body,
    };

    private byte[][] SignBatch(IReadOnlyList<byte[]> heads, X509Certificate2 signer)
    {
        var digests = heads.Select(h => (ReadOnlyMemory<byte>)RequestHash.SigningDigest(h)).ToList();
        var now = Context.Time.GetUtcNow();
        return [.. BatchSigner.Sign(digests, content => CmsDetachedSigner.Sign(content, signer, now, [Context.Pki.IntermediateCertificate])).Select(BatchSignatureEncoding.Encode)];
    }

    private static byte[] Body(int i, int size)
    {
        var body = new byte[size];
        new Random(i).NextBytes(body);
        return body;
    }

    public sealed record Exchange(int Index, Guid RequestId, byte[] RequestHead, byte[] ResponseHead);

    /// <summary>One server's log: its store, its integrator, and where the file is.</summary>
    public sealed class LogSide(ExchangeLogs owner, MessageLogStore store, LogIntegrator integrator, string path, string server)
    {
        public MessageLogStore Store { get; } = store;

        public string DatabasePath { get; } = path;

        public string Server { get; } = server;

        /// <summary>The checkpoints made by <see cref="CheckpointAsync"/>, by size (readable after the store is closed).</summary>
        public Dictionary<long, StoredCheckpoint> Checkpoints { get; } = [];

        /// <summary>Appends with the record time set to the log's clock now; returns the sequence.</summary>
        public async Task<long> AppendAsync(MessageRecord record)
        {
            var appended = await Store.AppendAsync(record with { At = owner.Context.Time.GetUtcNow() });
            Assert.True(appended.IsSuccess, appended.ToString());
            return appended.Sequence;
        }

        /// <summary>Appends the error record a proxy writes when exchange <paramref name="i"/> ended in <paramref name="code"/> (no signed response).</summary>
        public Task<long> AppendErrorAsync(int i, RecordSide side, string code) => AppendAsync(new MessageRecord
        {
            Side = side,
            Kind = RecordKind.Response,
            MessageId = MessageIdOf(i),
            RequestId = RequestIdOf(i),
            ClientId = Client,
            ServiceId = Service,
            At = DateTimeOffset.MinValue,
            HttpStatus = 502,
            ErrorCode = code,
            Head = ReadOnlyMemory<byte>.Empty,
            Signature = ReadOnlyMemory<byte>.Empty,
            BodyDigest = SHA512.HashData(ReadOnlySpan<byte>.Empty),
            BodyLength = 0,
        });

        /// <summary>A second later, makes a signed, stamped checkpoint of everything appended; returns its size.</summary>
        public async Task<long> CheckpointAsync()
        {
            owner.Context.Time.Advance(TimeSpan.FromSeconds(1));
            var pass = await integrator.IntegrateOnceAsync();
            Assert.Null(pass.Failure);
            var size = Store.Count;
            var checkpoint = Store.GetCheckpoint(size);
            Assert.NotNull(checkpoint?.Token);
            Checkpoints[size] = checkpoint;
            return size;
        }
    }
}
