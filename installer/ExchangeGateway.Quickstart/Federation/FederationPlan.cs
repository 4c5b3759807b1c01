using System.Globalization;
using ExchangeGateway.Quickstart.Echo;

namespace ExchangeGateway.Quickstart.Federation;

/// <summary>
/// The fixed shape of the quickstart federation: instance <c>DEV</c>, a consumer organisation behind ss1, a
/// provider organisation behind ss2 offering the REST service <c>echo</c> and the SOAP services
/// <c>helloService</c> and <c>echoData</c> (version <c>v1</c>, registered from the echo provider's WSDL), and every port and folder.
/// Ports follow ARCHITECTURE.md §11, offset by one per security server.
/// </summary>
internal sealed class FederationPlan
{
    public const string Instance = "DEV";
    public const string ConsumerMember = "DEV/GOV/70000001";
    public const string ConsumerClient = "DEV/GOV/70000001/consumer";
    public const string ProviderMember = "DEV/ORG/70000002";
    public const string ProviderClient = "DEV/ORG/70000002/provider";
    public const string ServiceCode = "echo";
    public const string ServiceId = ProviderClient + "/" + ServiceCode;
    public const string SoapServiceVersion = EchoSoapService.ServiceVersion;

    /// <summary>The SOAP operations of the echo provider's WSDL, each a service of the provider subsystem.</summary>
    public static readonly IReadOnlyList<string> SoapServiceCodes = [EchoSoapService.HelloService, EchoSoapService.EchoData];
    public const int TrustServicesPort = 4300;
    public const int CentralAdminPort = 4100;
    public const int CentralConfigurationPort = 4180;
    public const int EchoPort = 9000;

    public FederationPlan(string stateDirectory)
    {
        StateDirectory = Path.GetFullPath(stateDirectory);
        LogDirectory = Path.Combine(StateDirectory, "logs");
        TrustDirectory = Path.Combine(StateDirectory, "trust");
        CentralDirectory = Path.Combine(StateDirectory, "central");
        SecurityServers =
        [
            new SecurityServerPlan("ss1", "DEV/GOV/70000001/ss1", ConsumerMember, "Hospital (consumer organisation)", ConsumerClient, 4000, 8080, 8443, 5500, Path.Combine(StateDirectory, "ss1"), Path.Combine(LogDirectory, "ss1.log")),
            new SecurityServerPlan("ss2", "DEV/ORG/70000002/ss2", ProviderMember, "Provider organisation", ProviderClient, 4001, 8081, 8444, 5501, Path.Combine(StateDirectory, "ss2"), Path.Combine(LogDirectory, "ss2.log")),
        ];
    }

    public string StateDirectory { get; }

    public string LogDirectory { get; }

    public string TrustDirectory { get; }

    public string CentralDirectory { get; }

    public IReadOnlyList<SecurityServerPlan> SecurityServers { get; }

    public SecurityServerPlan Consumer => SecurityServers[0];

    public SecurityServerPlan Provider => SecurityServers[1];

    public string TrustServicesUrl => Loopback(TrustServicesPort);

    public string OcspUrl => TrustServicesUrl + "/ocsp";

    public string TsaUrl => TrustServicesUrl + "/tsa";

    public string CentralAdminUrl => Loopback(CentralAdminPort);

    public string CentralConfigurationUrl => Loopback(CentralConfigurationPort);

    public string EchoUrl => Loopback(EchoPort);

    /// <summary>The echo provider's SOAP endpoint, the <c>soap:address</c> of its WSDL.</summary>
    public string SoapUrl => EchoUrl + EchoSoapService.Path;

    /// <summary>Where ss2 fetches the WSDL from when it is registered.</summary>
    public string WsdlUrl => SoapUrl + "?wsdl";

    /// <summary>A ready helloService request (consumer → provider) for <c>curl --data-binary @…</c>.</summary>
    public string SoapRequestPath => Path.Combine(StateDirectory, "helloService-request.xml");

    public string AnchorPath => Path.Combine(StateDirectory, "anchor.json");

    public string FederationJsonPath => Path.Combine(StateDirectory, "federation.json");

    public string ApiKeysPath => Path.Combine(StateDirectory, "api-keys.json");

    /// <summary>The dev CA's root and issuing CA, for <c>curl --cacert</c> and <c>openssl -CAfile</c>.</summary>
    public string CaBundlePath => Path.Combine(TrustDirectory, "ca-bundle.pem");

    public string TsaCertificatePath => Path.Combine(TrustDirectory, "tsa.pem");

    /// <summary>Every port the federation listens on, with what it is, for the up-front "is it free" check.</summary>
    public IEnumerable<(int Port, string What)> Ports()
    {
        yield return (TrustServicesPort, "dev trust services");
        yield return (CentralAdminPort, "Central Server admin API");
        yield return (CentralConfigurationPort, "Central Server configuration download");
        yield return (EchoPort, "echo provider");
        foreach (var s in SecurityServers)
        {
            yield return (s.AdminPort, $"{s.Name} admin API");
            yield return (s.ClientProxyPort, $"{s.Name} client proxy (HTTP)");
            yield return (s.ClientProxyTlsPort, $"{s.Name} client proxy (HTTPS)");
            yield return (s.ServerProxyPort, $"{s.Name} server proxy");
        }
    }

    /// <summary><c>DEV/ORG/70000002/provider/{code}/v1</c>.</summary>
    public static string SoapServiceId(string code) => $"{ProviderClient}/{code}/{SoapServiceVersion}";

    private static string Loopback(int port) => string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}");
}
