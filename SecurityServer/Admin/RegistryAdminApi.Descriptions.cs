using System.Buffers;
using System.Text.Json;
using ExchangeGateway.Common.Identifiers;
using ExchangeGateway.SecurityServer.Descriptions;
using ExchangeGateway.SecurityServer.Registry;

namespace ExchangeGateway.SecurityServer.Admin;

/// <summary>The service-description endpoints of the admin API, under <c>/api/v1/clients/{clientId}/service-descriptions</c>.</summary>
public static partial class RegistryAdminApi
{
    /// <summary>
    /// The largest body of an add or refresh request: a document of <see cref="DescriptionFetcher.MaxDocumentBytes"/>
    /// as base64, plus room for the other members.
    /// </summary>
    public const int MaxDescriptionRequestBytes = (DescriptionFetcher.MaxDocumentBytes / 3 * 4) + 64 * 1024;

    private const string Descriptions = "/clients/{clientId}/service-descriptions";

    private static void MapServiceDescriptions(RouteGroupBuilder api)
    {
        api.MapGet(Descriptions, ListDescriptions).WithMetadata(new AdminAccess(AdminPermission.ReadRegistry, "service-description.list"));
        api.MapGet(Descriptions + "/{descriptionId}", GetDescription).WithMetadata(new AdminAccess(AdminPermission.ReadRegistry, "service-description.read"));
        api.MapPost(Descriptions, AddDescription).WithMetadata(new AdminAccess(AdminPermission.ManageServices, "service-description.add"));
        api.MapPost(Descriptions + "/{descriptionId}/refresh", RefreshDescription).WithMetadata(new AdminAccess(AdminPermission.ManageServices, "service-description.refresh"));
        api.MapPost(Descriptions + "/{descriptionId}/enable", EnableDescription).WithMetadata(new AdminAccess(AdminPermission.ManageServices, "service-description.enable"));
        api.MapPost(Descriptions + "/{descriptionId}/disable", DisableDescription).WithMetadata(new AdminAccess(AdminPermission.ManageServices, "service-description.disable"));
        api.MapDelete(Descriptions + "/{descriptionId}", DeleteDescription).WithMetadata(new AdminAccess(AdminPermission.ManageServices, "service-description.delete"));
    }

    private static IResult ListDescriptions(HttpContext context, ServiceDescriptions descriptions)
    {
        var (id, failure) = ReadClientId(context);
        if (failure is not null)
        {
            return failure.ToResult();
        }

        var list = descriptions.List(id!);
        return list.Success
            ? JsonBytes(WriteJson(w =>
            {
                w.WriteStartArray();
                foreach (var item in list.Value)
                {
                    WriteDescriptionModel(w, item, withChanges: false);
                }

                w.WriteEndArray();
            }))
            : ToAdminFailure(list.Failure).ToResult();
    }

    private static IResult GetDescription(HttpContext context, ServiceDescriptions descriptions)
    {
        var (id, descriptionId, failure) = ReadDescriptionAddress(context);
        if (failure is not null)
        {
            return failure.ToResult();
        }

        var found = descriptions.Get(id!, descriptionId!);
        return found.Success ? DescriptionJson(found.Value!, withChanges: false) : ToAdminFailure(found.Failure).ToResult();
    }

    private static async Task<IResult> AddDescription(HttpContext context, ServiceDescriptions descriptions)
    {
        var (id, failure) = ReadClientId(context);
        if (failure is not null)
        {
            return failure.ToResult();
        }

        var (body, bodyFailure) = await AdminBody.ReadAsync(context, MaxDescriptionRequestBytes).ConfigureAwait(false);
        if (bodyFailure is not null)
        {
            return bodyFailure.ToResult();
        }

        AddDescriptionBody? request;
        try
        {
            request = JsonSerializer.Deserialize<AddDescriptionBody>(body, Json);
        }
        catch (JsonException ex)
        {
            // The serializer's message can quote input; only its path is echoed.
            return Invalid($"The body must be {{\"type\": \"wsdl\"|\"openapi3\", \"url\" or \"content\" (base64), \"serviceCode\"?, \"serviceUrl\"?}} (at {ex.Path ?? "$"}).").ToResult();
        }

        if (request is null)
        {
            return Invalid("The body must be a JSON object.").ToResult();
        }

        ServiceDescriptionType type;
        switch (request.Type)
        {
            case "wsdl": type = ServiceDescriptionType.Wsdl; break;
            case "openapi3": type = ServiceDescriptionType.OpenApi3; break;
            default: return Invalid("type must be wsdl or openapi3.").ToResult();
        }

        var added = await RunAsync(context, "service-description.add", id!.ToString(), () => descriptions.AddAsync(
            id,
            new DescriptionRequest
            {
                Type = type,
                Url = request.Url,
                Content = request.Content is { } uploaded ? new ReadOnlyMemory<byte>(uploaded) : (ReadOnlyMemory<byte>?)null, // a bare null would become empty memory
                ServiceCode = request.ServiceCode,
                ServiceUrl = request.ServiceUrl,
            },
            context.RequestAborted)).ConfigureAwait(false);
        if (added.Failure is not null)
        {
            return added.Failure.ToResult();
        }

        context.Response.Headers.Location = $"{ClientLocation(id)}/service-descriptions/{Uri.EscapeDataString(added.Change!.Description.Id)}";
        return DescriptionJson(added.Change, withChanges: true, StatusCodes.Status201Created);
    }

