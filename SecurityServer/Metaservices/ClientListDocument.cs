using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Xml;
using ExchangeGateway.Common.Identifiers;
using ExchangeGateway.Config.Model;

namespace ExchangeGateway.SecurityServer.Metaservices;

/// <summary>
/// The <c>listClients</c> answer (PR-META §2): every member of the instance and each of its subsystems,
/// as the XML <c>clientList</c> or, when the caller accepts <c>application/json</c>, as JSON. Members
/// carry their name; subsystems carry their member's name (global configuration holds no subsystem names).
/// </summary>
public static class ClientListDocument
{
    /// <summary>The media type of <see cref="WriteXml"/>.</summary>
    public const string XmlContentType = "text/xml; charset=UTF-8";

    /// <summary>The media type of <see cref="WriteJson"/>.</summary>
    public const string JsonContentType = "application/json";

    private const string XRoadNamespace = "http://x-road.eu/xsd/xroad.xsd";

    /// <summary>
    /// The clients of <paramref name="instance"/> (null: the configuration's own instance). Another
    /// instance's clients are not in this configuration, so the list is then empty.
    /// </summary>
    public static IReadOnlyList<(ClientId Id, string Name)> Clients(GlobalConfiguration global, string? instance)
    {
        ArgumentNullException.ThrowIfNull(global);
        if (instance is not null && !string.Equals(instance, global.InstanceId, StringComparison.Ordinal))
        {
            return [];
        }

        var clients = new List<(ClientId, string)>();
        foreach (var member in global.Members)
        {
            clients.Add((ClientId.FromMember(member.Id), member.Name));
            foreach (var subsystem in member.SubsystemCodes)
            {
                clients.Add((new ClientId(member.Id, subsystem), member.Name));
            }
        }

        return clients;
    }

    /// <summary>The XML <c>clientList</c>, UTF-8 with a declaration.</summary>
    public static byte[] WriteXml(GlobalConfiguration global, string? instance)
    {
        var buffer = new MemoryStream();
        using (var w = XmlWriter.Create(buffer, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = false }))
        {
            w.WriteStartDocument();
            w.WriteStartElement("xrd", "clientList", XRoadNamespace);
            w.WriteAttributeString("xmlns", IdentifierXml.DefaultPrefix, null, IdentifierXml.NamespaceUri);
            foreach (var (id, name) in Clients(global, instance))
            {
                w.WriteStartElement("xrd", "member", XRoadNamespace);
                IdentifierXml.WriteClient(w, "xrd", "id", XRoadNamespace, id);
                w.WriteElementString("xrd", "name", XRoadNamespace, name);
                w.WriteEndElement();
            }

            w.WriteEndElement();
            w.WriteEndDocument();
        }

        return buffer.ToArray();
    }

    /// <summary>The JSON form: <c>{"member":[{"id":{"object_type",…},"name"}]}</c>.</summary>
    public static byte[] WriteJson(GlobalConfiguration global, string? instance)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteStartArray("member");
            foreach (var (id, name) in Clients(global, instance))
            {
                w.WriteStartObject();
                w.WriteStartObject("id");
                w.WriteString("object_type", id.IsSubsystem ? "SUBSYSTEM" : "MEMBER");
                w.WriteString("xroad_instance", id.Member.Instance);
                w.WriteString("member_class", id.Member.MemberClass);
                w.WriteString("member_code", id.Member.MemberCode);
                if (id.SubsystemCode is not null)
                {
                    w.WriteString("subsystem_code", id.SubsystemCode);
                }

                w.WriteEndObject();
                w.WriteString("name", name);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
