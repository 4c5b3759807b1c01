using System.Text;
using System.Xml;

namespace ExchangeGateway.Quickstart.Echo;

/// <summary>
/// The WSDL 1.1 description of <see cref="EchoSoapService"/>: SOAP 1.1, document/literal wrapped (each
/// operation's input and output a single element named after it), the X-Road header fields declared as
/// <c>soap:header</c> parts of every input and output, and <c>xrd:version</c> on each binding operation,
/// as X-Road service WSDLs have them.
/// </summary>
/// <remarks>
/// X-Road's own WSDLs import <c>http://x-road.eu/xsd/xroad.xsd</c> by URL. This one declares the header
/// elements it uses inline instead, so no tool reading it (a SOAP client generator, the gateway's
/// description reader) has to fetch anything.
/// </remarks>
internal static class EchoWsdl
{
    private const string Wsdl = "http://schemas.xmlsoap.org/wsdl/";
    private const string WsdlSoap = "http://schemas.xmlsoap.org/wsdl/soap/";
    private const string Xsd = "http://www.w3.org/2001/XMLSchema";
    private const string Name = "quickstartEcho";

    private static readonly string[] HeaderParts = ["client", "service", "id", "userId", "issue", "protocolVersion"];

    private static readonly (string Operation, string Documentation, string Input, string Output)[] Operations =
    [
        (EchoSoapService.HelloService, "Answers a greeting for the name given.", "name", "message"),
        (EchoSoapService.EchoData, "Answers the data given, unchanged.", "data", "data"),
    ];

    /// <summary>The document, UTF-8, with <c>soap:address</c> <paramref name="address"/>.</summary>
    public static byte[] Write(string address)
    {
        using var output = new MemoryStream();
        var settings = new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true, IndentChars = "  " };
        using (var w = XmlWriter.Create(output, settings))
        {
            w.WriteStartDocument();
            w.WriteStartElement("wsdl", "definitions", Wsdl);
            w.WriteAttributeString("name", Name);
            w.WriteAttributeString("targetNamespace", EchoSoapService.Namespace);
            w.WriteAttributeString("xmlns", "soap", null, WsdlSoap);
            w.WriteAttributeString("xmlns", "xsd", null, Xsd);
            w.WriteAttributeString("xmlns", "xrd", null, EchoSoapService.XRoadNamespace);
            w.WriteAttributeString("xmlns", "id", null, EchoSoapService.IdentifiersNamespace);
            w.WriteAttributeString("xmlns", "tns", null, EchoSoapService.Namespace);

            w.WriteStartElement("types", Wsdl);
            WriteIdentifiersSchema(w);
            WriteXRoadSchema(w);
            WriteServiceSchema(w);
            w.WriteEndElement();

            w.WriteStartElement("message", Wsdl);
            w.WriteAttributeString("name", "requestheader");
            foreach (var part in HeaderParts)
            {
                w.WriteStartElement("part", Wsdl);
                w.WriteAttributeString("name", part);
                w.WriteAttributeString("element", "xrd:" + part);
                w.WriteEndElement();
            }

            w.WriteEndElement();
            foreach (var (operation, _, _, _) in Operations)
            {
                foreach (var message in new[] { operation, operation + "Response" })
                {
                    w.WriteStartElement("message", Wsdl);
                    w.WriteAttributeString("name", message);
                    w.WriteStartElement("part", Wsdl);
                    w.WriteAttributeString("name", "body");
                    w.WriteAttributeString("element", "tns:" + message);
                    w.WriteEndElement();
                    w.WriteEndElement();
                }
            }

            w.WriteStartElement("portType", Wsdl);
            w.WriteAttributeString("name", Name + "PortType");
            foreach (var (operation, documentation, _, _) in Operations)
            {
                w.WriteStartElement("operation", Wsdl);
                w.WriteAttributeString("name", operation);
                w.WriteElementString("documentation", Wsdl, documentation);
                w.WriteStartElement("input", Wsdl);
                w.WriteAttributeString("message", "tns:" + operation);
                w.WriteEndElement();
                w.WriteStartElement("output", Wsdl);
                w.WriteAttributeString("message", "tns:" + operation + "Response");
                w.WriteEndElement();
                w.WriteEndElement();
            }

            w.WriteEndElement();

            w.WriteStartElement("binding", Wsdl);
            w.WriteAttributeString("name", Name + "Binding");
            w.WriteAttributeString("type", "tns:" + Name + "PortType");
            w.WriteStartElement("binding", WsdlSoap);
            w.WriteAttributeString("style", "document");
            w.WriteAttributeString("transport", "http://schemas.xmlsoap.org/soap/http");
            w.WriteEndElement();
            foreach (var (operation, _, _, _) in Operations)
            {
                w.WriteStartElement("operation", Wsdl);
                w.WriteAttributeString("name", operation);
                w.WriteStartElement("operation", WsdlSoap);
                w.WriteAttributeString("soapAction", string.Empty);
                w.WriteAttributeString("style", "document");
                w.WriteEndElement();
                w.WriteElementString("version", EchoSoapService.XRoadNamespace, EchoSoapService.ServiceVersion);
                foreach (var direction in new[] { "input", "output" })
                {
                    w.WriteStartElement(direction, Wsdl);
                    w.WriteStartElement("body", WsdlSoap);
                    w.WriteAttributeString("parts", "body");
                    w.WriteAttributeString("use", "literal");
                    w.WriteEndElement();
                    foreach (var part in HeaderParts)
                    {
                        w.WriteStartElement("header", WsdlSoap);
                        w.WriteAttributeString("message", "tns:requestheader");
                        w.WriteAttributeString("part", part);
                        w.WriteAttributeString("use", "literal");
                        w.WriteEndElement();
                    }

                    w.WriteEndElement();
                }

                w.WriteEndElement();
            }

            w.WriteEndElement();

            w.WriteStartElement("service", Wsdl);
            w.WriteAttributeString("name", Name + "Service");
            w.WriteStartElement("port", Wsdl);
            w.WriteAttributeString("name", Name + "Port");
            w.WriteAttributeString("binding", "tns:" + Name + "Binding");
            w.WriteStartElement("address", WsdlSoap);
            w.WriteAttributeString("location", address);
            w.WriteEndElement();
            w.WriteEndElement();
            w.WriteEndElement();

            w.WriteEndElement();
            w.WriteEndDocument();
        }

