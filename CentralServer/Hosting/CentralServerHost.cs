using System.Threading.RateLimiting;
using ExchangeGateway.CentralServer.Api;
using ExchangeGateway.CentralServer.Audit;
using ExchangeGateway.CentralServer.Auth;
using ExchangeGateway.CentralServer.Errors;
using ExchangeGateway.CentralServer.Management;
using ExchangeGateway.CentralServer.Publication;
using ExchangeGateway.CentralServer.Registration;
using ExchangeGateway.CentralServer.Storage;
using ExchangeGateway.CentralServer.Witnessing;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.Options;

namespace ExchangeGateway.CentralServer.Hosting;

/// <summary>
/// Builds the Central Server application: registry database, admin API on its own port, health endpoints.
/// <c>Program.cs</c> only calls this; tests call it with a temporary data directory and port 0.
/// </summary>
public static class CentralServerHost
{
    /// <summary>Builds the application; <paramref name="configure"/> lets tests swap the clock, console or settings.</summary>
    /// <exception cref="OptionsValidationException">A setting is missing or invalid.</exception>
    /// <exception cref="InvalidOperationException">The data directory belongs to another instance.</exception>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        // The content root is the application folder, not the working directory: configuration files are
        // watched for changes under the content root, and a working directory holding message logs and
        // databases would wake every process on every write (it cost tens of µs per exchange).
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.Services.AddOptions<CentralServerOptions>()
            .Bind(builder.Configuration.GetSection(CentralServerOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        var publicationOptions = new PublicationOptions();
        builder.Configuration.GetSection(PublicationOptions.Section).Bind(publicationOptions);
        var separatePorts = string.IsNullOrEmpty(builder.Configuration["urls"]);
        if (separatePorts)
        {
            // Production shape: the admin API and the public configuration download on their own ports.
            // Tests pass one --urls and get both on it.
            var adminUrl = builder.Configuration[$"{CentralServerOptions.Section}:{nameof(CentralServerOptions.AdminUrl)}"] is { Length: > 0 } url ? url : "http://127.0.0.1:4100";
            if (Uri.TryCreate(adminUrl, UriKind.Absolute, out var admin)
                && Uri.TryCreate(publicationOptions.ConfigurationUrl, UriKind.Absolute, out var download)
                && admin.Port == download.Port)
            {
                // The download port admits only public paths, so sharing it would lock out the admin API.
                throw new InvalidOperationException($"CentralServer:AdminUrl ({adminUrl}) and CentralServer:Publication:ConfigurationUrl ({publicationOptions.ConfigurationUrl}) must use different ports.");
            }

            builder.WebHost.UseUrls(adminUrl, publicationOptions.ConfigurationUrl);
        }

        builder.Services.AddOptions<PublicationOptions>()
            .Bind(builder.Configuration.GetSection(PublicationOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => o.Validity >= 2 * o.GenerationInterval, "CentralServer:Publication:Validity must be at least twice GenerationInterval, so configuration never expires between generations")
            .ValidateOnStart();

        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            // The per-endpoint cap (MaxRequestBytes) is tighter; this bounds everything else.
            k.Limits.MaxRequestBodySize = 1024 * 1024;
            k.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(10);
        });
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(ConsoleOutput.Standard);
        builder.Services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<CentralServerOptions>>().Value;
            return RegistryDatabase.OpenOrCreate(options.DataDirectory, options.InstanceId, sp.GetRequiredService<TimeProvider>());
        });
        builder.Services.AddSingleton<Registry>();
        builder.Services.AddSingleton<ApiKeyStore>();
        builder.Services.AddSingleton<AuditLog>();
        builder.Services.AddSingleton<ApiKeyAuthentication>();
        builder.Services.AddSingleton(sp => sp.GetRequiredService<IOptions<PublicationOptions>>().Value);
        builder.Services.AddSingleton(sp => new PublicationStore(sp.GetRequiredService<IOptions<CentralServerOptions>>().Value.DataDirectory));
        builder.Services.AddSingleton(sp => new SigningKeyManager(
            sp.GetRequiredService<PublicationStore>(),
            sp.GetRequiredService<IOptions<CentralServerOptions>>().Value.DataDirectory,
            sp.GetRequiredService<Registry>().InstanceId,
            sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton<ConfigurationPublisher>();
        builder.Services.AddOptions<ManagementOptions>()
            .Bind(builder.Configuration.GetSection(ManagementOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddOptions<WitnessOptions>()
            .Bind(builder.Configuration.GetSection(WitnessOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(ManagementServiceEndpoint.RateLimitPolicy, context =>
            {
                var perMinute = context.RequestServices.GetRequiredService<IOptions<ManagementOptions>>().Value.RequestsPerMinutePerAddress;
                return RateLimitPartition.GetFixedWindowLimiter(
                    context.Connection.RemoteIpAddress?.ToString() ?? "-",
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 });
            });
            limiter.AddPolicy(WitnessEndpoints.RateLimitPolicy, context =>
            {
                var perMinute = context.RequestServices.GetRequiredService<IOptions<WitnessOptions>>().Value.RequestsPerMinutePerAddress;
                return RateLimitPartition.GetFixedWindowLimiter(
                    context.Connection.RemoteIpAddress?.ToString() ?? "-",
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 });
            });
            limiter.OnRejected = async (rejected, token) =>
                await ApiResults.Problem(FailureKind.RateLimited, "Too many requests from this address; try again in a minute.")
                    .ExecuteAsync(rejected.HttpContext).ConfigureAwait(false);
        });
        builder.Services.AddSingleton<ManagementRequestVerifier>();
        builder.Services.AddSingleton<ManagementRequestStore>();
        builder.Services.AddMetrics();
        builder.Services.AddSingleton<WitnessMetrics>();
        builder.Services.AddSingleton<WitnessStore>();
        builder.Services.AddSingleton<WitnessService>();
        builder.Services.AddHostedService<PublicationService>();
        configure?.Invoke(builder);

        var app = builder.Build();
        var options = app.Services.GetRequiredService<IOptions<CentralServerOptions>>().Value;
        var db = app.Services.GetRequiredService<RegistryDatabase>();
        var registry = app.Services.GetRequiredService<Registry>();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("ExchangeGateway.CentralServer");
        if (db.Created)
        {
            Log.Initialised(logger, db.InstanceId, Path.GetFullPath(options.DataDirectory));
        }

        EnsureInitialAdministratorKey(app.Services.GetRequiredService<ApiKeyStore>(), app.Services.GetRequiredService<ConsoleOutput>(), logger);
        app.Services.GetRequiredService<SigningKeyManager>().EnsureInitialKey();

        // Publish before listening, so the download URL never answers "nothing yet" after a start.
        app.Services.GetRequiredService<ConfigurationPublisher>().PublishIfDue();
        Log.Starting(logger, registry.InstanceId, registry.Version, db.FilePath);

        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandler = async context =>
            {
                var error = context.Features.Get<IExceptionHandlerPathFeature>();
                Log.Unhandled(logger, error?.Error ?? new InvalidOperationException("unknown"), context.Request.Method, error?.Path ?? "-");
                await ApiResults.Problem(FailureKind.Internal, "An unexpected failure; see the server log.").ExecuteAsync(context).ConfigureAwait(false);
            },
        });
        if (separatePorts)
        {
            var downloadPort = new Uri(publicationOptions.ConfigurationUrl).Port;
            app.Use((context, next) =>
            {
                // The download port is public: it serves signed configuration, health, the management
                // service and witnessing (whose requests authenticate themselves by signature), nothing else.
                var onDownloadPort = context.Connection.LocalPort == downloadPort;
                var isDownload = context.Request.Path.StartsWithSegments("/globalconf", StringComparison.Ordinal)
                    || context.Request.Path.StartsWithSegments("/health", StringComparison.Ordinal)
                    || context.Request.Path.StartsWithSegments(ManagementServiceEndpoint.Path, StringComparison.Ordinal)
                    || context.Request.Path.StartsWithSegments(WitnessEndpoints.Path, StringComparison.Ordinal);
                if (onDownloadPort && !isDownload)
                {
                    context.Response.StatusCode = StatusCodes.Status404NotFound;
                    return Task.CompletedTask;
                }

                return next(context);
            });
        }

        app.UseRouting();
        app.UseRateLimiter();
        var guard = app.Services.GetRequiredService<ApiKeyAuthentication>();
        app.Use(guard.InvokeAsync);

        app.MapGet("/health/live", () => Results.Text("live"));
        app.MapGet("/health/ready", () => db.IsReadable() ? Results.Text("ready") : Results.Text("database unreadable", statusCode: StatusCodes.Status503ServiceUnavailable));
        app.MapAdminApi();
        app.MapPublication();
        app.MapManagementService();
        app.MapWitness();
        return app;
    }

    /// <summary>
    /// Creates and prints a system-administrator key when no key was ever created: on first start, and
    /// also if a first start died before it got this far. Revoked keys count, so later starts never print.
    /// </summary>
    private static void EnsureInitialAdministratorKey(ApiKeyStore keys, ConsoleOutput console, ILogger logger)
    {
        if (keys.List().Count > 0)
        {
            return;
        }

        var created = keys.Create(Actor.Initialisation, "initial-administrator", [Role.SystemAdministrator]);
        if (!created.Success)
        {
            throw new InvalidOperationException($"Could not create the initial API key: {created.Failure.Message}");
        }

        console.PrintKey(
            "Central Server initialised. Initial SYSTEM ADMINISTRATOR API key:",
            created.Value!.Info.Id,
            Roles.Name(Role.SystemAdministrator),
            created.Value.Key);
        Log.InitialKeyCreated(logger, created.Value.Info.Id);
    }
}
