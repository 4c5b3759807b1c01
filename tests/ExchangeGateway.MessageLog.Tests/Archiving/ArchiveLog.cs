using System.Formats.Tar;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ExchangeGateway.Common.Crypto.Merkle;
using ExchangeGateway.MessageLog.Archiving;
using ExchangeGateway.MessageLog.Integration;
using ExchangeGateway.MessageLog.Records;
using ExchangeGateway.MessageLog.Storage;
using ExchangeGateway.MessageLog.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace ExchangeGateway.MessageLog.Tests.Archiving;

/// <summary>
/// A message log for archive tests: records one minute apart from <see cref="Start"/> (request and response
/// pairs, every fifth without a logged body), signed and time-stamped checkpoints by the real integrator and
/// TSA, and what was written, to compare with what reads back.
/// </summary>
internal sealed class ArchiveLog : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private ArchiveLog(LogTestContext context)
    {
        Context = context;
    }

    public LogTestContext Context { get; }

    public MessageLogStore Store { get; private set; } = null!;

    public LogIntegrator Integrator { get; private set; } = null!;

    /// <summary>What was appended, by sequence (bodies included).</summary>
    public Dictionary<long, MessageRecord> Written { get; } = [];

    /// <summary>Leaf hashes as first stored, by sequence.</summary>
    public Dictionary<long, MerkleHash> Leaves { get; } = [];

    public string ArchiveDirectory => Store.ArchiveDirectory;

    public static async Task<ArchiveLog> CreateAsync(Func<MessageLogOptions, MessageLogOptions>? change = null)
    {
        var log = new ArchiveLog(new LogTestContext(Start));
        await log.Context.StartTsaAsync();
        log.Open(change);
        return log;
    }

    public void Open(Func<MessageLogOptions, MessageLogOptions>? change = null)
    {
        Store = Context.OpenStore(change);
        Integrator = Context.Integrator(Store);
    }

    /// <summary>Appends <paramref name="count"/> records; record n has <c>at</c> = <see cref="Start"/> + n minutes.</summary>
    public async Task AppendAsync(int count)
    {
        for (var k = 0; k < count; k++)
        {
            var sequence = Store.Count + 1;
            var i = (int)sequence;
            var at = Start.AddMinutes(i);
            var logBody = i % 5 != 0;
            var record = i % 2 == 1 ? SampleRecords.Request(i, at, logBody) : SampleRecords.Response(i - 1, at, logBody);
            var appended = await Store.AppendAsync(record);
            Assert.True(appended.IsSuccess, appended.ToString());
            Assert.Equal(sequence, appended.Sequence);
            Written[sequence] = record;
            Leaves[sequence] = RecordEncoding.LeafHash(sequence, record);
        }
    }

    /// <summary>Makes a checkpoint over everything appended and has it time-stamped.</summary>
    public async Task CheckpointAsync()
    {
        Context.Time.Advance(TimeSpan.FromSeconds(1));
        var pass = await Integrator.IntegrateOnceAsync();
        Assert.True(pass.Failure is null, pass.Failure);
        Assert.Equal(Store.Count, pass.StampedCheckpoint);
    }

    public MessageLogArchiver Archiver(Func<ArchiverOptions, ArchiverOptions>? change = null, Func<byte[], CancellationToken, Task<byte[]>>? sign = null)
    {
        var options = new ArchiverOptions { ServerId = Common.Identifiers.SecurityServerId.Parse(LogTestContext.ServerId) };
        return new MessageLogArchiver(Store, change is null ? options : change(options), sign ?? Context.SignAsync, Context.Time, NullLogger.Instance);
    }

    /// <summary>The records part of <paramref name="sequence"/>'s own: what the record was appended as, truncated to microseconds.</summary>
    public MessageRecord Expected(long sequence) => Written[sequence] with { At = LogTime.Truncate(Written[sequence].At) };

    /// <summary>The length of record <paramref name="sequence"/>'s canonical bytes.</summary>
    public int ExpectedCanonicalLength(long sequence) => RecordEncoding.Canonical(sequence, Written[sequence]).Length;

    /// <summary>Every record's inclusion proof against the newest stamped checkpoint verifies with that checkpoint's signed root.</summary>
    public void AssertEveryProofVerifies()
    {
        var latest = Store.GetLatestCheckpoint()!;
        Assert.NotNull(latest.Token);
        var signed = Checkpoint.Parse(latest.Content.Span).GetValueOrThrow();
        for (long sequence = 1; sequence <= latest.TreeSize; sequence++)
        {
            var served = Store.Proofs.InclusionProof(sequence, latest.TreeSize);
            Assert.True(served.IsSuccess, served.ToString());
            Assert.Equal(Leaves[sequence], served.Value!.LeafHash);
            var verified = MerkleProofs.VerifyInclusion(served.Value.LeafHash, served.Value.LeafIndex, latest.TreeSize, served.Value.Proof.ToArray(), signed.RootHash);
            Assert.True(verified.IsValid, $"record {sequence}: {verified}");
        }
    }

    public ArchiveVerifierOptions VerifierOptions(IReadOnlyList<X509Certificate2>? decryption = null) => new()
    {
        SigningAnchors = [Context.Pki.RootCertificate],
        SigningIntermediates = [Context.Pki.IntermediateCertificate],
        ServerId = LogTestContext.ServerId,
        DecryptionCertificates = decryption,
    };

    public string ArchivePath(long id) => Path.Combine(ArchiveDirectory, $"xgw-archive-{id}.xgwa");

    public ValueTask DisposeAsync() => Context.DisposeAsync();

    /// <summary>A self-signed RSA certificate with its key: an archive encryption recipient.</summary>
    public static X509Certificate2 RecipientCertificate(string name = "Archive Escrow")
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest($"CN={name}, O=ExchangeGateway Test", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyEncipherment, critical: true));
        return request.CreateSelfSigned(Start.AddDays(-1), Start.AddYears(10));
    }

    /// <summary>The parts of an archive file, in order.</summary>
    public static List<(string Name, byte[] Data)> ReadParts(string path)
    {
        var parts = new List<(string, byte[])>();
        using var file = File.OpenRead(path);
        using var tar = new TarReader(file);
        while (tar.GetNextEntry() is { } entry)
        {
            using var data = new MemoryStream();
            entry.DataStream?.CopyTo(data);
            parts.Add((entry.Name, data.ToArray()));
        }

        return parts;
    }

    /// <summary>Writes an archive file from its parts (as an attacker with the file, not the key, would).</summary>
    public static void WriteParts(string path, IEnumerable<(string Name, byte[] Data)> parts)
    {
        using var file = File.Create(path);
        using var tar = new TarWriter(file, TarEntryFormat.Ustar);
        foreach (var (name, data) in parts)
        {
            tar.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(data) });
        }
    }

    /// <summary>Changes one part of an archive file in place.</summary>
    public static void ChangePart(string path, string name, Func<byte[], byte[]> change)
    {
        var parts = ReadParts(path);
        var index = parts.FindIndex(p => p.Name == name);
        Assert.True(index >= 0, $"{path} has no part {name}");
        parts[index] = (name, change(parts[index].Data));
        WriteParts(path, parts);
    }

    /// <summary>
    /// Where each record's canonical bytes and body sit in a records part (the layout of MessageLog/README.md
    /// "Archives": magic, then per record u64 sequence, 32-byte leaf, u32 length + canonical, body byte, u64 length + body).
    /// </summary>
    public static Dictionary<long, (int Canonical, int Body)> Offsets(byte[] records)
    {
        var offsets = new Dictionary<long, (int, int)>();
        var position = "xgw-archive-records/v1\n".Length;
        while (position < records.Length)
        {
            var sequence = System.Buffers.Binary.BinaryPrimitives.ReadInt64BigEndian(records.AsSpan(position));
            position += 8 + 32;
            var length = (int)System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(records.AsSpan(position));
            var canonical = position + 4;
            position = canonical + length;
            var kind = records[position++];
            var body = -1;
            if (kind >= 2)
            {
                var bodyLength = (int)System.Buffers.Binary.BinaryPrimitives.ReadInt64BigEndian(records.AsSpan(position));
                body = position + 8;
                position = body + bodyLength + (kind == 3 ? 16 : 0);
            }

            offsets[sequence] = (canonical, body);
        }

        return offsets;
    }
}
