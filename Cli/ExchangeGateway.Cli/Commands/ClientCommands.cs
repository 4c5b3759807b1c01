using System.CommandLine;
using System.Text.Json;
using static ExchangeGateway.Cli.Commands.Symbols;

namespace ExchangeGateway.Cli.Commands;

/// <summary>Clients (subsystems), their IS certificates and local groups.</summary>
internal static class ClientCommands
{
    private const long MaxCertificateBytes = 1024 * 1024;

    public static Command Clients(CliContext cli)
    {
        var list = Command("list", "List the clients hosted on this server");
        cli.SetAction(list, async i => CommandOutput.Of(
            await i.Client.ListClientsAsync(i.CancellationToken).ConfigureAwait(false),
            j => Human.Table(
                Human.Items(j),
                ("ID", r => Human.Get(r, "id")),
                ("STATUS", r => Human.Get(r, "status")),
                ("CONNECTION", r => Human.Get(r, "connectionType")),
                ("SERVICES", r => Human.Items(r, "services").Count().ToString(System.Globalization.CultureInfo.InvariantCulture)))));

        var addId = Arg("client-id", "The client, e.g. DEV/GOV/70000001/billing");
        var connection = ConnectionTypeOption();
        var add = Command("add", "Add a client (state saved; register it next)", addId, connection);
        cli.SetAction(add, async i => CommandOutput.Of(
            await i.Client.AddClientAsync(i.Value(addId), i.Value(connection), i.CancellationToken).ConfigureAwait(false),
            j => "Client added.\n" + Human.Fields(j, "id", "status", "connectionType")));

        var showId = Arg("client-id", "The client");
        var show = Command("show", "Show a client with its services", showId);
        cli.SetAction(show, async i => CommandOutput.Of(
            await i.Client.GetClientAsync(i.Value(showId), i.CancellationToken).ConfigureAwait(false),
            j => Human.Fields(j, "id", "status", "connectionType", "isCertificates")
                + "\n\n" + Human.Table(Human.Items(j, "services"), ("SERVICE", "code"), ("TYPE", "type"), ("URL", "url"), ("ENABLED", "enabled"))));

        Command Request(string name, string description, Func<AdminClient, string, CancellationToken, Task<JsonElement>> call, string done)
        {
            var id = Arg("client-id", "The client");
            var command = Command(name, description, id);
            cli.SetAction(command, async i => CommandOutput.Of(
                await call(i.Client, i.Value(id), i.CancellationToken).ConfigureAwait(false),
                j => $"{done} for {i.Value(id)}.\n" + Human.Auto(j)));
            return command;
        }

        var deleteId = Arg("client-id", "The client");
        var delete = Command("delete", "Delete a client from this server (it must offer no services)", deleteId);
        cli.SetAction(delete, async i => CommandOutput.Of(
            await i.Client.DeleteClientAsync(i.Value(deleteId), i.CancellationToken).ConfigureAwait(false),
            $"Deleted client {i.Value(deleteId)}."));

        var typeId = Arg("client-id", "The client");
        var type = Arg("type", "http, https or https-certificate");
        var connectionType = Command("connection-type", "Set how the client's information systems connect", typeId, type);
        cli.SetAction(connectionType, async i => CommandOutput.Of(
            await i.Client.SetConnectionTypeAsync(i.Value(typeId), i.Value(type), i.CancellationToken).ConfigureAwait(false),
            $"Connection type of {i.Value(typeId)} is {i.Value(type)}."));

        return Group(
            "clients",
            "Clients (members and subsystems) hosted on this server",
            list,
            add,
            show,
            Request("register", "Send the client's registration to the Central Server", (c, id, ct) => c.RegisterClientAsync(id, ct), "Registration request sent"),
            Request("unregister", "Send the client's deletion to the Central Server", (c, id, ct) => c.UnregisterClientAsync(id, ct), "Deletion request sent"),
            Request("disable", "Disable the client (it neither consumes nor provides)", (c, id, ct) => c.DisableClientAsync(id, ct), "Disable request sent"),
            Request("enable", "Enable a disabled client", (c, id, ct) => c.EnableClientAsync(id, ct), "Enable request sent"),
            delete,
            connectionType);
    }

