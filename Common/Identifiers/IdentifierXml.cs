using System.Text;
using System.Xml;
using ExchangeGateway.Common.Results;

namespace ExchangeGateway.Common.Identifiers;

/// <summary>
/// Reads and writes identifiers in X-Road's SOAP header form (namespace <see cref="NamespaceUri"/>):
/// an element with an <c>id:objectType</c> attribute and one child per part in the schema's order.
/// Reading works on the caller's <see cref="XmlReader"/> (whose settings carry the DTD, depth and size
/// limits) and never builds a DOM. Values are taken exactly as written: surrounding whitespace is not
/// trimmed and therefore fails the character rules.
/// </summary>
/// <remarks>
/// Every Read method expects the reader on the identifier's start tag. On success the reader is left on
/// the node after the identifier's end tag; on failure its position is unspecified and the message
/// should be abandoned. <see cref="XmlException"/> from the reader (malformed XML) is not caught: the
/// caller's message parser owns well-formedness.
/// </remarks>
public static class IdentifierXml
{
    /// <summary>X-Road's identifier namespace.</summary>
    public const string NamespaceUri = "http://x-road.eu/xsd/identifiers";

    /// <summary>The prefix used when the writer has none in scope for <see cref="NamespaceUri"/>.</summary>
    public const string DefaultPrefix = "id";

    private const string ObjectTypeAttribute = "objectType";
    private const string XmlnsNamespace = "http://www.w3.org/2000/xmlns/";

    private static readonly Shape ClientShape = new("client", IdentifierText.SubsystemParts, [true, true, true, false]);
    private static readonly Shape ServiceShape = new("service", IdentifierText.ServiceParts, [true, true, true, false, true, false]);
    private static readonly Shape ServerShape = new("security server", IdentifierText.ServerParts, [true, true, true, true]);
    private static readonly Shape GroupShape = new("global group", IdentifierText.GroupParts, [true, true]);

    /// <summary>
    /// Reads a client (<c>xrd:client</c>, objectType MEMBER or SUBSYSTEM). MEMBER with a subsystemCode, or
    /// SUBSYSTEM without one, fails with <c>client.invalid_object_type</c>.
    /// </summary>
    public static ParseResult<ClientId> ReadClient(XmlReader reader)
    {
        var read = Read(reader, ClientShape, XRoadObjectType.MEMBER, XRoadObjectType.SUBSYSTEM);
        if (!read.Success)
        {
            return IdentifierText.Propagate<ClientId, Parsed>(read);
        }

        var (type, v) = read.Value;
        var hasSubsystem = v[3] is not null;
        if (type == XRoadObjectType.MEMBER && hasSubsystem)
        {
            return ObjectTypeFail<ClientId>(ClientShape, "id:objectType is MEMBER but a subsystemCode is present.");
        }

        if (type == XRoadObjectType.SUBSYSTEM && !hasSubsystem)
        {
            return ObjectTypeFail<ClientId>(ClientShape, "id:objectType is SUBSYSTEM but the subsystemCode is missing.");
        }

        return ParseResult<ClientId>.Ok(new ClientId(new MemberId(v[0]!, v[1]!, v[2]!), v[3]));
    }

    /// <summary>
    /// Reads a service (<c>xrd:service</c>, objectType SERVICE). A service without a subsystemCode fails
    /// with <c>client.invalid_identifier</c>: see <see cref="ServiceId"/> for why only subsystems provide services.
    /// </summary>
    public static ParseResult<ServiceId> ReadService(XmlReader reader)
    {
        var read = Read(reader, ServiceShape, XRoadObjectType.SERVICE);
        if (!read.Success)
        {
            return IdentifierText.Propagate<ServiceId, Parsed>(read);
        }

        var v = read.Value.Values;
        if (v[3] is null)
        {
            return IdentifierText.Fail<ServiceId>(ServiceShape.Kind, "id:subsystemCode is missing; services are provided by subsystems.");
        }

        return ParseResult<ServiceId>.Ok(new ServiceId(new SubsystemId(v[0]!, v[1]!, v[2]!, v[3]!), v[4]!, v[5]));
    }

