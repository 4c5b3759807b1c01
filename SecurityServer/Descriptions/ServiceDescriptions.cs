using System.Collections.Immutable;
using System.Globalization;
using ExchangeGateway.Common.Identifiers;
using ExchangeGateway.Common.Results;
using ExchangeGateway.Common.Xml;
using ExchangeGateway.SecurityServer.Registry;

namespace ExchangeGateway.SecurityServer.Descriptions;

/// <summary>
/// Registers services from descriptions: a WSDL makes one SOAP service per binding operation (code = the
/// operation name, version = its <c>xrd:version</c>); an OpenAPI 3 document makes one REST service whose
/// endpoints are its paths × methods. Every change goes through <see cref="LocalConfigurationStore.Update{T}"/>,
/// so <c>serverconf.json</c> and the live snapshot change together; documents are stored under
/// <c>{DataDirectory}/descriptions/</c> inside the same update, so no other update sees a half-made one.
/// </summary>
/// <remarks>
/// A refresh re-reads the document, adds services for new operations, deletes those whose operation
/// vanished and keeps everything else of the remaining services (access rights, timeouts, switches),
/// updating only their URL, version and endpoints. Access rights of a remaining OpenAPI service are kept
/// as they are even when an endpoint they name is gone. <c>IOException</c> and
/// <c>UnauthorizedAccessException</c> from writing the files propagate; then nothing changed.
/// </remarks>
public sealed class ServiceDescriptions
{
    private readonly LocalConfigurationStore _store;
    private readonly DescriptionDocuments _documents;
    private readonly DescriptionFetcher _fetcher;
    private readonly TimeProvider _time;
    private readonly XmlLimits _xmlLimits;

    /// <summary>Creates the service.</summary>
    public ServiceDescriptions(LocalConfigurationStore store, DescriptionDocuments documents, DescriptionFetcher fetcher, TimeProvider time, XmlLimits? xmlLimits = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(documents);
        ArgumentNullException.ThrowIfNull(fetcher);
        ArgumentNullException.ThrowIfNull(time);
        _store = store;
        _documents = documents;
        _fetcher = fetcher;
        _time = time;
        _xmlLimits = xmlLimits ?? XmlLimits.Default;
    }

    /// <summary>The stored documents.</summary>
    public DescriptionDocuments Documents => _documents;

    /// <summary>The client's descriptions with their services.</summary>
    public DescriptionResult<ImmutableArray<DescriptionChange>> List(ClientId client)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (_store.Current is not { } local)
        {
            return DescriptionResult<ImmutableArray<DescriptionChange>>.Fail(NotInitialised());
        }

