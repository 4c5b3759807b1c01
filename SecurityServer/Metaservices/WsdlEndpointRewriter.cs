using System.Text;
using System.Xml;
using ExchangeGateway.Common.Results;
using ExchangeGateway.Common.Xml;
using ExchangeGateway.SecurityServer.Descriptions;

namespace ExchangeGateway.SecurityServer.Metaservices;

/// <summary>
/// Hides the provider's own address in a WSDL served by <c>getWsdl</c> (PR-META §4): every
/// <c>soap:address</c> and <c>soap12:address</c> location becomes <see cref="HiddenEndpoint"/>. The
/// document is re-read with <see cref="SafeXml"/> and written anew (UTF-8, comments and processing
/// instructions dropped); its information set is otherwise unchanged.
/// </summary>
public static class WsdlEndpointRewriter
{
    /// <summary>The location X-Road puts in place of the real one.</summary>
    public const string HiddenEndpoint = "http://example.org/xroad-endpoint";

    /// <summary>The WSDL with its SOAP addresses replaced; an XML failure carries <c>client.invalid_xml</c>.</summary>
    public static ParseResult<byte[]> Rewrite(ReadOnlyMemory<byte> wsdl, XmlLimits limits) =>
        SafeXml.Read(wsdl, limits, reader =>
        {
            var buffer = new MemoryStream(wsdl.Length + 256);
            using (var w = XmlWriter.Create(buffer, new XmlWriterSettings { Encoding = new UTF8Encoding(false), NamespaceHandling = NamespaceHandling.Default }))
            {
                w.WriteStartDocument();
                while (reader.Read())
                {
                    switch (reader.NodeType)
                    {
                        case XmlNodeType.Element:
                            CopyElement(reader, w);
                            break;
                        case XmlNodeType.EndElement:
                            w.WriteFullEndElement();
                            break;
                        case XmlNodeType.Text:
                            w.WriteString(reader.Value);
                            break;
                        case XmlNodeType.CDATA:
                            w.WriteCData(reader.Value);
                            break;
                        case XmlNodeType.Whitespace:
                        case XmlNodeType.SignificantWhitespace:
                            if (reader.Depth > 0)
                            {
                                w.WriteWhitespace(reader.Value);
                            }

                            break;
                    }
                }

                w.WriteEndDocument();
            }

            return ParseResult<byte[]>.Ok(buffer.ToArray());
        });

    private static void CopyElement(XmlReader reader, XmlWriter w)
    {
        var isAddress = reader.LocalName == "address"
            && reader.NamespaceURI is WsdlReader.Soap11BindingNamespace or WsdlReader.Soap12BindingNamespace;
        var empty = reader.IsEmptyElement;
        w.WriteStartElement(reader.Prefix, reader.LocalName, reader.NamespaceURI);
        if (reader.MoveToFirstAttribute())
        {
            do
            {
                var value = isAddress && reader.LocalName == "location" && reader.NamespaceURI.Length == 0 ? HiddenEndpoint : reader.Value;
                w.WriteAttributeString(reader.Prefix, reader.LocalName, reader.NamespaceURI, value);
            }
            while (reader.MoveToNextAttribute());

            reader.MoveToElement();
        }

        if (empty)
        {
            w.WriteEndElement();
        }
    }
}
