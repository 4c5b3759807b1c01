using System.Text;
using System.Text.Json;
using System.Xml;
using ExchangeGateway.Common.Identifiers;
using ExchangeGateway.Common.Xml;
using ExchangeGateway.Config.Model;
using ExchangeGateway.SecurityServer.Descriptions;
using ExchangeGateway.SecurityServer.Metaservices;
using ExchangeGateway.SecurityServer.Registry;
using ExchangeGateway.SecurityServer.Tests.Descriptions;
using ExchangeGateway.SecurityServer.Tests.Registry;
using ExchangeGateway.Testing.Time;
using ExchangeGateway.Testing.Tools;

namespace ExchangeGateway.SecurityServer.Tests.Metaservices;

/// <summary>
/// The metaservice documents over a provider with a hand-made REST service (<c>records</c>), an OpenAPI
/// service (<c>pets</c>) and two SOAP services from a WSDL (<c>getPatient</c> v1, <c>ping</c>).
/// </summary>
public sealed class MetaservicesTests : IDisposable
{
    private static readonly SubsystemId Provider = RegistrySamples.Provider.AsSubsystem()!;
    private static readonly AccessSubject Clinic = AccessSubject.ForSubsystem(RegistrySamples.Clinic.AsSubsystem()!);

    private readonly TempDirectory _dir = new();
    private readonly LocalConfigurationStore _store;
    private readonly DescriptionDocuments _documents;
    private readonly GlobalConfiguration _global = RegistrySamples.Global() with
    {
        Members =
        [
            new MemberInfo(MemberId.Parse("DEV/GOV/70000001"), "Hospital & Co <Ltd>", ["hospital", "consumer"]),
            new MemberInfo(MemberId.Parse("DEV/ORG/70000002"), "Clinic", []),
        ],
    };

    public MetaservicesTests()
    {
        _store = new LocalConfigurationStore(_dir.Path);
        _store.CreateIfAbsent(LocalConfiguration.Create(RegistrySamples.ServerId, [new LocalClient { Id = RegistrySamples.Provider }]));
        _documents = new DescriptionDocuments(_dir.Path);
        using var http = new HttpClient();
        var descriptions = new ServiceDescriptions(_store, _documents, new DescriptionFetcher(http), new ManualTimeProvider());
        descriptions.AddAsync(RegistrySamples.Provider, new DescriptionRequest { Type = ServiceDescriptionType.Wsdl, Content = Encoding.UTF8.GetBytes(DescriptionSamples.Wsdl()) }).GetAwaiter().GetResult().Value!.ToString();
        descriptions.AddAsync(RegistrySamples.Provider, new DescriptionRequest { Type = ServiceDescriptionType.OpenApi3, Content = Encoding.UTF8.GetBytes(DescriptionSamples.OpenApiYaml), ServiceCode = "pets" }).GetAwaiter().GetResult().Value!.ToString();
        _store.Update(local =>
        {
            var client = local.FindClient(RegistrySamples.Provider)!;
            client = client
                .WithService(client.FindService("getPatient")! with { AccessRights = [new AccessRight(Clinic)] })
                .WithService(client.FindService("pets")! with { AccessRights = [new AccessRight(AccessSubject.ForGroup(RegistrySamples.Hospitals))] })
                .WithService(new LocalService
                {
                    Code = "records",
                    Url = "http://127.0.0.1:9000/records",
                    Endpoints = [new ServiceEndpoint("GET", PathGlob.Parse("/patients/*")), new ServiceEndpoint("POST", PathGlob.Parse("/patients"))],
                    AccessRights = [new AccessRight(Clinic, "GET", PathGlob.Parse("/patients/*")), new AccessRight(Clinic), new AccessRight(Clinic, "GET", PathGlob.Parse("/patients/*"))],
                });
            return LocalConfigurationChange.Commit(local.WithClient(client).GetValueOrThrow(), 0);
        });
    }