    private static async Task<IResult> RefreshDescription(HttpContext context, ServiceDescriptions descriptions)
    {
        var (id, descriptionId, failure) = ReadDescriptionAddress(context);
        if (failure is not null)
        {
            return failure.ToResult();
        }

        ReadOnlyMemory<byte>? content = null;
        if (HasBody(context))
        {
            var (body, bodyFailure) = await AdminBody.ReadAsync(context, MaxDescriptionRequestBytes).ConfigureAwait(false);
            if (bodyFailure is not null)
            {
                return bodyFailure.ToResult();
            }

            try
            {
                if (JsonSerializer.Deserialize<RefreshDescriptionBody>(body, Json)?.Content is { } uploaded)
                {
                    content = new ReadOnlyMemory<byte>(uploaded);
                }
            }
            catch (JsonException ex)
            {
                return Invalid($"The body must be empty or {{\"content\": \"base64\"}} (at {ex.Path ?? "$"}).").ToResult();
            }
        }

        var refreshed = await RunAsync(context, "service-description.refresh", $"{id}/{descriptionId}", () => descriptions.RefreshAsync(id!, descriptionId!, content, context.RequestAborted)).ConfigureAwait(false);
        return refreshed.Failure is not null ? refreshed.Failure.ToResult() : DescriptionJson(refreshed.Change!, withChanges: true);
    }

    private static async Task<IResult> EnableDescription(HttpContext context, ServiceDescriptions descriptions)
    {
        var (id, descriptionId, failure) = ReadDescriptionAddress(context);
        if (failure is not null)
        {
            return failure.ToResult();
        }

        var enabled = await RunAsync(context, "service-description.enable", $"{id}/{descriptionId}", () => Task.FromResult(descriptions.SetDisabled(id!, descriptionId!, disabled: false))).ConfigureAwait(false);
        return enabled.Failure is not null ? enabled.Failure.ToResult() : DescriptionJson(enabled.Change!, withChanges: false);
    }

    private static async Task<IResult> DisableDescription(HttpContext context, ServiceDescriptions descriptions)
    {
        var (id, descriptionId, failure) = ReadDescriptionAddress(context);
        if (failure is not null)
        {
            return failure.ToResult();
        }

        string? notice = null;
        if (HasBody(context))
        {
            var (body, bodyFailure) = await AdminBody.ReadAsync(context).ConfigureAwait(false);
            if (bodyFailure is not null)
            {
                return bodyFailure.ToResult();
            }

            try
            {
                notice = JsonSerializer.Deserialize<DisableDescriptionBody>(body, Json)?.Notice;
            }
            catch (JsonException ex)
            {
                return Invalid($"The body must be empty or {{\"notice\": \"…\"}} (at {ex.Path ?? "$"}).").ToResult();
            }
        }

        var disabled = await RunAsync(context, "service-description.disable", $"{id}/{descriptionId}", () => Task.FromResult(descriptions.SetDisabled(id!, descriptionId!, disabled: true, notice))).ConfigureAwait(false);
        return disabled.Failure is not null ? disabled.Failure.ToResult() : DescriptionJson(disabled.Change!, withChanges: false);
    }

    private static async Task<IResult> DeleteDescription(HttpContext context, ServiceDescriptions descriptions)
    {
        var (id, descriptionId, failure) = ReadDescriptionAddress(context);
        if (failure is not null)
        {
            return failure.ToResult();
        }

        var deleted = await RunAsync(context, "service-description.delete", $"{id}/{descriptionId}", () => Task.FromResult(descriptions.Delete(id!, descriptionId!))).ConfigureAwait(false);
        return deleted.Failure is not null ? deleted.Failure.ToResult() : Results.NoContent();
    }