    public static Command IsCerts(CliContext cli)
    {
        var addId = Arg("client-id", "The client");
        var file = Arg("file", "The information system's TLS certificate (PEM or DER)");
        var add = Command("add", "Trust an information system's TLS certificate for the client", addId, file);
        cli.SetAction(add, async i => CommandOutput.Of(
            await i.Client.AddIsCertificateAsync(i.Value(addId), CliContext.ReadInputFile(i.Value(file), MaxCertificateBytes), i.CancellationToken).ConfigureAwait(false),
            j => "IS certificate added.\n" + Human.Fields(j, "hash")));

        var removeId = Arg("client-id", "The client");
        var hash = Arg("hash", "The certificate's SHA-256 (hex)");
        var remove = Command("remove", "Stop trusting an IS certificate", removeId, hash);
        cli.SetAction(remove, async i => CommandOutput.Of(
            await i.Client.RemoveIsCertificateAsync(i.Value(removeId), i.Value(hash), i.CancellationToken).ConfigureAwait(false),
            $"Removed IS certificate {i.Value(hash)}."));

        return Group("is-certs", "TLS certificates of a client's information systems", add, remove);
    }

    public static Command Groups(CliContext cli)
    {
        var listId = Arg("client-id", "The client owning the groups");
        var list = Command("list", "List a client's local groups", listId);
        cli.SetAction(list, async i => CommandOutput.Of(
            await i.Client.ListLocalGroupsAsync(i.Value(listId), i.CancellationToken).ConfigureAwait(false),
            j => Human.Table(
                Human.Items(j),
                ("CODE", r => Human.Get(r, "code")),
                ("DESCRIPTION", r => Human.Get(r, "description")),
                ("MEMBERS", r => Human.Items(r, "members").Count().ToString(System.Globalization.CultureInfo.InvariantCulture)))));

        var showId = Arg("client-id", "The client");
        var showCode = Arg("code", "The group's code");
        var show = Command("show", "Show a local group with its members", showId, showCode);
        cli.SetAction(show, async i => CommandOutput.Of(
            await i.Client.GetLocalGroupAsync(i.Value(showId), i.Value(showCode), i.CancellationToken).ConfigureAwait(false),
            j => Human.Fields(j, "code", "description") + "\n\n" + Human.Auto(j.TryGetProperty("members", out var m) ? m : default)));

        var addId = Arg("client-id", "The client");
        var addCode = Arg("code", "The group's code");
        var description = Opt("--description", "What the group is for", required: true);
        var add = Command("add", "Add a local group", addId, addCode, description);
        cli.SetAction(add, async i => CommandOutput.Of(
            await i.Client.AddLocalGroupAsync(i.Value(addId), i.Value(addCode), i.Value(description)!, i.CancellationToken).ConfigureAwait(false),
            $"Added local group {i.Value(addCode)}."));

        var deleteId = Arg("client-id", "The client");
        var deleteCode = Arg("code", "The group's code");
        var delete = Command("delete", "Delete a local group", deleteId, deleteCode);
        cli.SetAction(delete, async i => CommandOutput.Of(
            await i.Client.DeleteLocalGroupAsync(i.Value(deleteId), i.Value(deleteCode), i.CancellationToken).ConfigureAwait(false),
            $"Deleted local group {i.Value(deleteCode)}."));

        var membersId = Arg("client-id", "The client");
        var membersCode = Arg("code", "The group's code");
        var members = new Argument<string[]>("member") { Description = "Member clients, e.g. DEV/GOV/70000002/app", Arity = ArgumentArity.OneOrMore };
        var addMembers = Command("add-members", "Add members to a local group", membersId, membersCode, members);
        cli.SetAction(addMembers, async i => CommandOutput.Of(
            await i.Client.AddLocalGroupMembersAsync(i.Value(membersId), i.Value(membersCode), i.Value(members), i.CancellationToken).ConfigureAwait(false),
            $"Added {i.Value(members).Length} member(s) to {i.Value(membersCode)}."));

        var removeId = Arg("client-id", "The client");
        var removeCode = Arg("code", "The group's code");
        var member = Arg("member", "The member client to remove");
        var removeMember = Command("remove-member", "Remove a member from a local group", removeId, removeCode, member);
        cli.SetAction(removeMember, async i => CommandOutput.Of(
            await i.Client.RemoveLocalGroupMemberAsync(i.Value(removeId), i.Value(removeCode), i.Value(member), i.CancellationToken).ConfigureAwait(false),
            $"Removed {i.Value(member)} from {i.Value(removeCode)}."));

        return Group("groups", "Local groups of a client (access-right subjects local-group:CODE)", list, show, add, delete, addMembers, removeMember);
    }

    private static Option<string?> ConnectionTypeOption()
    {
        return new Option<string?>("--connection-type") { Description = "http (default), https or https-certificate" };
    }
}