    private LocalConfiguration Local => _store.Current!;

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void ClientList_Xml_ListsMembersAndSubsystemsWithIdentifiersAndNames()
    {
        var xml = ClientListDocument.WriteXml(_global, null);

        using var reader = SafeXml.CreateReader(xml, XmlLimits.Default);
        reader.MoveToContent();
        Assert.Equal(("clientList", "http://x-road.eu/xsd/xroad.xsd"), (reader.LocalName, reader.NamespaceURI));
        var ids = new List<ClientId>();
        var names = new List<string>();
        while (reader.Read())
        {
            if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "id")
            {
                ids.Add(IdentifierXml.ReadClient(reader).GetValueOrThrow());
            }

            if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "name")
            {
                names.Add(reader.ReadElementContentAsString());
            }
        }

        Assert.Equal(["DEV/GOV/70000001", "DEV/GOV/70000001/hospital", "DEV/GOV/70000001/consumer", "DEV/ORG/70000002"], ids.Select(i => i.ToString()));
        Assert.Equal("Hospital & Co <Ltd>", names[0]);
        const string Start = "<?xml version=\"1.0\" encoding=\"utf-8\"?><xrd:clientList xmlns:id=\"http://x-road.eu/xsd/identifiers\" xmlns:xrd=\"http://x-road.eu/xsd/xroad.xsd\"><xrd:member><xrd:id id:objectType=\"MEMBER\">";
        Assert.Equal(Start, Encoding.UTF8.GetString(xml)[..Start.Length]);
    }

    [Fact]
    public void ClientList_Json_UsesTheSnakeCaseShape()
    {
        using var json = JsonDocument.Parse(ClientListDocument.WriteJson(_global, "DEV"));

        var members = json.RootElement.GetProperty("member");
        Assert.Equal(4, members.GetArrayLength());
        var subsystem = members[1];
        Assert.Equal("SUBSYSTEM", subsystem.GetProperty("id").GetProperty("object_type").GetString());
        Assert.Equal("DEV", subsystem.GetProperty("id").GetProperty("xroad_instance").GetString());
        Assert.Equal("GOV", subsystem.GetProperty("id").GetProperty("member_class").GetString());
        Assert.Equal("70000001", subsystem.GetProperty("id").GetProperty("member_code").GetString());
        Assert.Equal("hospital", subsystem.GetProperty("id").GetProperty("subsystem_code").GetString());
        Assert.Equal("Hospital & Co <Ltd>", subsystem.GetProperty("name").GetString());
        Assert.False(members[0].GetProperty("id").TryGetProperty("subsystem_code", out _));
    }

    [Fact]
    public void ClientList_OtherInstance_IsEmpty()
    {
        using var json = JsonDocument.Parse(ClientListDocument.WriteJson(_global, "EE"));

        Assert.Equal(0, json.RootElement.GetProperty("member").GetArrayLength());
    }

    [Fact]
    public void RestListMethods_ListsOnlyRestServicesWithAllEndpointsAndTheirType()
    {
        var result = RestMetaservices.ListMethods(Local, Provider);

        Assert.True(result.Success);
        using var json = JsonDocument.Parse(result.Value);
        var services = json.RootElement.GetProperty("service").EnumerateArray().ToArray();
        Assert.Equal(["pets", "records"], services.Select(s => s.GetProperty("service_code").GetString()));
        Assert.Equal(["OPENAPI", "REST"], services.Select(s => s.GetProperty("service_type").GetString()));
        Assert.Equal("SERVICE", services[1].GetProperty("object_type").GetString());
        Assert.Equal("hospital", services[1].GetProperty("subsystem_code").GetString());
        Assert.Equal(["GET /patients/*", "POST /patients"], services[1].GetProperty("endpoint_list").EnumerateArray().Select(e => $"{e.GetProperty("method").GetString()} {e.GetProperty("path").GetString()}"));
    }

    [Fact]
    public void RestAllowedMethods_TellsEachCallerOnlyWhatItMayCall()
    {
        var clinic = Services(RestMetaservices.AllowedMethods(Local, _global, Provider, RegistrySamples.Clinic).Value!);
        var lab = Services(RestMetaservices.AllowedMethods(Local, _global, Provider, RegistrySamples.Lab).Value!);
        var pharmacy = Services(RestMetaservices.AllowedMethods(Local, _global, Provider, RegistrySamples.Pharmacy).Value!);
        var labWithoutGlobal = Services(RestMetaservices.AllowedMethods(Local, null, Provider, RegistrySamples.Lab).Value!);

        Assert.Equal(["records: GET /patients/*, * /**"], clinic);
        Assert.Equal(["pets: * /**"], lab);
        Assert.Empty(pharmacy);
        Assert.Empty(labWithoutGlobal);
    }

    [Fact]
    public void RestMetaservices_UnknownProvider_IsUnknownService()
    {
        var other = SubsystemId.Parse("DEV/GOV/70000001/nobody");

        Assert.Equal(MetaserviceError.UnknownService, RestMetaservices.ListMethods(Local, other).Error);
        Assert.Equal(MetaserviceError.UnknownService, RestMetaservices.AllowedMethods(Local, _global, other, RegistrySamples.Clinic).Error);
        Assert.Equal(MetaserviceError.UnknownService, SoapMetaservices.ListMethods(Local, other).Error);
        Assert.Equal("unknown_service", MetaserviceErrors.Suffix(MetaserviceError.UnknownService));
        Assert.Equal("access_denied", MetaserviceErrors.Suffix(MetaserviceError.AccessDenied));
    }

    [Fact]
    public void GetOpenApi_CallerWithARight_GetsTheStoredDocumentAsYaml()
    {
        var result = RestMetaservices.GetOpenApi(Local, _global, _documents, Provider, "pets", RegistrySamples.Lab);

        Assert.True(result.Success, result.Message);
        Assert.Equal("text/yaml", result.Value.ContentType);
        Assert.Equal(DescriptionSamples.OpenApiYaml, Encoding.UTF8.GetString(result.Value.Content.Span));
    }

    [Theory]
    [InlineData("pets", "DEV/ORG/70000002/clinic", MetaserviceError.AccessDenied)]
    [InlineData("records", "DEV/ORG/70000002/clinic", MetaserviceError.UnknownService)]
    [InlineData("getPatient", "DEV/ORG/70000002/clinic", MetaserviceError.UnknownService)]
    [InlineData("nothing", "DEV/ORG/70000002/clinic", MetaserviceError.UnknownService)]
    public void GetOpenApi_NoRightOrNoOpenApiService_Fails(string code, string caller, MetaserviceError error)
    {
        var result = RestMetaservices.GetOpenApi(Local, _global, _documents, Provider, code, ClientId.Parse(caller));

        Assert.False(result.Success);
        Assert.Equal(error, result.Error);
    }

    [Fact]
    public void SoapListMethods_WritesOneServiceElementPerSoapServiceWithItsVersion()
    {
        var body = SoapMetaservices.ListMethodsBody(Local, Provider);

        Assert.True(body.Success);
        var ids = ReadServices(Wrap("listMethodsResponse", body.Value));
        Assert.Equal(["DEV/GOV/70000001/hospital/getPatient/v1", "DEV/GOV/70000001/hospital/ping"], ids.Select(i => i.ToString()));
    }

    [Fact]
    public void SoapAllowedMethods_ListsOnlyServicesTheCallerMayCall()
    {
        var clinic = ReadServices(Wrap("allowedMethodsResponse", SoapMetaservices.AllowedMethodsBody(Local, _global, Provider, RegistrySamples.Clinic).Value!));
        var lab = ReadServices(Wrap("allowedMethodsResponse", SoapMetaservices.AllowedMethodsBody(Local, _global, Provider, RegistrySamples.Lab).Value!));

        Assert.Equal(["DEV/GOV/70000001/hospital/getPatient/v1"], clinic.Select(i => i.ToString()));
        Assert.Empty(lab);
    }

    [Fact]
    public void GetWsdl_CallerWithARight_GetsTheWsdlWithTheEndpointHidden()
    {
        var result = SoapMetaservices.GetWsdl(Local, _global, _documents, Provider, "getPatient", "v1", RegistrySamples.Clinic);

        Assert.True(result.Success, result.Message);
        Assert.Equal("text/xml", result.Value.ContentType);
        var text = Encoding.UTF8.GetString(result.Value.Content.Span);
        Assert.Contains("location=\"http://example.org/xroad-endpoint\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("127.0.0.1:9000", text, StringComparison.Ordinal);
        var reread = WsdlReader.Read(result.Value.Content, XmlLimits.Default);
        Assert.True(reread.Success, reread.Message);
        Assert.Equal(2, reread.Value.Operations.Length);
    }

    [Theory]
    [InlineData("getPatient", null, "DEV/ORG/70000002/clinic", MetaserviceError.UnknownService)]
    [InlineData("getPatient", "v2", "DEV/ORG/70000002/clinic", MetaserviceError.UnknownService)]
    [InlineData("getPatient", "v1", "DEV/ORG/70000004/lab", MetaserviceError.AccessDenied)]
    [InlineData("ping", null, "DEV/ORG/70000002/clinic", MetaserviceError.AccessDenied)]
    [InlineData("pets", null, "DEV/ORG/70000004/lab", MetaserviceError.UnknownService)]
    public void GetWsdl_WrongVersionNoRightOrRestService_Fails(string code, string? version, string caller, MetaserviceError error)
    {
        var result = SoapMetaservices.GetWsdl(Local, _global, _documents, Provider, code, version, ClientId.Parse(caller));

        Assert.False(result.Success);
        Assert.Equal(error, result.Error);
    }

    [Fact]
    public void WsdlEndpointRewriter_Soap12AddressAndDtd()
    {
        var wsdl = "<d xmlns:s=\"http://schemas.xmlsoap.org/wsdl/soap12/\"><s:address location=\"http://10.0.0.1/x\" other=\"1\"/><a location=\"keep\"/></d>";

        var rewritten = Encoding.UTF8.GetString(WsdlEndpointRewriter.Rewrite(Encoding.UTF8.GetBytes(wsdl), XmlLimits.Default).GetValueOrThrow());

        Assert.Equal("<?xml version=\"1.0\" encoding=\"utf-8\"?><d xmlns:s=\"http://schemas.xmlsoap.org/wsdl/soap12/\"><s:address location=\"http://example.org/xroad-endpoint\" other=\"1\" /><a location=\"keep\" /></d>", rewritten);
        Assert.Equal("client.invalid_xml", WsdlEndpointRewriter.Rewrite(Encoding.UTF8.GetBytes("<!DOCTYPE d [<!ENTITY x \"y\">]><d>&x;</d>"), XmlLimits.Default).ErrorCode);
    }

    private static string[] Services(byte[] json)
    {
        using var document = JsonDocument.Parse(json);
        return [.. document.RootElement.GetProperty("service").EnumerateArray().Select(s =>
            $"{s.GetProperty("service_code").GetString()}: {string.Join(", ", s.GetProperty("endpoint_list").EnumerateArray().Select(e => $"{e.GetProperty("method").GetString()} {e.GetProperty("path").GetString()}"))}")];
    }

    private static byte[] Wrap(string wrapper, Action<XmlWriter> body)
    {
        var buffer = new MemoryStream();
        using (var w = XmlWriter.Create(buffer))
        {
            w.WriteStartElement("xrd", wrapper, SoapMetaservices.XRoadNamespace);
            body(w);
            w.WriteEndElement();
        }

        return buffer.ToArray();
    }

    private static List<ServiceId> ReadServices(byte[] xml)
    {
        using var reader = SafeXml.CreateReader(xml, XmlLimits.Default);
        var ids = new List<ServiceId>();
        reader.MoveToContent();
        reader.Read();
        while (reader.NodeType == XmlNodeType.Element)
        {
            Assert.Equal(("service", SoapMetaservices.XRoadNamespace), (reader.LocalName, reader.NamespaceURI));
            ids.Add(IdentifierXml.ReadService(reader).GetValueOrThrow());
        }

        return ids;
    }
}
