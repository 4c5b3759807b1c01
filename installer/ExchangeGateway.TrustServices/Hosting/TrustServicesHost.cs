using ExchangeGateway.Common.Crypto.Ocsp;
using ExchangeGateway.TrustServices.Ca;
using ExchangeGateway.TrustServices.Ocsp;
using ExchangeGateway.TrustServices.Tsa;
using Microsoft.Extensions.Options;

namespace ExchangeGateway.TrustServices.Hosting;

/// <summary>
/// Builds the dev trust-services application: CA, OCSP responder and TSA on one loopback port.
/// <c>Program.cs</c> only calls this, and tests call it with a temporary data directory.
/// </summary>
public static partial class TrustServicesHost
{
    /// <summary>The default listen address: loopback only.</summary>
    public const string DefaultUrl = "http://127.0.0.1:4300";

    /// <summary>Builds the application; <paramref name="configure"/> lets tests swap the clock or settings.</summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        // The content root is the application folder, not the working directory: configuration files are
        // watched for changes under the content root, and a working directory holding message logs and
        // databases would wake every process on every write (it cost tens of µs per exchange).
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        var urls = builder.Configuration["urls"];
        if (string.IsNullOrEmpty(urls))
        {
            urls = DefaultUrl;
            builder.WebHost.UseUrls(DefaultUrl);
        }

        // Issued certificates name the OCSP responder; unless told otherwise, that is where we listen.
        var publicUrlKey = $"{TrustServicesOptions.Section}:{nameof(TrustServicesOptions.PublicUrl)}";
        if (string.IsNullOrEmpty(builder.Configuration[publicUrlKey]))
        {
            builder.Configuration[publicUrlKey] = urls.Split(';', StringSplitOptions.RemoveEmptyEntries)[0];
        }

        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = 1024 * 1024;
            k.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(10);
        });
        builder.Services.AddOptions<TrustServicesOptions>()
            .Bind(builder.Configuration.GetSection(TrustServicesOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<TrustServicesOptions>>().Value;
            Directory.CreateDirectory(options.DataDirectory);
            return IssuedCertificateStore.OpenInDirectory(options.DataDirectory);
        });
        builder.Services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<TrustServicesOptions>>().Value;
            return DevTrustMaterial.LoadOrCreate(options.DataDirectory, sp.GetRequiredService<TimeProvider>(), options, sp.GetRequiredService<IssuedCertificateStore>());
        });
        configure?.Invoke(builder);

        var app = builder.Build();
        var opts = app.Services.GetRequiredService<IOptions<TrustServicesOptions>>().Value;
        var time = app.Services.GetRequiredService<TimeProvider>();
        var store = app.Services.GetRequiredService<IssuedCertificateStore>();
        var material = app.Services.GetRequiredService<DevTrustMaterial>();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("ExchangeGateway.TrustServices");
        if (material.Created)
        {
            LogCreated(logger, Path.GetFullPath(opts.DataDirectory));
        }

        LogStarting(logger, Path.GetFullPath(Path.Combine(opts.DataDirectory, DevTrustMaterial.BundlePem)), Path.GetFullPath(Path.Combine(opts.DataDirectory, DevTrustMaterial.TsaPem)));

        app.MapGet("/health/live", () => Results.Text("live"));
        app.MapGet("/health/ready", () => store.IsReadable() ? Results.Text("ready") : Results.Text("CA database unreadable", statusCode: 503));
        app.MapCertificateAuthority(material, store, opts, time);
        app.MapTimeStamping("/tsa", new TimeStampAuthority(material.Tsa, time));
        app.MapOcsp("/ocsp", new OcspResponder(material.Intermediate.Certificate, material.OcspResponder, serial => LookUpStatus(store, serial), time, opts.OcspValidity));
        return app;
    }

    /// <summary>The OCSP answer for one serial: unknown when never issued here, else good or revoked as recorded.</summary>
    private static CertificateStatusEntry? LookUpStatus(IssuedCertificateStore store, byte[] serial)
    {
        var entry = store.Find(serial);
        if (entry is null)
        {
            return null;
        }

        return entry.RevokedAt is { } at
            ? CertificateStatusEntry.Revoked(at, entry.RevocationReason is { } r ? (OcspRevocationReason)r : null)
            : CertificateStatusEntry.Good;
    }

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Created dev CA, OCSP responder and TSA keys in {DataDirectory}")]
    private static partial void LogCreated(ILogger logger, string dataDirectory);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Dev trust services ready; CA bundle {CaBundle}, TSA certificate {TsaCertificate}")]
    private static partial void LogStarting(ILogger logger, string caBundle, string tsaCertificate);
}
