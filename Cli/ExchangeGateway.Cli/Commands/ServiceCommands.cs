using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using static ExchangeGateway.Cli.Commands.Symbols;

namespace ExchangeGateway.Cli.Commands;

/// <summary>Services, service descriptions and access rights.</summary>
internal static class ServiceCommands
{
    private const long MaxDocumentBytes = 10 * 1024 * 1024;
    private const long MaxServiceJsonBytes = 64 * 1024;

    public static Command Services(CliContext cli)
    {
        var listId = Arg("client-id", "The subsystem");
        var list = Command("list", "List a subsystem's services", listId);
        cli.SetAction(list, async i =>
        {
            var client = await i.Client.GetClientAsync(i.Value(listId), i.CancellationToken).ConfigureAwait(false);
            return CommandOutput.Of(
                client.TryGetProperty("services", out var services) ? services : default,
                j => Human.Table(Human.Items(j), ("SERVICE", "code"), ("TYPE", "type"), ("URL", "url"), ("ENABLED", "enabled"), ("DESCRIPTION", "descriptionId")));
        });

        var descriptionsId = Arg("client-id", "The subsystem");
        var descriptions = Command("descriptions", "List a subsystem's service descriptions (WSDL, OpenAPI)", descriptionsId);
        cli.SetAction(descriptions, async i => CommandOutput.Of(
            await i.Client.ListServiceDescriptionsAsync(i.Value(descriptionsId), i.CancellationToken).ConfigureAwait(false),
            j => Human.Table(Human.Items(j), ("ID", "id"), ("TYPE", "type"), ("SOURCE", "source"), ("DISABLED", "disabled"), ("REFRESHED", "refreshedAt"))));

        var showId = Arg("client-id", "The subsystem");
        var showCode = Arg("service-code", "The service code");
        var show = Command("show", "Show a service with its endpoints and access rights", showId, showCode);
        cli.SetAction(show, async i => CommandOutput.Of(
            await i.Client.GetServiceAsync(i.Value(showId), i.Value(showCode), i.CancellationToken).ConfigureAwait(false),
            DescribeService));

        var putId = Arg("client-id", "The subsystem");
        var putCode = Arg("service-code", "The service code");
        var url = Opt("--url", "The provider's URL, e.g. http://127.0.0.1:9000/api");
        var endpoints = new Option<string[]>("--endpoint") { Description = "An endpoint 'METHOD /path' (repeatable; * and ** globs)", Arity = ArgumentArity.ZeroOrMore };
        var disabled = new Option<bool>("--disabled") { Description = "Add it disabled" };
        var serviceFile = Opt("--file", "The whole service JSON instead of --url/--endpoint");
        var putRest = Command("put-rest", "Add or replace a REST service by hand (its access rights are kept)", putId, putCode, url, endpoints, disabled, serviceFile);
        cli.SetAction(putRest, i => PutRestAsync(i, putId, putCode, url, endpoints, disabled, serviceFile));

        var addWsdl = AddDescription(cli, "add-wsdl", "wsdl", "Add services from a WSDL (by URL or file)", withService: false);
        var addOpenApi = AddDescription(cli, "add-openapi", "openapi3", "Add a REST service from an OpenAPI 3 document (by URL or file)", withService: true);

        var refreshId = Arg("client-id", "The subsystem");
        var refreshDescription = Arg("description-id", "The description's id");
        var refreshFile = Opt("--file", "Upload this document instead of fetching the description's URL");
        var refresh = Command("refresh", "Re-read a service description and update its services", refreshId, refreshDescription, refreshFile);
        cli.SetAction(refresh, async i => CommandOutput.Of(
            await i.Client.RefreshServiceDescriptionAsync(
                i.Value(refreshId),
                i.Value(refreshDescription),
                i.Value(refreshFile) is { } f ? CliContext.ReadInputFile(f, MaxDocumentBytes) : null,
                i.CancellationToken).ConfigureAwait(false),
            DescribeDescription));

        var deleteId = Arg("client-id", "The subsystem");
        var deleteCode = Arg("service-code", "The service code");
        var delete = Command("delete", "Delete a service", deleteId, deleteCode);
        cli.SetAction(delete, async i => CommandOutput.Of(
            await i.Client.DeleteServiceAsync(i.Value(deleteId), i.Value(deleteCode), i.CancellationToken).ConfigureAwait(false),
            $"Deleted service {i.Value(deleteCode)}."));

        var deleteDescriptionId = Arg("client-id", "The subsystem");
        var deleteDescription = Arg("description-id", "The description's id");
        var deleteDescriptionCommand = Command("delete-description", "Delete a service description with its services", deleteDescriptionId, deleteDescription);
        cli.SetAction(deleteDescriptionCommand, async i => CommandOutput.Of(
            await i.Client.DeleteServiceDescriptionAsync(i.Value(deleteDescriptionId), i.Value(deleteDescription), i.CancellationToken).ConfigureAwait(false),
            $"Deleted service description {i.Value(deleteDescription)}."));

        return Group("services", "A subsystem's services", list, descriptions, show, addWsdl, addOpenApi, refresh, putRest, delete, deleteDescriptionCommand);
    }

