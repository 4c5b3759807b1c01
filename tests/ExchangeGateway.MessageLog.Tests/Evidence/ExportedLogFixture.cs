using System.Text;
using ExchangeGateway.MessageLog.Evidence;
using ExchangeGateway.MessageLog.Tests.Support;

namespace ExchangeGateway.MessageLog.Tests.Evidence;

/// <summary>
/// The provider's log of 20 exchanges (40 records) with stamped checkpoints at 10, 24 and 40, closed (one
/// database file), and its export of records 11 to 40 with witness statements of 24 and 40. Tests tamper
/// with copies of the export's lines or of the database.
/// </summary>
public sealed class ExportedLogFixture : IAsyncLifetime
{
    private ExchangeLogs? _logs;

    internal ExchangeLogs Logs => _logs!;

    internal ExchangeLogs.LogSide Provider { get; private set; } = null!;

    public string DatabasePath => Provider.DatabasePath;

    public IReadOnlyList<(ReadOnlyMemory<byte> Statement, ReadOnlyMemory<byte> Signature)> Witnesses { get; private set; } = [];

    public byte[] Export { get; private set; } = [];

    public LogExportWriteResult Written { get; private set; } = null!;

    public TimeProvider Time => Logs.Context.Time;

    public EvidenceTrust Trust => Logs.Trust.Evidence();

    public byte[] AnchorBytes => Logs.Trust.AnchorBytes;

    /// <summary>The export's lines without their LFs: [0] the header, [k] record 10 + k, [^1] the end line.</summary>
    public List<string> Lines() => [.. Encoding.UTF8.GetString(Export).Split('\n')[..^1]];

    public async Task InitializeAsync()
    {
        _logs = await ExchangeLogs.CreateAsync();
        Provider = Logs.Open("ss1", provider: true);
        await Logs.ExchangeAsync(null, Provider, 1, 5, batch: 3);
        Assert.Equal(10, await Provider.CheckpointAsync());
        await Logs.ExchangeAsync(null, Provider, 6, 7, batch: 4);
        Assert.Equal(24, await Provider.CheckpointAsync());
        await Logs.ExchangeAsync(null, Provider, 13, 8, batch: 8);
        Assert.Equal(40, await Provider.CheckpointAsync());
        Witnesses = [Logs.Witness(Provider, 24), Logs.Witness(Provider, 40)];
        await Provider.Store.DisposeAsync();

        using var output = new MemoryStream();
        Written = await LogExportWriter.WriteAsync(DatabasePath, 10, 40, Trust, Witnesses, output, new LogExportWriterOptions { Time = Time });
        Export = output.ToArray();
    }

    public async Task DisposeAsync()
    {
        if (_logs is not null)
        {
            await _logs.DisposeAsync();
        }
    }
}
