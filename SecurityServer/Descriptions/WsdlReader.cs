using System.Collections.Immutable;
using System.Xml;
using ExchangeGateway.Common.Results;
using ExchangeGateway.Common.Xml;

namespace ExchangeGateway.SecurityServer.Descriptions;

/// <summary>
/// Reads the parts of a WSDL 1.1 document the gateway needs, with <see cref="SafeXml"/> (no DTD, no entity,
/// nothing fetched, limits while streaming): the binding operations with their optional X-Road
/// <c>xrd:version</c>, and the first SOAP address. <c>wsdl:import</c> and schema includes are noted, never
/// followed. Anything that is not a WSDL 1.1 <c>definitions</c> document is refused.
/// </summary>
public static class WsdlReader
{
    /// <summary>The WSDL 1.1 namespace.</summary>
    public const string WsdlNamespace = "http://schemas.xmlsoap.org/wsdl/";

    /// <summary>The WSDL 1.1 SOAP 1.1 binding namespace.</summary>
    public const string Soap11BindingNamespace = "http://schemas.xmlsoap.org/wsdl/soap/";

    /// <summary>The WSDL 1.1 SOAP 1.2 binding namespace.</summary>
    public const string Soap12BindingNamespace = "http://schemas.xmlsoap.org/wsdl/soap12/";

    /// <summary>X-Road's namespace, of <c>xrd:version</c>.</summary>
    public const string XRoadNamespace = "http://x-road.eu/xsd/xroad.xsd";

    private const string Wsdl20Namespace = "http://www.w3.org/ns/wsdl";

    /// <summary>
    /// Reads <paramref name="document"/>. XML failures carry <c>client.invalid_xml</c>; a document that is
    /// well-formed but not a usable WSDL carries <see cref="DescriptionErrors.InvalidDescription"/>.
    /// </summary>
    public static ParseResult<WsdlDescription> Read(ReadOnlyMemory<byte> document, XmlLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        return SafeXml.Read(document, limits, Parse);
    }

    private static ParseResult<WsdlDescription> Parse(XmlReader reader)
    {
        if (reader.MoveToContent() != XmlNodeType.Element)
        {
            return Fail("The document has no root element; it is not a WSDL.");
        }

        if (reader.NamespaceURI == Wsdl20Namespace)
        {
            return Fail("The document is WSDL 2.0; only WSDL 1.1 is supported.");
        }

        if (reader.NamespaceURI != WsdlNamespace || reader.LocalName != "definitions")
        {
            return Fail("The document is not a WSDL 1.1 document: its root element is not wsdl:definitions.");
        }

        var operations = new List<WsdlOperation>();
        var seen = new HashSet<(string, string?)>();
        string? address = null;
        var imports = false;
        string? top = null;       // local name of the current wsdl:* child of definitions
        string? operation = null; // name of the current binding operation
        string? version = null;
        var inPort = false;

        var more = reader.Read();
        while (more)
        {
            if (reader.NodeType == XmlNodeType.Element)
            {
                var depth = reader.Depth;
                var ns = reader.NamespaceURI;
                var name = reader.LocalName;
                if (depth == 1)
                {
                    top = ns == WsdlNamespace ? name : null;
                    imports |= top == "import";
                }
                else if (depth == 2 && top == "binding" && ns == WsdlNamespace && name == "operation")
                {
                    operation = reader.GetAttribute("name");
                    if (string.IsNullOrEmpty(operation))
                    {
                        return Fail("A binding operation has no name.");
                    }

                    version = null;
                    if (reader.IsEmptyElement)
                    {
                        Add(operations, seen, operation, null);
                        operation = null;
                    }
                }
                else if (depth == 3 && operation is not null && ns == XRoadNamespace && name == "version")
                {
                    version = reader.ReadElementContentAsString().Trim();
                    if (version.Length == 0)
                    {
                        return Fail($"The operation '{operation}' has an empty xrd:version.");
                    }

                    more = !reader.EOF;
                    continue;
                }
                else if (depth == 2 && top == "service" && ns == WsdlNamespace && name == "port")
                {
                    inPort = !reader.IsEmptyElement;
                }
                else if (depth == 3 && inPort && address is null && (ns == Soap11BindingNamespace || ns == Soap12BindingNamespace) && name == "address")
                {
                    address = reader.GetAttribute("location");
                }
            }
            else if (reader.NodeType == XmlNodeType.EndElement && reader.Depth == 2)
            {
                if (operation is not null)
                {
                    Add(operations, seen, operation, version);
                    operation = null;
                }

                inPort = false;
            }

            more = reader.Read();
        }

        if (operations.Count == 0)
        {
            return Fail(imports
                ? "The WSDL has no binding operations of its own; it imports other documents, which the gateway does not fetch. Inline them into one document."
                : "The WSDL has no binding operations.");
        }

        return ParseResult<WsdlDescription>.Ok(new WsdlDescription([.. operations], address, imports));
    }

    private static void Add(List<WsdlOperation> operations, HashSet<(string, string?)> seen, string name, string? version)
    {
        // A SOAP 1.1 and a SOAP 1.2 binding usually list the same operations; each service is listed once.
        if (seen.Add((name, version)))
        {
            operations.Add(new WsdlOperation(name, version));
        }
    }

    private static ParseResult<WsdlDescription> Fail(string message) => ParseResult<WsdlDescription>.Fail(DescriptionErrors.InvalidDescription, message);
}
