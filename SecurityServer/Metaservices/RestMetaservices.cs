using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using ExchangeGateway.Common.Identifiers;
using ExchangeGateway.Config.Model;
using ExchangeGateway.SecurityServer.Descriptions;
using ExchangeGateway.SecurityServer.Registry;

namespace ExchangeGateway.SecurityServer.Metaservices;

/// <summary>
/// The REST metaservices of a provider subsystem (PR-MREST): <c>listMethods</c>, <c>allowedMethods</c> and
/// <c>getOpenAPI</c>, as pure functions over one local configuration snapshot. Only REST services are
/// listed (<c>service_type</c> <c>OPENAPI</c> when made from an OpenAPI description, else <c>REST</c>);
/// metaservices themselves never appear, as their codes cannot be registered.
/// </summary>
public static class RestMetaservices
{
    /// <summary>The media type of the list answers.</summary>
    public const string JsonContentType = "application/json";

    /// <summary>Every REST service of <paramref name="provider"/> with all its endpoints.</summary>
    public static MetaserviceResult<byte[]> ListMethods(LocalConfiguration local, SubsystemId provider)
    {
        ArgumentNullException.ThrowIfNull(local);
        ArgumentNullException.ThrowIfNull(provider);
        if (local.FindSubsystem(provider) is not { } client)
        {
            return UnknownProvider<byte[]>(provider);
        }

        return MetaserviceResult<byte[]>.Ok(Write(provider, client, client.Services
            .Where(s => s.Type == ServiceType.Rest)
            .Select(s => (s, (IEnumerable<(string, string)>)s.Endpoints.Select(e => (e.Method, e.Path.Text))))));
    }

    /// <summary>
    /// The REST services of <paramref name="provider"/> that <paramref name="caller"/> holds a right on, each
    /// with the method and path of every right the caller holds (an absent method is <c>*</c>, an absent
    /// path <c>/**</c>): exactly what it may call, and nothing about services it may not.
    /// </summary>
    public static MetaserviceResult<byte[]> AllowedMethods(LocalConfiguration local, GlobalConfiguration? global, SubsystemId provider, ClientId caller)
    {
        ArgumentNullException.ThrowIfNull(local);
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(caller);
        if (local.FindSubsystem(provider) is not { } client)
        {
            return UnknownProvider<byte[]>(provider);
        }

        var allowed = new List<(LocalService, IEnumerable<(string, string)>)>();
        foreach (var service in client.Services.Where(s => s.Type == ServiceType.Rest))
        {
            var granted = service.AccessRights
                .Where(r => r.Subject.Matches(caller, global, client))
                .Select(r => (r.Method ?? ServiceEndpoint.AnyMethod, r.Path?.Text ?? PathGlob.AnyPath.Text))
                .Distinct()
                .ToList();
            if (granted.Count > 0)
            {
                allowed.Add((service, granted));
            }
        }

        return MetaserviceResult<byte[]>.Ok(Write(provider, client, allowed));
    }

    /// <summary>
    /// The stored OpenAPI document of the REST service <paramref name="serviceCode"/>, when it was made from
    /// one and <paramref name="caller"/> holds a right on it.
    /// </summary>
    public static MetaserviceResult<ServiceDocument> GetOpenApi(LocalConfiguration local, GlobalConfiguration? global, DescriptionDocuments documents, SubsystemId provider, string serviceCode, ClientId caller)
    {
        ArgumentNullException.ThrowIfNull(local);
        ArgumentNullException.ThrowIfNull(documents);
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(serviceCode);
        ArgumentNullException.ThrowIfNull(caller);
        if (local.FindSubsystem(provider) is not { } client)
        {
            return UnknownProvider<ServiceDocument>(provider);
        }

        var service = client.FindService(serviceCode);
        if (service is null || service.Type != ServiceType.Rest || service.Version is not null)
        {
            return MetaserviceResult<ServiceDocument>.Fail(MetaserviceError.UnknownService, $"{provider} offers no REST service '{serviceCode}'.");
        }

        if (!MayCall(service, global, caller, client))
        {
            return MetaserviceResult<ServiceDocument>.Fail(MetaserviceError.AccessDenied, $"{caller} may not call {provider}/{serviceCode}.");
        }

        var description = client.DescriptionOf(service);
        if (description?.Type != ServiceDescriptionType.OpenApi3 || documents.Read(description.DocumentSha256) is not { } bytes)
        {
            return MetaserviceResult<ServiceDocument>.Fail(MetaserviceError.UnknownService, $"{provider}/{serviceCode} has no OpenAPI description.");
        }

        var read = OpenApiReader.Read(bytes);
        var type = read.Success ? read.Value.ContentType : OpenApiReader.JsonContentType;
        return MetaserviceResult<ServiceDocument>.Ok(new ServiceDocument(bytes, type));
    }

    /// <summary>True when some right of <paramref name="service"/> names <paramref name="caller"/>, whatever its method and path; local-group rights need <paramref name="provider"/>.</summary>
    public static bool MayCall(LocalService service, GlobalConfiguration? global, ClientId caller, LocalClient? provider = null)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(caller);
        return service.AccessRights.Any(r => r.Subject.Matches(caller, global, provider));
    }

    internal static MetaserviceResult<T> UnknownProvider<T>(SubsystemId provider)
        where T : class =>
        MetaserviceResult<T>.Fail(MetaserviceError.UnknownService, $"{provider} is not a client of this security server.");

    private static byte[] Write(SubsystemId provider, LocalClient client, IEnumerable<(LocalService Service, IEnumerable<(string Method, string Path)> Endpoints)> services)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteStartArray("service");
            foreach (var (service, endpoints) in services)
            {
                w.WriteStartObject();
                w.WriteString("object_type", "SERVICE");
                w.WriteString("xroad_instance", provider.Member.Instance);
                w.WriteString("member_class", provider.Member.MemberClass);
                w.WriteString("member_code", provider.Member.MemberCode);
                w.WriteString("subsystem_code", provider.SubsystemCode);
                w.WriteString("service_code", service.Code);
                w.WriteString("service_type", client.DescriptionOf(service)?.Type == ServiceDescriptionType.OpenApi3 ? "OPENAPI" : "REST");
                w.WriteStartArray("endpoint_list");
                foreach (var (method, path) in endpoints)
                {
                    w.WriteStartObject();
                    w.WriteString("method", method);
                    w.WriteString("path", path);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
