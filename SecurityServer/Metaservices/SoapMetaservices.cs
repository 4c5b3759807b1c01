using System.Xml;
using ExchangeGateway.Common.Identifiers;
using ExchangeGateway.Common.Xml;
using ExchangeGateway.Config.Model;
using ExchangeGateway.SecurityServer.Descriptions;
using ExchangeGateway.SecurityServer.Registry;

namespace ExchangeGateway.SecurityServer.Metaservices;

/// <summary>
/// The SOAP metaservices of a provider subsystem (PR-META §3–4): the bodies of <c>listMethodsResponse</c>
/// and <c>allowedMethodsResponse</c> (one <c>xrd:service</c> per SOAP service, <c>id:objectType</c>
/// SERVICE, with its version) and the WSDL for <c>getWsdl</c>. Only SOAP services are listed.
/// </summary>
public static class SoapMetaservices
{
    /// <summary>X-Road's namespace, of the response elements.</summary>
    public const string XRoadNamespace = "http://x-road.eu/xsd/xroad.xsd";

    /// <summary>The media type of the WSDL attachment.</summary>
    public const string WsdlContentType = "text/xml";

    /// <summary>The ids of every SOAP service of <paramref name="provider"/>.</summary>
    public static MetaserviceResult<IReadOnlyList<ServiceId>> ListMethods(LocalConfiguration local, SubsystemId provider)
    {
        ArgumentNullException.ThrowIfNull(local);
        ArgumentNullException.ThrowIfNull(provider);
        return local.FindSubsystem(provider) is { } client
            ? MetaserviceResult<IReadOnlyList<ServiceId>>.Ok(Ids(provider, client.Services.Where(s => s.Type == ServiceType.Soap)))
            : RestMetaservices.UnknownProvider<IReadOnlyList<ServiceId>>(provider);
    }

    /// <summary>The ids of the SOAP services of <paramref name="provider"/> that <paramref name="caller"/> may call.</summary>
    public static MetaserviceResult<IReadOnlyList<ServiceId>> AllowedMethods(LocalConfiguration local, GlobalConfiguration? global, SubsystemId provider, ClientId caller)
    {
        ArgumentNullException.ThrowIfNull(local);
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(caller);
        return local.FindSubsystem(provider) is { } client
            ? MetaserviceResult<IReadOnlyList<ServiceId>>.Ok(Ids(provider, client.Services.Where(s => s.Type == ServiceType.Soap && RestMetaservices.MayCall(s, global, caller, client))))
            : RestMetaservices.UnknownProvider<IReadOnlyList<ServiceId>>(provider);
    }

    /// <summary>The <c>listMethodsResponse</c> body content: a writer of the <c>xrd:service</c> elements.</summary>
    public static MetaserviceResult<Action<XmlWriter>> ListMethodsBody(LocalConfiguration local, SubsystemId provider) =>
        AsBody(ListMethods(local, provider));

    /// <summary>The <c>allowedMethodsResponse</c> body content: a writer of the <c>xrd:service</c> elements the caller may call.</summary>
    public static MetaserviceResult<Action<XmlWriter>> AllowedMethodsBody(LocalConfiguration local, GlobalConfiguration? global, SubsystemId provider, ClientId caller) =>
        AsBody(AllowedMethods(local, global, provider, caller));

    /// <summary>
    /// Writes one <c>xrd:service</c> element per id into the element <paramref name="writer"/> is inside
    /// (the response wrapper), reusing the <c>xrd</c> and <c>id</c> prefixes when in scope.
    /// </summary>
    public static void WriteServices(XmlWriter writer, IEnumerable<ServiceId> services)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(services);
        var prefix = writer.LookupPrefix(XRoadNamespace) ?? "xrd";
        foreach (var service in services)
        {
            IdentifierXml.WriteService(writer, prefix, "service", XRoadNamespace, service);
        }
    }

    /// <summary>
    /// The stored WSDL of the SOAP service <paramref name="serviceCode"/> (with <paramref name="serviceVersion"/>,
    /// matched exactly), when it was made from one and <paramref name="caller"/> may call it; its SOAP
    /// addresses replaced by <see cref="WsdlEndpointRewriter.HiddenEndpoint"/>.
    /// </summary>
    public static MetaserviceResult<ServiceDocument> GetWsdl(LocalConfiguration local, GlobalConfiguration? global, DescriptionDocuments documents, SubsystemId provider, string serviceCode, string? serviceVersion, ClientId caller)
    {
        ArgumentNullException.ThrowIfNull(local);
        ArgumentNullException.ThrowIfNull(documents);
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(serviceCode);
        ArgumentNullException.ThrowIfNull(caller);
        if (local.FindSubsystem(provider) is not { } client)
        {
            return RestMetaservices.UnknownProvider<ServiceDocument>(provider);
        }

        var service = client.FindService(serviceCode);
        var name = serviceVersion is null ? serviceCode : $"{serviceCode}/{serviceVersion}";
        if (service is null || service.Type != ServiceType.Soap || !string.Equals(service.Version, serviceVersion, StringComparison.Ordinal))
        {
            return MetaserviceResult<ServiceDocument>.Fail(MetaserviceError.UnknownService, $"{provider} offers no SOAP service '{name}'.");
        }

        if (!RestMetaservices.MayCall(service, global, caller, client))
        {
            return MetaserviceResult<ServiceDocument>.Fail(MetaserviceError.AccessDenied, $"{caller} may not call {provider}/{name}.");
        }

        var description = client.DescriptionOf(service);
        if (description?.Type != ServiceDescriptionType.Wsdl || documents.Read(description.DocumentSha256) is not { } bytes)
        {
            return MetaserviceResult<ServiceDocument>.Fail(MetaserviceError.UnknownService, $"{provider}/{name} has no WSDL.");
        }

        var hidden = WsdlEndpointRewriter.Rewrite(bytes, XmlLimits.Default);
        return hidden.Success
            ? MetaserviceResult<ServiceDocument>.Ok(new ServiceDocument(hidden.Value, WsdlContentType))
            : MetaserviceResult<ServiceDocument>.Fail(MetaserviceError.UnknownService, $"{provider}/{name} has no readable WSDL.");
    }

    private static List<ServiceId> Ids(SubsystemId provider, IEnumerable<LocalService> services) =>
        [.. services.Select(s => new ServiceId(provider, s.Code, s.Version))];

    private static MetaserviceResult<Action<XmlWriter>> AsBody(MetaserviceResult<IReadOnlyList<ServiceId>> ids)
    {
        if (!ids.Success)
        {
            return MetaserviceResult<Action<XmlWriter>>.Fail(ids.Error.Value, ids.Message);
        }

        var list = ids.Value;
        return MetaserviceResult<Action<XmlWriter>>.Ok(w => WriteServices(w, list));
    }
}