    /// <summary>Reads a security server (<c>xrd:securityServer</c>, objectType SERVER).</summary>
    public static ParseResult<SecurityServerId> ReadSecurityServer(XmlReader reader)
    {
        var read = Read(reader, ServerShape, XRoadObjectType.SERVER);
        if (!read.Success)
        {
            return IdentifierText.Propagate<SecurityServerId, Parsed>(read);
        }

        var v = read.Value.Values;
        return ParseResult<SecurityServerId>.Ok(new SecurityServerId(new MemberId(v[0]!, v[1]!, v[2]!), v[3]!));
    }

    /// <summary>Reads a global group (objectType GLOBALGROUP).</summary>
    public static ParseResult<GlobalGroupId> ReadGlobalGroup(XmlReader reader)
    {
        var read = Read(reader, GroupShape, XRoadObjectType.GLOBALGROUP);
        if (!read.Success)
        {
            return IdentifierText.Propagate<GlobalGroupId, Parsed>(read);
        }

        var v = read.Value.Values;
        return ParseResult<GlobalGroupId>.Ok(new GlobalGroupId(v[0]!, v[1]!));
    }

    /// <summary>Writes <paramref name="client"/> as the element <paramref name="prefix"/>:<paramref name="localName"/> in <paramref name="ns"/>.</summary>
    public static void WriteClient(XmlWriter writer, string? prefix, string localName, string? ns, ClientId client)
    {
        ArgumentNullException.ThrowIfNull(client);
        var id = Begin(writer, prefix, localName, ns, client.ObjectType);
        WriteMember(writer, id, client.Member);
        WriteOptional(writer, id, "subsystemCode", client.SubsystemCode);
        writer.WriteEndElement();
    }

    /// <summary>Writes <paramref name="service"/> as the element <paramref name="prefix"/>:<paramref name="localName"/> in <paramref name="ns"/>.</summary>
    public static void WriteService(XmlWriter writer, string? prefix, string localName, string? ns, ServiceId service)
    {
        ArgumentNullException.ThrowIfNull(service);
        var id = Begin(writer, prefix, localName, ns, XRoadObjectType.SERVICE);
        WriteMember(writer, id, service.Client.Member);
        writer.WriteElementString(id, "subsystemCode", NamespaceUri, service.Client.SubsystemCode);
        writer.WriteElementString(id, "serviceCode", NamespaceUri, service.ServiceCode);
        WriteOptional(writer, id, "serviceVersion", service.ServiceVersion);
        writer.WriteEndElement();
    }

    /// <summary>Writes <paramref name="server"/> as the element <paramref name="prefix"/>:<paramref name="localName"/> in <paramref name="ns"/>.</summary>
    public static void WriteSecurityServer(XmlWriter writer, string? prefix, string localName, string? ns, SecurityServerId server)
    {
        ArgumentNullException.ThrowIfNull(server);
        var id = Begin(writer, prefix, localName, ns, XRoadObjectType.SERVER);
        WriteMember(writer, id, server.Owner);
        writer.WriteElementString(id, "serverCode", NamespaceUri, server.ServerCode);
        writer.WriteEndElement();
    }

    /// <summary>Writes <paramref name="group"/> as the element <paramref name="prefix"/>:<paramref name="localName"/> in <paramref name="ns"/>.</summary>
    public static void WriteGlobalGroup(XmlWriter writer, string? prefix, string localName, string? ns, GlobalGroupId group)
    {
        ArgumentNullException.ThrowIfNull(group);
        var id = Begin(writer, prefix, localName, ns, XRoadObjectType.GLOBALGROUP);
        writer.WriteElementString(id, "xRoadInstance", NamespaceUri, group.Instance);
        writer.WriteElementString(id, "groupCode", NamespaceUri, group.GroupCode);
        writer.WriteEndElement();
    }