        return output.ToArray();
    }

    /// <summary>X-Road's identifier types (namespace <c>id</c>), the subset the header fields use.</summary>
    private static void WriteIdentifiersSchema(XmlWriter w)
    {
        StartSchema(w, EchoSoapService.IdentifiersNamespace);
        w.WriteAttributeString("attributeFormDefault", "qualified");

        w.WriteStartElement("simpleType", Xsd);
        w.WriteAttributeString("name", "XRoadObjectType");
        w.WriteStartElement("restriction", Xsd);
        w.WriteAttributeString("base", "xsd:string");
        foreach (var value in new[] { "MEMBER", "SUBSYSTEM", "SERVER", "GLOBALGROUP", "SERVICE" })
        {
            w.WriteStartElement("enumeration", Xsd);
            w.WriteAttributeString("value", value);
            w.WriteEndElement();
        }

        w.WriteEndElement();
        w.WriteEndElement();

        WriteIdentifierType(w, "XRoadClientIdentifierType", ["xRoadInstance", "memberClass", "memberCode"], ["subsystemCode"]);
        WriteIdentifierType(w, "XRoadServiceIdentifierType", ["xRoadInstance", "memberClass", "memberCode", "subsystemCode?", "serviceCode"], ["serviceVersion"]);
        w.WriteEndElement();
    }

    /// <summary>An identifier type: mandatory then optional parts in order (a trailing "?" marks an optional one in the middle), and id:objectType.</summary>
    private static void WriteIdentifierType(XmlWriter w, string name, string[] parts, string[] optionalTail)
    {
        w.WriteStartElement("complexType", Xsd);
        w.WriteAttributeString("name", name);
        w.WriteStartElement("sequence", Xsd);
        foreach (var part in parts.Concat(optionalTail.Select(p => p + "?")))
        {
            w.WriteStartElement("element", Xsd);
            w.WriteAttributeString("name", part.TrimEnd('?'));
            w.WriteAttributeString("type", "xsd:string");
            if (part.EndsWith('?'))
            {
                w.WriteAttributeString("minOccurs", "0");
            }

            w.WriteEndElement();
        }

        w.WriteEndElement();
        w.WriteStartElement("attribute", Xsd);
        w.WriteAttributeString("name", "objectType");
        w.WriteAttributeString("type", "id:XRoadObjectType");
        w.WriteAttributeString("use", "required");
        w.WriteEndElement();
        w.WriteEndElement();
    }

    /// <summary>The X-Road header elements (namespace <c>xrd</c>) the messages declare.</summary>
    private static void WriteXRoadSchema(XmlWriter w)
    {
        StartSchema(w, EchoSoapService.XRoadNamespace);
        w.WriteStartElement("import", Xsd);
        w.WriteAttributeString("namespace", EchoSoapService.IdentifiersNamespace);
        w.WriteEndElement();
        WriteElement(w, "client", "id:XRoadClientIdentifierType");
        WriteElement(w, "service", "id:XRoadServiceIdentifierType");
        foreach (var field in new[] { "id", "userId", "issue", "protocolVersion" })
        {
            WriteElement(w, field, "xsd:string");
        }

        w.WriteStartElement("element", Xsd);
        w.WriteAttributeString("name", "requestHash");
        w.WriteStartElement("complexType", Xsd);
        w.WriteStartElement("simpleContent", Xsd);
        w.WriteStartElement("extension", Xsd);
        w.WriteAttributeString("base", "xsd:string");
        w.WriteStartElement("attribute", Xsd);
        w.WriteAttributeString("name", "algorithmId");
        w.WriteAttributeString("type", "xsd:string");
        w.WriteEndElement();
        w.WriteEndElement();
        w.WriteEndElement();
        w.WriteEndElement();
        w.WriteEndElement();
        w.WriteEndElement();
    }

    /// <summary>The operations' wrapper elements (document/literal wrapped).</summary>
    private static void WriteServiceSchema(XmlWriter w)
    {
        StartSchema(w, EchoSoapService.Namespace);
        foreach (var (operation, _, input, output) in Operations)
        {
            WriteWrapper(w, operation, input);
            WriteWrapper(w, operation + "Response", output);
        }

        w.WriteEndElement();
    }

    private static void StartSchema(XmlWriter w, string targetNamespace)
    {
        w.WriteStartElement("schema", Xsd);
        w.WriteAttributeString("targetNamespace", targetNamespace);
        w.WriteAttributeString("elementFormDefault", "qualified");
    }

    private static void WriteWrapper(XmlWriter w, string name, string child)
    {
        w.WriteStartElement("element", Xsd);
        w.WriteAttributeString("name", name);
        w.WriteStartElement("complexType", Xsd);
        w.WriteStartElement("sequence", Xsd);
        WriteElement(w, child, "xsd:string");
        w.WriteEndElement();
        w.WriteEndElement();
        w.WriteEndElement();
    }

    private static void WriteElement(XmlWriter w, string name, string type)
    {
        w.WriteStartElement("element", Xsd);
        w.WriteAttributeString("name", name);
        w.WriteAttributeString("type", type);
        w.WriteEndElement();
    }
}
