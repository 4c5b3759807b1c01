using System.Security.Cryptography.X509Certificates;
using ExchangeGateway.Common.Crypto.Cms;
using ExchangeGateway.Common.Identifiers;
using ExchangeGateway.MessageLog.Integration;
using ExchangeGateway.MessageLog.Storage;
using ExchangeGateway.MessageLog.Verification;
using ExchangeGateway.Testing.Pki;
using ExchangeGateway.Testing.Time;
using ExchangeGateway.Testing.Tools;
using ExchangeGateway.TrustServices.Tsa;
using Microsoft.Extensions.Logging.Abstractions;

namespace ExchangeGateway.MessageLog.Tests.Support;

/// <summary>
/// A temp directory, a manual clock, a test PKI with the server's signing certificate, and (on demand) the
/// real TSA on loopback: everything a store and an integrator need.
/// </summary>
internal sealed class LogTestContext : IAsyncDisposable
{
    public const string ServerId = "DEV/GOV/70000001/ss1";

    private readonly List<IAsyncDisposable> _owned = [];

    public LogTestContext(DateTimeOffset? start = null)
    {
        Time = new ManualTimeProvider(start ?? new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        Pki = TestPki.Create(Time);
        Signer = Pki.IssueSigning("DEV", "GOV", "70000001");
    }

    public ManualTimeProvider Time { get; }

    public TempDirectory Directory { get; } = new();

    public TestPki Pki { get; }

    public X509Certificate2 Signer { get; }

    public string DatabasePath => Directory.File("log/messagelog.db");

    public TimeSpan Period { get; set; } = TimeSpan.FromHours(4);

    public SwitchableTsa? Tsa { get; private set; }

    public MessageLogOptions Options(Func<MessageLogOptions, MessageLogOptions>? change = null)
    {
        var options = new MessageLogOptions { DatabasePath = DatabasePath, TimeStampFailurePeriod = () => Period, BusyTimeout = TimeSpan.FromSeconds(1) };
        return change is null ? options : change(options);
    }

    public MessageLogStore OpenStore(Func<MessageLogOptions, MessageLogOptions>? change = null)
    {
        var store = MessageLogStore.Open(Options(change), Time, NullLogger.Instance);
        _owned.Add(store);
        return store;
    }

    public async Task<SwitchableTsa> StartTsaAsync()
    {
        Tsa = await SwitchableTsa.StartAsync(new TimeStampAuthority(Pki.Tsa, Time));
        _owned.Add(Tsa);
        return Tsa;
    }

    public Task<byte[]> SignAsync(byte[] content, CancellationToken cancellationToken) =>
        Task.FromResult(CmsDetachedSigner.Sign(content, Signer, Time.GetUtcNow(), [Pki.IntermediateCertificate]));

    public IReadOnlyList<TsaEndpoint> Tsas() => Tsa is null ? [] : [new TsaEndpoint(Tsa.Url, PublicTsaCertificate)];

    public X509Certificate2 PublicTsaCertificate => X509CertificateLoader.LoadCertificate(Pki.Tsa.RawData);

    public LogIntegrator Integrator(
        MessageLogStore store,
        Func<byte[], CancellationToken, Task<byte[]>>? sign = null,
        Func<IReadOnlyList<TsaEndpoint>>? tsas = null,
        Func<LogIntegratorOptions, LogIntegratorOptions>? change = null)
    {
        var options = new LogIntegratorOptions { ServerId = SecurityServerId.Parse(ServerId), TsaTimeout = TimeSpan.FromSeconds(5) };
        var integrator = new LogIntegrator(store, change is null ? options : change(options), sign ?? SignAsync, tsas ?? Tsas, Time, NullLogger.Instance);
        _owned.Add(new DisposableAdapter(integrator));
        return integrator;
    }

    public MessageLogVerifierOptions VerifierOptions(bool withTrust = true) => withTrust
        ? new MessageLogVerifierOptions
        {
            SigningAnchors = [Pki.RootCertificate],
            SigningIntermediates = [Pki.IntermediateCertificate],
            TsaCertificates = [PublicTsaCertificate],
            ServerId = ServerId,
            Time = Time,
        }
        : new MessageLogVerifierOptions { Time = Time };

    public async ValueTask DisposeAsync()
    {
        for (var i = _owned.Count - 1; i >= 0; i--)
        {
            await _owned[i].DisposeAsync();
        }

        Pki.Dispose();
        Directory.Dispose();
    }

    private sealed class DisposableAdapter(IDisposable inner) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            inner.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