    /// <summary>Runs one description change, logs it once, and turns a write failure into <c>registry.write_failed</c>.</summary>
    private static async Task<(DescriptionChange? Change, AdminFailure? Failure)> RunAsync(HttpContext context, string action, string target, Func<Task<DescriptionResult<DescriptionChange>>> run)
    {
        var log = context.RequestServices.GetRequiredService<ILogger<LocalConfigurationStore>>();
        var keyId = AdminCaller.From(context).Key.Id;
        DescriptionResult<DescriptionChange> result;
        try
        {
            result = await run().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            AdminLog.WriteFailed(log, ex, action, target);
            return (null, new AdminFailure(AdminFailureKind.WriteFailed, "The configuration or the document could not be written; nothing changed."));
        }

        if (!result.Success)
        {
            var failure = ToAdminFailure(result.Failure);
            AdminLog.ChangeRefused(log, action, target, keyId, failure.Code);
            return (null, failure);
        }

        AdminLog.Changed(log, action, target, keyId);
        return (result.Value, null);
    }

    private static AdminFailure ToAdminFailure(DescriptionFailure failure) => new(
        failure.Kind switch
        {
            DescriptionFailureKind.NotFound => AdminFailureKind.NotFound,
            DescriptionFailureKind.NotInitialised => AdminFailureKind.NotInitialised,
            DescriptionFailureKind.InvalidRequest => AdminFailureKind.InvalidRequest,
            DescriptionFailureKind.InvalidDocument => AdminFailureKind.DescriptionInvalid,
            DescriptionFailureKind.FetchFailed => AdminFailureKind.DescriptionFetchFailed,
            DescriptionFailureKind.Conflict => AdminFailureKind.Conflict,
            _ => throw new ArgumentOutOfRangeException(nameof(failure), failure.Kind, null),
        },
        failure.Message);

    private static bool HasBody(HttpContext context) =>
        context.Request.ContentLength is > 0 || (context.Request.ContentLength is null && context.Request.Headers.TransferEncoding.Count > 0);

    private static (ClientId? Id, string? DescriptionId, AdminFailure? Failure) ReadDescriptionAddress(HttpContext context)
    {
        var (id, failure) = ReadClientId(context);
        if (failure is not null)
        {
            return (null, null, failure);
        }

        var (descriptionId, idFailure) = AdminPath.Read(context, "descriptionId");
        if (idFailure is not null)
        {
            return (null, null, idFailure);
        }

        return LocalConfigurationRules.CheckDescriptionId(descriptionId) is { } problem
            ? (null, null, new AdminFailure(AdminFailureKind.InvalidIdentifier, problem))
            : (id, descriptionId, null);
    }

    private static IResult DescriptionJson(DescriptionChange change, bool withChanges, int status = StatusCodes.Status200OK) =>
        JsonBytes(WriteJson(w => WriteDescriptionModel(w, change, withChanges)), status);

    /// <summary>The description as in <c>serverconf.json</c>, plus its services (code, version, enabled) and, after add or refresh, the codes added and removed.</summary>
    private static void WriteDescriptionModel(Utf8JsonWriter w, DescriptionChange change, bool withChanges)
    {
        using (var description = JsonDocument.Parse(LocalConfigurationSerializer.WriteDescription(change.Description)))
        {
            w.WriteStartObject();
            foreach (var member in description.RootElement.EnumerateObject())
            {
                member.WriteTo(w);
            }
        }

        w.WriteStartArray("services");
        foreach (var service in change.Services)
        {
            w.WriteStartObject();
            w.WriteString("code", service.Code);
            if (service.Version is not null)
            {
                w.WriteString("version", service.Version);
            }

            w.WriteString("type", LocalConfigurationRules.TypeText(service.Type));
            w.WriteBoolean("enabled", service.Enabled);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        if (withChanges)
        {
            w.WriteStartArray("added");
            foreach (var code in change.Added)
            {
                w.WriteStringValue(code);
            }

            w.WriteEndArray();
            w.WriteStartArray("removed");
            foreach (var code in change.Removed)
            {
                w.WriteStringValue(code);
            }

            w.WriteEndArray();
        }

        w.WriteEndObject();
    }

    private static byte[] WriteJson(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            write(w);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The body of <c>POST …/service-descriptions</c>.</summary>
    private sealed record AddDescriptionBody(string Type, string? Url = null, byte[]? Content = null, string? ServiceCode = null, string? ServiceUrl = null);

    /// <summary>The optional body of <c>POST …/refresh</c>.</summary>
    private sealed record RefreshDescriptionBody(byte[]? Content = null);

    /// <summary>The optional body of <c>POST …/disable</c>.</summary>
    private sealed record DisableDescriptionBody(string? Notice = null);
}