    public static Command Access(CliContext cli)
    {
        var listId = Arg("client-id", "The subsystem offering the service");
        var listCode = Arg("service-code", "The service code");
        var list = Command("list", "List a service's access rights", listId, listCode);
        cli.SetAction(list, async i =>
        {
            var service = await i.Client.GetServiceAsync(i.Value(listId), i.Value(listCode), i.CancellationToken).ConfigureAwait(false);
            return CommandOutput.Of(service.TryGetProperty("accessRights", out var rights) ? rights : default, RightsTable);
        });

        return Group("access", "Who may call a service", list, Change(cli, grant: true), Change(cli, grant: false));
    }

    private static Command Change(CliContext cli, bool grant)
    {
        var id = Arg("client-id", "The subsystem offering the service");
        var code = Arg("service-code", "The service code");
        var subject = Arg("subject", "A subsystem (DEV/GOV/123/app), global-group:DEV/name or local-group:CODE");
        var method = Opt("--method", grant ? "Only this HTTP method (REST)" : "Only the right for this method");
        var path = Opt("--path", grant ? "Only this path glob (REST)" : "Only the right for this path");
        var command = grant
            ? Command("grant", "Allow a subject to call a service (or one endpoint of it)", id, code, subject, method, path)
            : Command("revoke", "Withdraw a subject's access rights (all of them, or the one with --method/--path)", id, code, subject, method, path);
        cli.SetAction(command, async i =>
        {
            var service = await i.Client.GetServiceAsync(i.Value(id), i.Value(code), i.CancellationToken).ConfigureAwait(false);
            var rights = service.TryGetProperty("accessRights", out var r) && r.ValueKind == JsonValueKind.Array ? r.EnumerateArray().ToList() : [];
            var next = new JsonArray();
            var matched = 0;
            foreach (var right in rights)
            {
                var same = Human.Get(right, "subject") == i.Value(subject)
                    && (i.Value(method) is null ? !grant || Human.Get(right, "method") == "-" : Human.Get(right, "method") == i.Value(method))
                    && (i.Value(path) is null ? !grant || Human.Get(right, "path") == "-" : Human.Get(right, "path") == i.Value(path));
                if (same)
                {
                    matched++;
                    if (!grant)
                    {
                        continue;
                    }
                }

                next.Add(JsonNode.Parse(right.GetRawText()));
            }

            if (grant && matched > 0)
            {
                return CommandOutput.Of(r, $"{i.Value(subject)} already has this right; nothing changed.");
            }

            if (!grant && matched == 0)
            {
                return CommandOutput.Of(r, $"{i.Value(subject)} has no such right; nothing changed.");
            }

            if (grant)
            {
                var added = new JsonObject { ["subject"] = i.Value(subject) };
                if (i.Value(method) is { } m)
                {
                    added["method"] = m;
                }

                if (i.Value(path) is { } p)
                {
                    added["path"] = p;
                }

                next.Add(added);
            }

            var changed = await i.Client.PutAccessRightsAsync(i.Value(id), i.Value(code), next, i.CancellationToken).ConfigureAwait(false);
            var after = changed.ValueKind == JsonValueKind.Object && changed.TryGetProperty("accessRights", out var a) ? a : changed;
            return CommandOutput.Of(changed, (grant ? "Granted.\n" : "Revoked.\n") + RightsTable(after));
        });
        return command;
    }