    private static string Begin(XmlWriter writer, string? prefix, string localName, string? ns, XRoadObjectType type)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartElement(prefix, localName, ns);

        // Reuse the caller's prefix for the namespace when one is in scope; an attribute cannot use the
        // default namespace, so an empty prefix does not count.
        var id = writer.LookupPrefix(NamespaceUri);
        if (string.IsNullOrEmpty(id))
        {
            id = DefaultPrefix;
        }

        writer.WriteAttributeString(id, ObjectTypeAttribute, NamespaceUri, ToXml(type));
        return id;
    }

    private static void WriteMember(XmlWriter writer, string id, MemberId member)
    {
        writer.WriteElementString(id, "xRoadInstance", NamespaceUri, member.Instance);
        writer.WriteElementString(id, "memberClass", NamespaceUri, member.MemberClass);
        writer.WriteElementString(id, "memberCode", NamespaceUri, member.MemberCode);
    }

    private static void WriteOptional(XmlWriter writer, string id, string localName, string? value)
    {
        if (value is not null)
        {
            writer.WriteElementString(id, localName, NamespaceUri, value);
        }
    }

    private static ParseResult<Parsed> Read(XmlReader reader, Shape shape, params ReadOnlySpan<XRoadObjectType> allowed)
    {
        ArgumentNullException.ThrowIfNull(reader);
        if (reader.NodeType != XmlNodeType.Element)
        {
            throw new InvalidOperationException("The reader must be positioned on the identifier's start tag.");
        }

        var typeText = reader.GetAttribute(ObjectTypeAttribute, NamespaceUri);
        if (typeText is null)
        {
            return ObjectTypeFail<Parsed>(shape, "the id:objectType attribute is missing.");
        }

        if (!TryParseObjectType(typeText, out var type))
        {
            return ObjectTypeFail<Parsed>(shape, "the id:objectType value is not a known object type.");
        }

        if (!allowed.Contains(type))
        {
            return ObjectTypeFail<Parsed>(shape, $"id:objectType {ToXml(type)} does not fit here; expected {string.Join(" or ", allowed.ToArray().Select(ToXml))}.");
        }

        var names = shape.Names;
        var values = new string?[names.Length];
        var next = 0;
        if (reader.IsEmptyElement)
        {
            reader.Read();
        }
        else
        {
            reader.Read();
            var open = true;
            while (open)
            {
                switch (reader.NodeType)
                {
                    case XmlNodeType.EndElement:
                        reader.Read();
                        open = false;
                        break;

                    case XmlNodeType.Element:
                        var index = reader.NamespaceURI == NamespaceUri ? Array.IndexOf(names, reader.LocalName) : -1;
                        if (index < 0)
                        {
                            // The name is not echoed: it came from the caller and may be long.
                            return StructureFail<Parsed>(shape, $"an element that is not part of a {shape.Kind} identifier is present.");
                        }

                        if (index < next)
                        {
                            return StructureFail<Parsed>(shape, values[index] is null
                                ? $"id:{names[index]} is out of order."
                                : $"id:{names[index]} appears more than once.");
                        }

                        for (var skipped = next; skipped < index; skipped++)
                        {
                            if (shape.Required[skipped])
                            {
                                return StructureFail<Parsed>(shape, $"id:{names[skipped]} is missing or out of order.");
                            }
                        }

                        var problem = ReadValue(reader, names[index], out var value);
                        if (problem is not null)
                        {
                            return StructureFail<Parsed>(shape, problem);
                        }

                        values[index] = value;
                        next = index + 1;
                        break;

                    case XmlNodeType.Whitespace:
                    case XmlNodeType.SignificantWhitespace:
                    case XmlNodeType.Comment:
                    case XmlNodeType.ProcessingInstruction:
                        reader.Read();
                        break;

                    case XmlNodeType.None:
                        return StructureFail<Parsed>(shape, "the input ended inside the identifier.");

                    default:
                        return StructureFail<Parsed>(shape, "text is not allowed between the identifier's elements.");
                }
            }
        }

        for (var i = 0; i < names.Length; i++)
        {
            if (values[i] is null)
            {
                if (shape.Required[i])
                {
                    return StructureFail<Parsed>(shape, $"id:{names[i]} is missing.");
                }

                continue;
            }

            var problem = IdentifierText.CheckPart(values[i]!, "id:" + names[i]);
            if (problem is not null)
            {
                return StructureFail<Parsed>(shape, problem);
            }
        }

        return ParseResult<Parsed>.Ok(new Parsed(type, values));
    }

    // Reads one part element's text; leaves the reader after its end tag.
    private static string? ReadValue(XmlReader reader, string name, out string value)
    {
        value = string.Empty;
        if (reader.MoveToFirstAttribute())
        {
            do
            {
                if (reader.NamespaceURI != XmlnsNamespace)
                {
                    return $"id:{name} has an attribute; none are allowed.";
                }
            }
            while (reader.MoveToNextAttribute());

            reader.MoveToElement();
        }

        if (reader.IsEmptyElement)
        {
            reader.Read();
            return null;
        }

        var text = new StringBuilder();
        reader.Read();
        while (true)
        {
            switch (reader.NodeType)
            {
                case XmlNodeType.Text:
                case XmlNodeType.CDATA:
                case XmlNodeType.Whitespace:
                case XmlNodeType.SignificantWhitespace:
                    text.Append(reader.Value);
                    if (text.Length > IdentifierText.MaxPartLength)
                    {
                        return $"id:{name} is longer than {IdentifierText.MaxPartLength} characters.";
                    }

                    reader.Read();
                    break;

                // Comments and processing instructions are not part of the element's value (XPath
                // string-value), so they neither split nor change it.
                case XmlNodeType.Comment:
                case XmlNodeType.ProcessingInstruction:
                    reader.Read();
                    break;

                case XmlNodeType.EndElement:
                    reader.Read();
                    value = text.ToString();
                    return null;

                case XmlNodeType.Element:
                    return $"id:{name} contains a nested element.";

                case XmlNodeType.None:
                    return "the input ended inside the identifier.";

                default:
                    return $"id:{name} has content other than text.";
            }
        }
    }

    private static bool TryParseObjectType(string text, out XRoadObjectType type)
    {
        // Exact and ordinal on purpose: Enum.TryParse would also accept numbers and surrounding spaces.
        switch (text)
        {
            case "MEMBER": type = XRoadObjectType.MEMBER; return true;
            case "SUBSYSTEM": type = XRoadObjectType.SUBSYSTEM; return true;
            case "SERVICE": type = XRoadObjectType.SERVICE; return true;
            case "SERVER": type = XRoadObjectType.SERVER; return true;
            case "GLOBALGROUP": type = XRoadObjectType.GLOBALGROUP; return true;
            default: type = default; return false;
        }
    }

    private static string ToXml(XRoadObjectType type) => type switch
    {
        XRoadObjectType.MEMBER => "MEMBER",
        XRoadObjectType.SUBSYSTEM => "SUBSYSTEM",
        XRoadObjectType.SERVICE => "SERVICE",
        XRoadObjectType.SERVER => "SERVER",
        XRoadObjectType.GLOBALGROUP => "GLOBALGROUP",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown object type."),
    };

    private static ParseResult<T> StructureFail<T>(Shape shape, string problem)
        where T : notnull =>
        IdentifierText.Fail<T>(shape.Kind, problem);

    private static ParseResult<T> ObjectTypeFail<T>(Shape shape, string problem)
        where T : notnull =>
        ParseResult<T>.Fail(IdentifierText.InvalidObjectTypeCode, $"Invalid {shape.Kind} identifier: {problem}");

    /// <summary>The schema sequence of one identifier kind: child names in order and which are required.</summary>
    private sealed record Shape(string Kind, string[] Names, bool[] Required);

    private sealed record Parsed(XRoadObjectType Type, string?[] Values);
}
