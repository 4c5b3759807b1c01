namespace ExchangeGateway.CentralServer.Commands;

/// <summary>Settings for offline commands, read the way the server reads them: appsettings, environment, command line.</summary>
internal static class OfflineConfiguration
{
    public static IConfiguration Load(IEnumerable<string> commandLine) =>
        new ConfigurationBuilder()
            .AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables()
            .AddCommandLine([.. commandLine])
            .Build();
}
