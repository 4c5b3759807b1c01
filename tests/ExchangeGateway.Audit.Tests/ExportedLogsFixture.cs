using System.Text.Json;
using ExchangeGateway.Common.Crypto.Merkle;
using ExchangeGateway.MessageLog.Evidence;
using ExchangeGateway.MessageLog.Records;
using ExchangeGateway.MessageLog.Tests.Support;
using ExchangeGateway.Testing.Tools;

namespace ExchangeGateway.Audit.Tests;

/// <summary>
/// Files an auditor is handed: the client side's (ss2) and the provider side's (ss1) exports of one run (records
/// after each side's first checkpoint); both exports of a second run in which the provider side logged nothing of
/// exchange 7; the federation's anchor; and Central Server witness statements of the provider's checkpoint, one
/// of them of a rewritten log.
/// </summary>
public sealed class ExportedLogsFixture : IAsyncLifetime
{
    private readonly TempDirectory _directory = new();
    private ExchangeLogs? _logs;

    public string ClientExport => _directory.File("ss2.xgwl");

    public string ProviderExport => _directory.File("ss1.xgwl");

    public string SecondClientExport => _directory.File("ss2-second.xgwl");

    public string ProviderExportWithoutExchange7 => _directory.File("ss1-without-7.xgwl");

    public string Anchor => _directory.File("anchor.json");

    public string Witness => _directory.File("witness.json");

    public string ForgedWitness => _directory.File("forged-witness.json");

    public long ProviderFrom { get; private set; }

    public long ProviderTo { get; private set; }

    public string File(string name) => _directory.File(name);

    public async Task InitializeAsync()
    {
        _logs = await ExchangeLogs.CreateAsync();
        var client = _logs.Open("ss2", provider: false);
        var provider = _logs.Open("ss1", provider: true);
        var secondClient = _logs.Open("ss2-second", provider: false);
        var gap = _logs.Open("ss1-gap", provider: true);
        await _logs.ExchangeAsync(client, provider, 1, 2);
        await _logs.ExchangeAsync(secondClient, gap, 1, 2);
        var clientFrom = await client.CheckpointAsync();
        ProviderFrom = await provider.CheckpointAsync();
        var secondClientFrom = await secondClient.CheckpointAsync();
        var gapFrom = await gap.CheckpointAsync();
        _logs.Context.Time.Advance(TimeSpan.FromMinutes(2));
        await _logs.ExchangeAsync(client, provider, 3, 10, batch: 4, receipts: true);
        await _logs.ExchangeAsync(secondClient, gap, 3, 10, batch: 4, receipts: true, skip: (i, side, _) => i == 7 && side == RecordSide.Server);
        _logs.Context.Time.Advance(TimeSpan.FromMinutes(2));
        var clientTo = await client.CheckpointAsync();
        ProviderTo = await provider.CheckpointAsync();
        var secondClientTo = await secondClient.CheckpointAsync();
        var gapTo = await gap.CheckpointAsync();

        await ExportAsync(client, clientFrom, clientTo, ClientExport);
        await ExportAsync(provider, ProviderFrom, ProviderTo, ProviderExport);
        await ExportAsync(secondClient, secondClientFrom, secondClientTo, SecondClientExport);
        await ExportAsync(gap, gapFrom, gapTo, ProviderExportWithoutExchange7);
        await System.IO.File.WriteAllBytesAsync(Anchor, _logs.Trust.AnchorBytes);
        WriteWitness(Witness, _logs.Witness(provider, ProviderTo));
        WriteWitness(ForgedWitness, _logs.Witness(provider, ProviderTo, MerkleHasher.HashLeaf("another history"u8)));
    }

    public async Task DisposeAsync()
    {
        if (_logs is not null)
        {
            await _logs.DisposeAsync();
        }

        _directory.Dispose();
    }

    /// <summary>A copy of the provider's export with record <paramref name="sequence"/>'s body changed in one byte.</summary>
    public string ProviderExportWithFlippedBody(long sequence)
    {
        var lines = System.IO.File.ReadAllText(ProviderExport).Split('\n');
        var index = (int)(sequence - ProviderFrom);
        var line = JsonDocument.Parse(lines[index]).RootElement;
        Assert.Equal(sequence, line.GetProperty("sequence").GetInt64());
        var body = line.GetProperty("body").GetBytesFromBase64();
        body[0] ^= 0x80;
        lines[index] = lines[index].Replace(line.GetProperty("body").GetString()!, Convert.ToBase64String(body), StringComparison.Ordinal);
        var path = File($"ss1-flipped-{sequence}.xgwl");
        System.IO.File.WriteAllText(path, string.Join('\n', lines));
        return path;
    }

    private async Task ExportAsync(ExchangeLogs.LogSide side, long from, long to, string path)
    {
        await using var output = System.IO.File.Create(path);
        var written = await LogExportWriter.WriteAsync(side.DatabasePath, from, to, _logs!.Trust.Evidence(), [], output);
        Assert.True(written.IsSuccess, written.ToString());
    }

    private static void WriteWitness(string path, (ReadOnlyMemory<byte> Statement, ReadOnlyMemory<byte> Signature) witness) =>
        System.IO.File.WriteAllText(path, $"{{\"statement\":\"{Convert.ToBase64String(witness.Statement.Span)}\",\"signature\":\"{Convert.ToBase64String(witness.Signature.Span)}\"}}");
}