        return local.FindClient(client) is { } found
            ? DescriptionResult<ImmutableArray<DescriptionChange>>.Ok([.. found.Descriptions.Select(d => Describe(found, d, [], []))])
            : DescriptionResult<ImmutableArray<DescriptionChange>>.Fail(NoClient(client));
    }

    /// <summary>One description with its services.</summary>
    public DescriptionResult<DescriptionChange> Get(ClientId client, string id)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(id);
        if (_store.Current is not { } local)
        {
            return DescriptionResult<DescriptionChange>.Fail(NotInitialised());
        }

        if (local.FindClient(client) is not { } found)
        {
            return DescriptionResult<DescriptionChange>.Fail(NoClient(client));
        }

        return found.FindDescription(id) is { } description
            ? DescriptionResult<DescriptionChange>.Ok(Describe(found, description, [], []))
            : DescriptionResult<DescriptionChange>.Fail(NoDescription(client, id));
    }

    /// <summary>
    /// Fetches or takes the document, reads it, and registers the description and its services on the
    /// subsystem <paramref name="client"/>. New services are enabled and have no access rights.
    /// </summary>
    public async Task<DescriptionResult<DescriptionChange>> AddAsync(ClientId client, DescriptionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(request);
        if (CheckRequest(client, request) is { } bad)
        {
            return DescriptionResult<DescriptionChange>.Fail(bad);
        }

        var document = await ObtainAsync(request.Url, request.Content, cancellationToken).ConfigureAwait(false);
        if (!document.Success)
        {
            return DescriptionResult<DescriptionChange>.Fail(document.Failure);
        }

        var plan = Plan(request.Type, document.Value!, request.ServiceCode, request.ServiceUrl);
        if (!plan.Success)
        {
            return DescriptionResult<DescriptionChange>.Fail(plan.Failure);
        }

        return _store.Update(local =>
        {
            if (local.FindClient(client) is not { } found)
            {
                return LocalConfigurationChange.Keep(DescriptionResult<DescriptionChange>.Fail(NoClient(client)));
            }

            var description = new ServiceDescription
            {
                Id = NextId(found),
                Type = request.Type,
                Source = request.Url,
                ServiceCode = request.ServiceCode,
                ServiceUrl = request.ServiceUrl,
                RefreshedAt = _time.GetUtcNow(),
                DocumentSha256 = DescriptionDocuments.Sha256(document.Value!),
            };
            return Apply(local, found.WithDescription(description), description, plan.Value!, document.Value!);
        });
    }

    /// <summary>
    /// Re-reads the description: from its URL, or from <paramref name="content"/> (required for an uploaded
    /// description, optional otherwise: given content replaces the URL's). Adds new operations, deletes
    /// vanished ones, keeps the access rights and settings of the rest.
    /// </summary>
    public async Task<DescriptionResult<DescriptionChange>> RefreshAsync(ClientId client, string id, ReadOnlyMemory<byte>? content = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(id);
        var current = Get(client, id);
        if (!current.Success)
        {
            return current;
        }

        var before = current.Value!.Description;
        if (content is null && before.Source is null)
        {
            return DescriptionResult<DescriptionChange>.Fail(DescriptionFailureKind.InvalidRequest, $"Service description '{id}' was uploaded; refresh it by uploading the new document as content.");
        }

        var document = await ObtainAsync(content is null ? before.Source : null, content, cancellationToken).ConfigureAwait(false);
        if (!document.Success)
        {
            return DescriptionResult<DescriptionChange>.Fail(document.Failure);
        }

        var plan = Plan(before.Type, document.Value!, before.ServiceCode, before.ServiceUrl);
        if (!plan.Success)
        {
            return DescriptionResult<DescriptionChange>.Fail(plan.Failure);
        }

        var result = _store.Update(local =>
        {
            if (local.FindClient(client) is not { } found)
            {
                return LocalConfigurationChange.Keep(DescriptionResult<DescriptionChange>.Fail(NoClient(client)));
            }

            if (found.FindDescription(id) is not { } description)
            {
                return LocalConfigurationChange.Keep(DescriptionResult<DescriptionChange>.Fail(NoDescription(client, id)));
            }

            var refreshed = description with { RefreshedAt = _time.GetUtcNow(), DocumentSha256 = DescriptionDocuments.Sha256(document.Value!) };
            return Apply(local, found.WithDescription(refreshed), refreshed, plan.Value!, document.Value!);
        });
        if (result.Success)
        {
            DeleteIfUnreferenced(before.DocumentSha256);
        }

        return result;
    }

    /// <summary>Switches the description's services on (<paramref name="disabled"/> false, notice cleared) or off with <paramref name="notice"/>.</summary>
    public DescriptionResult<DescriptionChange> SetDisabled(ClientId client, string id, bool disabled, string? notice = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(id);
        if (notice is not null && LocalConfigurationRules.CheckNotice(notice) is { } badNotice)
        {
            return DescriptionResult<DescriptionChange>.Fail(DescriptionFailureKind.InvalidRequest, $"The notice {badNotice}.");
        }

        return Change(client, id, (local, found, description) =>
        {
            var changed = description with { Disabled = disabled, DisabledNotice = disabled ? notice : null };
            var next = found.WithDescription(changed) with
            {
                Services = [.. found.Services.Select(s => s.DescriptionId == id ? s with { Enabled = !disabled } : s)],
            };
            return Commit(local, next, changed, [], []);
        });
    }

    /// <summary>Deletes the description and every service made from it, with their access rights.</summary>
    public DescriptionResult<DescriptionChange> Delete(ClientId client, string id)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(id);
        var result = Change(client, id, (local, found, description) =>
        {
            var removed = found.Services.Where(s => s.DescriptionId == id).ToImmutableArray();
            var next = found with
            {
                Services = [.. found.Services.Where(s => s.DescriptionId != id)],
                Descriptions = [.. found.Descriptions.Where(d => d.Id != id)],
            };
            var written = local.WithClient(next);
            return written.Success
                ? LocalConfigurationChange.Commit(written.Value, DescriptionResult<DescriptionChange>.Ok(new DescriptionChange(description, removed, [], [.. removed.Select(s => s.Code)])))
                : LocalConfigurationChange.Keep(DescriptionResult<DescriptionChange>.Fail(DescriptionFailureKind.InvalidDocument, written.Message));
        });
        if (result.Success)
        {
            DeleteIfUnreferenced(result.Value!.Description.DocumentSha256);
        }

        return result;
    }

    private DescriptionResult<DescriptionChange> Change(ClientId client, string id, Func<LocalConfiguration, LocalClient, ServiceDescription, LocalConfigurationChange<DescriptionResult<DescriptionChange>>> change)
    {
        if (_store.Current is null)
        {
            return DescriptionResult<DescriptionChange>.Fail(NotInitialised());
        }

        return _store.Update(local =>
        {
            if (local.FindClient(client) is not { } found)
            {
                return LocalConfigurationChange.Keep(DescriptionResult<DescriptionChange>.Fail(NoClient(client)));
            }

            return found.FindDescription(id) is { } description
                ? change(local, found, description)
                : LocalConfigurationChange.Keep(DescriptionResult<DescriptionChange>.Fail(NoDescription(client, id)));
        });
    }

    // Merges the planned services into the client (which already holds the new description) and stores the document.
    private LocalConfigurationChange<DescriptionResult<DescriptionChange>> Apply(LocalConfiguration local, LocalClient client, ServiceDescription description, ImmutableArray<PlannedService> plan, byte[] document)
    {
        var id = description.Id;
        var planned = plan.ToDictionary(p => p.Code, StringComparer.Ordinal);
        foreach (var service in client.Services)
        {
            if (service.DescriptionId != id && planned.ContainsKey(service.Code))
            {
                return LocalConfigurationChange.Keep(DescriptionResult<DescriptionChange>.Fail(
                    DescriptionFailureKind.Conflict,
                    service.DescriptionId is null
                        ? $"Client {client.Id} already offers a service '{service.Code}' configured by hand; delete it first or rename the operation."
                        : $"Client {client.Id} already offers a service '{service.Code}' from service description '{service.DescriptionId}'."));
            }
        }

        var services = ImmutableArray.CreateBuilder<LocalService>();
        var removed = new List<string>();
        var kept = new HashSet<string>(StringComparer.Ordinal);
        foreach (var service in client.Services)
        {
            if (service.DescriptionId != id)
            {
                services.Add(service);
            }
            else if (planned.TryGetValue(service.Code, out var p))
            {
                services.Add(service with { Type = p.Type, Version = p.Version, Url = p.Url, Endpoints = p.Endpoints });
                kept.Add(service.Code);
            }
            else
            {
                removed.Add(service.Code);
            }
        }

        var added = new List<string>();
        foreach (var p in plan)
        {
            if (!kept.Contains(p.Code))
            {
                services.Add(new LocalService
                {
                    Code = p.Code,
                    Version = p.Version,
                    Type = p.Type,
                    DescriptionId = id,
                    Url = p.Url,
                    Enabled = !description.Disabled,
                    Endpoints = p.Endpoints,
                });
                added.Add(p.Code);
            }
        }

        var next = client with { Services = services.ToImmutable() };
        var written = local.WithClient(next);
        if (!written.Success)
        {
            return LocalConfigurationChange.Keep(DescriptionResult<DescriptionChange>.Fail(DescriptionFailureKind.InvalidDocument, written.Message));
        }

        // Stored while the store's lock is held, so a concurrent delete cannot remove it before it is referenced.
        _documents.Save(document);
        return LocalConfigurationChange.Commit(written.Value, DescriptionResult<DescriptionChange>.Ok(Describe(next, description, [.. added], [.. removed])));
    }

    private static LocalConfigurationChange<DescriptionResult<DescriptionChange>> Commit(LocalConfiguration local, LocalClient next, ServiceDescription description, ImmutableArray<string> added, ImmutableArray<string> removed)
    {
        var written = local.WithClient(next);
        return written.Success
            ? LocalConfigurationChange.Commit(written.Value, DescriptionResult<DescriptionChange>.Ok(Describe(next, description, added, removed)))
            : LocalConfigurationChange.Keep(DescriptionResult<DescriptionChange>.Fail(DescriptionFailureKind.InvalidDocument, written.Message));
    }

    private void DeleteIfUnreferenced(string sha256)
    {
        // Under the store's lock, so no add or refresh is between storing a document and referencing it.
        _store.Update(local =>
        {
            var used = local.Clients.Any(c => c.Descriptions.Any(d => d.DocumentSha256 == sha256));
            if (!used)
            {
                _documents.Delete(sha256);
            }

            return LocalConfigurationChange.Keep(used);
        });
    }

    private static DescriptionChange Describe(LocalClient client, ServiceDescription description, ImmutableArray<string> added, ImmutableArray<string> removed) =>
        new(description, [.. client.Services.Where(s => s.DescriptionId == description.Id)], added, removed);

    private DescriptionFailure? CheckRequest(ClientId client, DescriptionRequest request)
    {
        if (_store.Current is not { } local)
        {
            return NotInitialised();
        }

        if (local.FindClient(client) is null)
        {
            return NoClient(client);
        }

        if (client.AsSubsystem() is not { } owner)
        {
            return new(DescriptionFailureKind.InvalidRequest, $"Client {client} is a member; only subsystems offer services.");
        }

        if (!Enum.IsDefined(request.Type))
        {
            return new(DescriptionFailureKind.InvalidRequest, "type must be wsdl or openapi3.");
        }

        if ((request.Url is null) == (request.Content is null))
        {
            return new(DescriptionFailureKind.InvalidRequest, "Give either url (to fetch the document) or content (the document, base64), not both.");
        }

        if (request.Url is not null && LocalConfigurationRules.CheckDescriptionUrl(request.Url) is { } badUrl)
        {
            return new(DescriptionFailureKind.InvalidRequest, $"url {badUrl}.");
        }

        if (request.ServiceUrl is not null && LocalConfigurationRules.CheckUrl(request.ServiceUrl) is { } badServiceUrl)
        {
            return new(DescriptionFailureKind.InvalidRequest, $"serviceUrl {badServiceUrl}.");
        }

        if (request.Type == ServiceDescriptionType.OpenApi3)
        {
            return LocalConfigurationRules.CheckServiceCode(owner, request.ServiceCode) is { } badCode
                ? new(DescriptionFailureKind.InvalidRequest, request.ServiceCode is null ? "An OpenAPI description needs serviceCode: the code of the REST service it describes." : badCode)
                : null;
        }

        return request.ServiceCode is null
            ? null
            : new(DescriptionFailureKind.InvalidRequest, "serviceCode is for OpenAPI descriptions only; a WSDL names its services by its operations.");
    }

    private async Task<DescriptionResult<byte[]>> ObtainAsync(string? url, ReadOnlyMemory<byte>? content, CancellationToken cancellationToken)
    {
        if (content is { } given)
        {
            return given.Length > DescriptionFetcher.MaxDocumentBytes
                ? DescriptionResult<byte[]>.Fail(DescriptionFailureKind.InvalidRequest, $"The document is larger than {DescriptionFetcher.MaxDocumentBytes} bytes.")
                : DescriptionResult<byte[]>.Ok(given.ToArray());
        }

        var fetched = await _fetcher.FetchAsync(url!, cancellationToken).ConfigureAwait(false);
        return fetched.Success
            ? DescriptionResult<byte[]>.Ok(fetched.Value)
            : DescriptionResult<byte[]>.Fail(fetched.ErrorCode == DescriptionFetcher.FetchFailedCode ? DescriptionFailureKind.FetchFailed : DescriptionFailureKind.InvalidRequest, fetched.Message);
    }

    private DescriptionResult<ImmutableArray<PlannedService>> Plan(ServiceDescriptionType type, byte[] document, string? serviceCode, string? serviceUrl) =>
        type == ServiceDescriptionType.Wsdl ? PlanWsdl(document, serviceUrl) : PlanOpenApi(document, serviceCode!, serviceUrl);

    private DescriptionResult<ImmutableArray<PlannedService>> PlanWsdl(byte[] document, string? serviceUrl)
    {
        var wsdl = WsdlReader.Read(document, _xmlLimits);
        if (!wsdl.Success)
        {
            return Invalid($"The WSDL cannot be used: {wsdl.Message}");
        }

        var url = serviceUrl ?? wsdl.Value.Address;
        if (url is null)
        {
            return Invalid("The WSDL has no soap:address; give serviceUrl.");
        }

        if (serviceUrl is null && LocalConfigurationRules.CheckUrl(url) is { } badUrl)
        {
            return Invalid($"The WSDL's soap:address {badUrl}; give serviceUrl.");
        }

        var plan = ImmutableArray.CreateBuilder<PlannedService>();
        var codes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var operation in wsdl.Value.Operations)
        {
            if (!codes.Add(operation.Name))
            {
                return Invalid($"The WSDL has the operation '{operation.Name}' in more than one version; the gateway offers one version per service code.");
            }

            plan.Add(new PlannedService(operation.Name, operation.Version, ServiceType.Soap, url, []));
        }

        return DescriptionResult<ImmutableArray<PlannedService>>.Ok(plan.ToImmutable());
    }

    private static DescriptionResult<ImmutableArray<PlannedService>> PlanOpenApi(byte[] document, string serviceCode, string? serviceUrl)
    {
        var openApi = OpenApiReader.Read(document);
        if (!openApi.Success)
        {
            return Invalid($"The OpenAPI document cannot be used: {openApi.Message}");
        }

        var url = serviceUrl ?? openApi.Value.ServerUrl;
        if (url is null)
        {
            return Invalid("The OpenAPI document has no servers[0].url; give serviceUrl.");
        }

        if (serviceUrl is null && LocalConfigurationRules.CheckUrl(url) is { } badUrl)
        {
            return Invalid($"The OpenAPI servers[0].url {badUrl}; give serviceUrl.");
        }

        return DescriptionResult<ImmutableArray<PlannedService>>.Ok([new PlannedService(serviceCode, null, ServiceType.Rest, url, openApi.Value.Endpoints)]);
    }

    private static string NextId(LocalClient client)
    {
        var max = 0;
        foreach (var description in client.Descriptions)
        {
            if (int.TryParse(description.Id, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > max)
            {
                max = n;
            }
        }

        return (max + 1).ToString(CultureInfo.InvariantCulture);
    }

    private static DescriptionResult<ImmutableArray<PlannedService>> Invalid(string message) =>
        DescriptionResult<ImmutableArray<PlannedService>>.Fail(DescriptionFailureKind.InvalidDocument, message);

    private DescriptionFailure NotInitialised() =>
        new(DescriptionFailureKind.NotInitialised, $"The server has no local configuration yet ({Path.GetFileName(_store.FilePath)}); run the init command first.");

    private static DescriptionFailure NoClient(ClientId client) => new(DescriptionFailureKind.NotFound, $"Client {client} is not hosted on this server.");

    private static DescriptionFailure NoDescription(ClientId client, string id) => new(DescriptionFailureKind.NotFound, $"Client {client} has no service description '{id}'.");

    private sealed record PlannedService(string Code, string? Version, ServiceType Type, string Url, ImmutableArray<ServiceEndpoint> Endpoints);
}
