using System.Text;
using ExchangeGateway.Common.Identifiers;
using ExchangeGateway.SecurityServer.Registry;

namespace ExchangeGateway.SecurityServer.Tests.Registry;

/// <summary>SOAP services, versions and service descriptions in the local configuration (issue #5).</summary>
public sealed class SoapRegistryTests
{
    private const string WithSoap = """
        {
          "serverId": "DEV/GOV/70000001/ss1",
          "clients": [
            {
              "id": "DEV/GOV/70000001/hospital",
              "status": "saved",
              "connectionType": "http",
              "isCertificates": [],
              "services": [
                {
                  "code": "getPatient",
                  "version": "v1",
                  "type": "soap",
                  "descriptionId": "1",
                  "url": "http://127.0.0.1:9000/soap",
                  "enabled": true,
                  "connectTimeoutMs": 5000,
                  "readTimeoutMs": 30000,
                  "totalTimeoutMs": 60000,
                  "verifyTls": true,
                  "logBodies": true,
                  "endpoints": [],
                  "accessRights": [
                    {
                      "subject": "DEV/ORG/70000002/clinic"
                    }
                  ]
                },
                {
                  "code": "ping",
                  "type": "soap",
                  "url": "http://127.0.0.1:9000/soap",
                  "enabled": true,
                  "connectTimeoutMs": 5000,
                  "readTimeoutMs": 30000,
                  "totalTimeoutMs": 60000,
                  "verifyTls": true,
                  "logBodies": true,
                  "endpoints": [],
                  "accessRights": []
                }
              ],
              "descriptions": [
                {
                  "id": "1",
                  "type": "wsdl",
                  "source": "http://127.0.0.1:9000/soap?wsdl",
                  "disabled": false,
                  "refreshedAt": "2025-01-31T12:00:00.000Z",
                  "documentSha256": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                }
              ]
            }
          ]
        }

        """;

    private static readonly SubsystemId Hospital = SubsystemId.Parse("DEV/GOV/70000001/hospital");

    [Fact]
    public void Read_SoapServiceWithVersionAndDescription_ReadsEveryFieldAndRoundTripsByteForByte()
    {
        var read = LocalConfigurationSerializer.Read(RegistrySamples.Utf8(WithSoap));

        Assert.True(read.Success, read.Message);
        var client = Assert.Single(read.Value.Clients);
        var service = client.Services[0];
        Assert.Equal((ServiceType.Soap, "v1", "1"), (service.Type, service.Version, service.DescriptionId));
        var description = Assert.Single(client.Descriptions);
        Assert.Equal(ServiceDescriptionType.Wsdl, description.Type);
        Assert.Equal("http://127.0.0.1:9000/soap?wsdl", description.Source);
        Assert.Equal(new DateTimeOffset(2025, 1, 31, 12, 0, 0, TimeSpan.Zero), description.RefreshedAt);
        Assert.Same(description, client.DescriptionOf(service));
        Assert.Null(client.DescriptionOf(client.Services[1]));
        Assert.Equal(WithSoap.ReplaceLineEndings("\n"), Encoding.UTF8.GetString(LocalConfigurationSerializer.Write(read.Value)));
    }

    [Fact]
    public void FindService_MatchesCodeAndVersion()
    {
        var local = LocalConfigurationSerializer.Read(RegistrySamples.Utf8(WithSoap)).GetValueOrThrow();

        Assert.NotNull(local.FindService(new ServiceId(Hospital, "getPatient", "v1")));
        Assert.Null(local.FindService(new ServiceId(Hospital, "getPatient")));
        Assert.Null(local.FindService(new ServiceId(Hospital, "getPatient", "v2")));
        Assert.Null(local.FindService(new ServiceId(Hospital, "getPatient", "V1")));
        Assert.NotNull(local.FindService(new ServiceId(Hospital, "ping")));
        Assert.Null(local.FindService(new ServiceId(Hospital, "ping", "v1")));
    }

    [Fact]
    public void Decide_SoapServiceWithVersion_IsFoundAndGrantedWhole()
    {
        var local = LocalConfigurationSerializer.Read(RegistrySamples.Utf8(WithSoap)).GetValueOrThrow();

        Assert.Equal(AccessDecision.Allowed, AccessControl.Decide(local, null, RegistrySamples.Clinic, new ServiceId(Hospital, "getPatient", "v1"), "POST", string.Empty));
        Assert.Equal(AccessDecision.UnknownService, AccessControl.Decide(local, null, RegistrySamples.Clinic, new ServiceId(Hospital, "getPatient"), "POST", string.Empty));
        Assert.Equal(AccessDecision.AccessDenied, AccessControl.Decide(local, null, RegistrySamples.Pharmacy, new ServiceId(Hospital, "getPatient", "v1"), "POST", string.Empty));
    }

    [Fact]
    public void Write_RestOnlyConfiguration_HasNoNewMembers()
    {
        var written = Encoding.UTF8.GetString(LocalConfigurationSerializer.Write(RegistrySamples.Configuration()));

        Assert.DoesNotContain("\"version\"", written, StringComparison.Ordinal);
        Assert.DoesNotContain("\"descriptionId\"", written, StringComparison.Ordinal);
        Assert.DoesNotContain("\"descriptions\"", written, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("listMethods")]
    [InlineData("allowedMethods")]
    [InlineData("getWsdl")]
    [InlineData("getOpenAPI")]
    [InlineData("listClients")]
    public void Read_ReservedCodeAsSoapService_IsRefused(string code)
    {
        var result = LocalConfigurationSerializer.Read(RegistrySamples.Utf8(WithSoap.Replace("\"ping\"", $"\"{code}\"", StringComparison.Ordinal)));

        Assert.False(result.Success);
        Assert.Contains($"the service code '{code}' is reserved for a metaservice", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_SameCodeWithTwoVersions_IsRefused()
    {
        var json = WithSoap.Replace("\"code\": \"ping\",", "\"code\": \"getPatient\", \"version\": \"v2\",", StringComparison.Ordinal);

        var result = LocalConfigurationSerializer.Read(RegistrySamples.Utf8(json));

        Assert.False(result.Success);
        Assert.Contains("has the service code 'getPatient' more than once (one version per code)", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WithDescription_ReplacesInPlaceOrAppends()
    {
        var client = LocalConfigurationSerializer.Read(RegistrySamples.Utf8(WithSoap)).GetValueOrThrow().Clients[0];
        var changed = client.Descriptions[0] with { Disabled = true };
        var added = changed with { Id = "2" };

        var next = client.WithDescription(changed).WithDescription(added);

        Assert.Equal(["1", "2"], next.Descriptions.Select(d => d.Id));
        Assert.True(next.FindDescription("1")!.Disabled);
        Assert.Null(next.FindDescription("3"));
    }
}
