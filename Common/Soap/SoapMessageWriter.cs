using System.Text;
using System.Xml;
using ExchangeGateway.Common.Identifiers;

namespace ExchangeGateway.Common.Soap;

/// <summary>
/// Writes X-Road 4.0 SOAP 1.1 messages the gateway composes itself (metaservice answers, tests): UTF-8
/// without a BOM, an XML declaration, prefixes <c>SOAP-ENV</c>, <c>xrd</c>, <c>id</c> and <c>repr</c>.
/// For trusted values: a value that XML cannot carry throws <see cref="ArgumentException"/>.
/// </summary>
public static class SoapMessageWriter
{
    private const string EnvelopePrefix = "SOAP-ENV";
    private const string XRoadPrefix = "xrd";
    private const string ReprPrefix = "repr";

    /// <summary>Where a field goes when <see cref="SoapHeader.Order"/> does not name it.</summary>
    private static readonly string[] DefaultOrder =
        ["client", "service", "securityServer", "id", "userId", "issue", "protocolVersion", "representedParty", "requestHash"];

    private static readonly XmlWriterSettings Settings = new()
    {
        Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
        Indent = false,
        CloseOutput = false,
    };

    /// <summary>
    /// A response envelope that echoes <paramref name="echo"/>'s header fields in their
    /// <see cref="SoapHeader.Order"/> (then any others in the default order), with <c>xrd:requestHash</c>
    /// when <see cref="SoapHeader.RequestHash"/> is set, and one Body element
    /// <paramref name="bodyLocalName"/> in <paramref name="bodyNamespace"/> (prefix <c>xrd</c> for the
    /// X-Road namespace, <c>prod</c> for another, none for the empty namespace) whose content
    /// <paramref name="writeBody"/> writes.
    /// </summary>
    public static byte[] WriteResponse(SoapHeader echo, string bodyLocalName, string bodyNamespace, Action<XmlWriter> writeBody) =>
        Write(echo, bodyLocalName, bodyNamespace, writeBody, response: true);

    /// <summary>
    /// A request envelope with <paramref name="header"/>'s fields (<see cref="SoapHeader.RequestHash"/> is
    /// never written in a request) and one Body element, as for <see cref="WriteResponse"/>.
    /// </summary>
    public static byte[] WriteRequest(SoapHeader header, string bodyLocalName, string bodyNamespace, Action<XmlWriter> writeBody) =>
        Write(header, bodyLocalName, bodyNamespace, writeBody, response: false);

    private static byte[] Write(SoapHeader header, string bodyLocalName, string bodyNamespace, Action<XmlWriter> writeBody, bool response)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentException.ThrowIfNullOrEmpty(bodyLocalName);
        ArgumentNullException.ThrowIfNull(bodyNamespace);
        ArgumentNullException.ThrowIfNull(writeBody);

        using var stream = new MemoryStream();
        using (var w = XmlWriter.Create(stream, Settings))
        {
            w.WriteStartDocument();
            w.WriteStartElement(EnvelopePrefix, "Envelope", SoapNamespaces.Envelope11);
            w.WriteAttributeString("xmlns", XRoadPrefix, null, SoapNamespaces.XRoad);
            w.WriteAttributeString("xmlns", IdentifierXml.DefaultPrefix, null, SoapNamespaces.Identifiers);
            w.WriteStartElement(EnvelopePrefix, "Header", SoapNamespaces.Envelope11);

            var written = new HashSet<string>(StringComparer.Ordinal);
            foreach (var name in header.Order.Concat(DefaultOrder))
            {
                if (written.Add(name))
                {
                    WriteField(w, header, name, response);
                }
            }

            w.WriteEndElement();
            w.WriteStartElement(EnvelopePrefix, "Body", SoapNamespaces.Envelope11);
            var prefix = bodyNamespace.Length == 0 ? null : bodyNamespace == SoapNamespaces.XRoad ? XRoadPrefix : "prod";
            w.WriteStartElement(prefix, bodyLocalName, bodyNamespace);
            writeBody(w);
            w.WriteEndElement();
            w.WriteEndElement();
            w.WriteEndElement();
            w.WriteEndDocument();
        }

        return stream.ToArray();
    }

    private static void WriteField(XmlWriter w, SoapHeader h, string name, bool response)
    {
        switch (name)
        {
            case "client":
                IdentifierXml.WriteClient(w, XRoadPrefix, "client", SoapNamespaces.XRoad, h.Client);
                break;
            case "service" when h.Service is not null:
                IdentifierXml.WriteService(w, XRoadPrefix, "service", SoapNamespaces.XRoad, h.Service);
                break;
            case "securityServer" when h.SecurityServer is not null:
                IdentifierXml.WriteSecurityServer(w, XRoadPrefix, "securityServer", SoapNamespaces.XRoad, h.SecurityServer);
                break;
            case "id":
                w.WriteElementString(XRoadPrefix, "id", SoapNamespaces.XRoad, h.Id);
                break;
            case "userId" when h.UserId is not null:
                w.WriteElementString(XRoadPrefix, "userId", SoapNamespaces.XRoad, h.UserId);
                break;
            case "issue" when h.Issue is not null:
                w.WriteElementString(XRoadPrefix, "issue", SoapNamespaces.XRoad, h.Issue);
                break;
            case "protocolVersion":
                w.WriteElementString(XRoadPrefix, "protocolVersion", SoapNamespaces.XRoad, h.ProtocolVersion);
                break;
            case "representedParty" when h.RepresentedParty is not null:
                w.WriteStartElement(ReprPrefix, "representedParty", SoapNamespaces.RepresentedParty);
                if (h.RepresentedParty.PartyClass is not null)
                {
                    w.WriteElementString(ReprPrefix, "partyClass", SoapNamespaces.RepresentedParty, h.RepresentedParty.PartyClass);
                }

                w.WriteElementString(ReprPrefix, "partyCode", SoapNamespaces.RepresentedParty, h.RepresentedParty.PartyCode);
                w.WriteEndElement();
                break;
            case "requestHash" when response && h.RequestHash is not null:
                w.WriteStartElement(XRoadPrefix, "requestHash", SoapNamespaces.XRoad);
                w.WriteAttributeString("algorithmId", h.RequestHashAlgorithm ?? SoapRequestHash.AlgorithmId);
                w.WriteString(h.RequestHash);
                w.WriteEndElement();
                break;
        }
    }
}
