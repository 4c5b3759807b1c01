using System.Globalization;

namespace ExchangeGateway.Quickstart.Federation;

/// <summary>One security server of the quickstart federation: who owns it, whom it hosts, its ports and folders.</summary>
internal sealed record SecurityServerPlan(
    string Name,
    string ServerId,
    string OwnerMemberId,
    string OwnerName,
    string ClientId,
    int AdminPort,
    int ClientProxyPort,
    int ClientProxyTlsPort,
    int ServerProxyPort,
    string DataDirectory,
    string LogPath)
{
    public string AdminUrl => Url("http", AdminPort);

    public string ClientProxyUrl => Url("http", ClientProxyPort);

    public string ClientProxyTlsUrl => Url("https", ClientProxyTlsPort);

    public string ServerProxyUrl => Url("https", ServerProxyPort);

    /// <summary>The address registered with the Central Server; peers connect to <c>https://{PublicAddress}</c>.</summary>
    public string PublicAddress => string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{ServerProxyPort}");

    public string ServerConfPath => Path.Combine(DataDirectory, "serverconf.json");

    /// <summary>The token PIN (mode 0600): the quickstart made it up; the server reads it at start (autologin).</summary>
    public string PinPath => Path.GetFullPath(Path.Combine(DataDirectory, "..", Name + ".pin"));

    private static string Url(string scheme, int port) => string.Create(CultureInfo.InvariantCulture, $"{scheme}://127.0.0.1:{port}");
}
