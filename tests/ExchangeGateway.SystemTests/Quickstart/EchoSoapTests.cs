using System.Net;
using System.Net.Http.Headers;
using System.Xml;
using System.Xml.Linq;
using System.Xml.Schema;
using ExchangeGateway.SystemTests.Support;

namespace ExchangeGateway.SystemTests.Quickstart;

/// <summary>The echo provider's SOAP sample (<c>/soap</c>, <c>/soap?wsdl</c>) in its own process, called directly.</summary>
public sealed class EchoSoapTests(EchoProviderFixture echo) : IClassFixture<EchoProviderFixture>
{
    private static readonly XNamespace Wsdl = "http://schemas.xmlsoap.org/wsdl/";
    private static readonly XNamespace WsdlSoap = "http://schemas.xmlsoap.org/wsdl/soap/";
    private static readonly XNamespace Xsd = "http://www.w3.org/2001/XMLSchema";
    private static readonly XNamespace Soapenv = XRoadSoap.EnvelopeNamespace;
    private static readonly XNamespace Xrd = XRoadSoap.XRoadNamespace;
    private static readonly XNamespace Ech = XRoadSoap.EchoNamespace;

    [Fact]
    public async Task Wsdl_Get_IsDocumentLiteralWithXRoadHeadersAndTheSoapUrlAsAddress()
    {
        using var http = Client();

        using var response = await http.GetAsync(new Uri(echo.BaseAddress, "soap?wsdl"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/xml", response.Content.Headers.ContentType?.MediaType);
        var wsdl = XDocument.Parse(await response.Content.ReadAsStringAsync());
        var definitions = wsdl.Root!;
        Assert.Equal(Wsdl + "definitions", definitions.Name);
        Assert.Equal(XRoadSoap.EchoNamespace, (string?)definitions.Attribute("targetNamespace"));
        Assert.Equal(new Uri(echo.BaseAddress, "soap").ToString(), (string?)definitions.Descendants(WsdlSoap + "address").Single().Attribute("location"));

        var binding = definitions.Element(Wsdl + "binding")!;
        Assert.Equal("document", (string?)binding.Element(WsdlSoap + "binding")!.Attribute("style"));
        var operations = binding.Elements(Wsdl + "operation").ToList();
        Assert.Equal(["helloService", "echoData"], operations.Select(o => (string?)o.Attribute("name")));
        foreach (var operation in operations)
        {
            Assert.Equal("v1", (string?)operation.Element(Xrd + "version"));
            foreach (var direction in new[] { "input", "output" })
            {
                var message = operation.Element(Wsdl + direction)!;
                Assert.Equal("literal", (string?)message.Element(WsdlSoap + "body")!.Attribute("use"));
                Assert.Equal(["client", "service", "id", "userId", "issue", "protocolVersion"], message.Elements(WsdlSoap + "header").Select(h => (string?)h.Attribute("part")));
            }
        }

        // Wrapped: each operation's input and output message is one part, an element named after the operation.
        var messages = definitions.Elements(Wsdl + "message").ToDictionary(m => (string)m.Attribute("name")!);
        foreach (var name in new[] { "helloService", "helloServiceResponse", "echoData", "echoDataResponse" })
        {
            Assert.Equal("tns:" + name, (string?)messages[name].Elements(Wsdl + "part").Single().Attribute("element"));
        }

        Assert.Equal(["client", "service", "id", "userId", "issue", "protocolVersion"], messages["requestheader"].Elements(Wsdl + "part").Select(p => (string?)p.Attribute("name")));

        // The inline schemas compile together and declare every element the messages name: nothing to fetch.
        var schemas = new XmlSchemaSet { XmlResolver = null };
        foreach (var schema in definitions.Element(Wsdl + "types")!.Elements(Xsd + "schema"))
        {
            var copy = new XElement(schema);
            foreach (var ns in definitions.Attributes().Where(a => a.IsNamespaceDeclaration))
            {
                copy.SetAttributeValue(ns.Name, ns.Value);
            }

            using var reader = copy.CreateReader();
            schemas.Add(XmlSchema.Read(reader, (_, e) => Assert.Fail(e.Message))!);
        }

        schemas.Compile();
        foreach (var part in definitions.Elements(Wsdl + "message").Elements(Wsdl + "part"))
        {
            var element = (string)part.Attribute("element")!;
            var qualified = new XmlQualifiedName(element[(element.IndexOf(':', StringComparison.Ordinal) + 1)..], definitions.GetNamespaceOfPrefix(element[..element.IndexOf(':', StringComparison.Ordinal)])!.NamespaceName);
            Assert.True(schemas.GlobalElements.Contains(qualified), $"no schema declares {qualified}");
        }
    }

    [Fact]
    public async Task HelloService_EchoesEveryHeaderFieldInOrderAndGreets()
    {
        string[] header =
        [
            XRoadSoap.Field("id", "msg-1"),
            XRoadSoap.Field("userId", "EE12345678901"),
            XRoadSoap.Service(XRoadSoap.Provider, "helloService", "v1"),
            XRoadSoap.Client(XRoadSoap.Consumer),
            XRoadSoap.Field("issue", "case 7 & <8>"),
            "<repr:representedParty><repr:partyClass>COM</repr:partyClass><repr:partyCode>123</repr:partyCode></repr:representedParty>",
            XRoadSoap.Field("protocolVersion", "4.0"),
            "<other:note xmlns:other=\"urn:other\">not an X-Road field</other:note>",
        ];

        var (status, answer) = await PostAsync(XRoadSoap.Request(header, XRoadSoap.Hello("Ada")));

        Assert.Equal(HttpStatusCode.OK, status);
        var echoed = answer.Root!.Element(Soapenv + "Header")!.Elements().ToList();
        Assert.Equal(["id", "userId", "service", "client", "issue", "representedParty", "protocolVersion"], echoed.Select(e => e.Name.LocalName));
        Assert.Equal("case 7 & <8>", echoed[4].Value);
        Assert.Equal("DEVORG70000002providerhelloServicev1", echoed[2].Value);
        Assert.Equal("SERVICE", echoed[2].Attribute(XName.Get("objectType", XRoadSoap.IdentifiersNamespace))?.Value);
        Assert.Equal("Hello Ada! Greetings from the ExchangeGateway quickstart provider.", answer.Root.Element(Soapenv + "Body")!.Element(Ech + "helloServiceResponse")!.Element(Ech + "message")!.Value);
    }

    [Fact]
    public async Task EchoData_OneMebibyte_ComesBackUnchanged()
    {
        var data = string.Create(1024 * 1024, 0, (span, _) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = (char)('a' + (i % 26));
            }
        });

        var (status, answer) = await PostAsync(XRoadSoap.Request(XRoadSoap.Header("echoData", "msg-2"), XRoadSoap.EchoData(data)));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(data, answer.Root!.Element(Soapenv + "Body")!.Element(Ech + "echoDataResponse")!.Element(Ech + "data")!.Value);
    }