    private static Command AddDescription(CliContext cli, string name, string type, string description, bool withService)
    {
        var id = Arg("client-id", "The subsystem");
        var url = Opt("--url", "Fetch the document from this URL (and refresh from it later)");
        var file = Opt("--file", "Upload this document");
        var serviceCode = Opt("--service-code", "The service code of the REST service", required: withService);
        var serviceUrl = Opt("--service-url", "The provider's base URL (default: the document's server URL)");
        var command = withService
            ? Command(name, description, id, url, file, serviceCode, serviceUrl)
            : Command(name, description, id, url, file);
        cli.SetAction(command, async i =>
        {
            var (fromUrl, fromFile) = (i.Value(url), i.Value(file));
            if ((fromUrl is null) == (fromFile is null))
            {
                throw new CliUsageException("Give exactly one of --url and --file.");
            }

            var json = await i.Client.AddServiceDescriptionAsync(
                i.Value(id),
                type,
                fromUrl,
                fromFile is null ? null : CliContext.ReadInputFile(fromFile, MaxDocumentBytes),
                withService ? i.Value(serviceCode) : null,
                withService ? i.Value(serviceUrl) : null,
                i.CancellationToken).ConfigureAwait(false);
            return CommandOutput.Of(json, DescribeDescription);
        });
        return command;
    }

    private static async Task<CommandOutput> PutRestAsync(Invocation i, Argument<string> id, Argument<string> code, Option<string?> url, Option<string[]> endpoints, Option<bool> disabled, Option<string?> file)
    {
        JsonObject body;
        if (i.Value(file) is { } path)
        {
            if (i.Value(url) is not null || i.Value(endpoints) is { Length: > 0 } || i.Value(disabled))
            {
                throw new CliUsageException("--file replaces --url, --endpoint and --disabled; give either.");
            }

            try
            {
                body = JsonNode.Parse(CliContext.ReadInputFile(path, MaxServiceJsonBytes)) as JsonObject
                    ?? throw new CliUsageException($"{path} must hold a JSON object.");
            }
            catch (JsonException ex)
            {
                throw new CliUsageException($"{path} is not JSON: {ex.Message}", ex);
            }
        }
        else
        {
            var target = i.Value(url) ?? throw new CliUsageException("Give --url (or --file).");
            var list = new JsonArray();
            foreach (var endpoint in i.Value(endpoints) ?? [])
            {
                var parts = endpoint.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                if (parts.Length != 2)
                {
                    throw new CliUsageException($"--endpoint '{endpoint}' must be 'METHOD /path'.");
                }

                list.Add(new JsonObject { ["method"] = parts[0], ["path"] = parts[1] });
            }

            body = new JsonObject { ["type"] = "rest", ["url"] = target, ["enabled"] = !i.Value(disabled), ["endpoints"] = list };

            // A PUT replaces the whole service: carry the access rights over so re-running put-rest keeps them.
            try
            {
                var existing = await i.Client.GetServiceAsync(i.Value(id), i.Value(code), i.CancellationToken).ConfigureAwait(false);
                if (existing.TryGetProperty("accessRights", out var rights))
                {
                    body["accessRights"] = JsonNode.Parse(rights.GetRawText());
                }
            }
            catch (AdminApiException ex) when (ex.Status == 404)
            {
                // A new service (or a client that does not exist: the PUT below says which).
            }
        }

        var json = await i.Client.PutServiceAsync(i.Value(id), i.Value(code), body, i.CancellationToken).ConfigureAwait(false);
        return CommandOutput.Of(json, j => "Service saved.\n" + DescribeService(j));
    }

    private static string DescribeService(JsonElement service) =>
        Human.Fields(service, "code", "type", "url", "enabled", "descriptionId")
        + "\n\n" + Human.Table(Human.Items(service, "endpoints"), ("METHOD", "method"), ("PATH", "path"))
        + "\n\n" + RightsTable(service.TryGetProperty("accessRights", out var rights) ? rights : default);

    private static string DescribeDescription(JsonElement description) =>
        Human.Fields(description, "id", "type", "source", "disabled")
        + "\n\n" + Human.Table(Human.Items(description, "services"), ("SERVICE", "code"), ("TYPE", "type"), ("ENABLED", "enabled"));

    private static string RightsTable(JsonElement rights) =>
        Human.Table(Human.Items(rights), ("SUBJECT", "subject"), ("METHOD", "method"), ("PATH", "path"));
}