    [Theory]
    [InlineData("<!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;\">]><lolz>&lol2;</lolz>", "DTD")]
    [InlineData("<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\"><soapenv:Body/></soapenv:Envelope>", "Header")]
    [InlineData("not xml", "not well-formed")]
    public async Task BadRequest_AnswersClientFaultWithHttp500(string request, string expected)
    {
        var (status, answer) = await PostAsync(System.Text.Encoding.UTF8.GetBytes(request));

        Assert.Equal(HttpStatusCode.InternalServerError, status);
        var fault = answer.Root!.Element(Soapenv + "Body")!.Element(Soapenv + "Fault")!;
        Assert.Equal("soapenv:Client", fault.Element("faultcode")!.Value);
        Assert.Contains(expected, fault.Element("faultstring")!.Value, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownOperation_AnswersClientFaultNamingTheOperations()
    {
        var (status, answer) = await PostAsync(XRoadSoap.Request(XRoadSoap.Header("nope", "msg-3"), "<ech:nope/>"));

        Assert.Equal(HttpStatusCode.InternalServerError, status);
        Assert.Contains("helloService and echoData", answer.Root!.Descendants("faultstring").Single().Value, StringComparison.Ordinal);
    }

    private async Task<(HttpStatusCode Status, XDocument Answer)> PostAsync(byte[] soap)
    {
        using var http = Client();
        using var content = new ByteArrayContent(soap);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/xml") { CharSet = "utf-8" };
        using var response = await http.PostAsync(new Uri(echo.BaseAddress, "soap"), content);
        Assert.Equal("text/xml", response.Content.Headers.ContentType?.MediaType);
        return (response.StatusCode, XDocument.Parse(await response.Content.ReadAsStringAsync()));
    }

    private static HttpClient Client() => new(new SocketsHttpHandler { AllowAutoRedirect = false, UseProxy = false }) { Timeout = TimeSpan.FromSeconds(30) };
}
