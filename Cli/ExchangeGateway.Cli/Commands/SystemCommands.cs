using System.CommandLine;
using System.Globalization;
using static ExchangeGateway.Cli.Commands.Symbols;

namespace ExchangeGateway.Cli.Commands;

/// <summary>Initialisation, status, TSAs, anchor, diagnostics, address, owner, management requests, backups, API keys.</summary>
internal static class SystemCommands
{
    private const long MaxAnchorBytes = 1024 * 1024;

    public static Command Init(CliContext cli)
    {
        var owner = Opt("--owner", "The owner member, e.g. DEV/GOV/70000001", required: true);
        var code = Opt("--server-code", "This server's code, e.g. ss1", required: true);
        var pin = PinFile();
        var command = Command("init", "Initialise the server: owner, server code and the token's first PIN", owner, code, pin);
        cli.SetAction(command, async i =>
        {
            var json = await i.Client.InitialiseAsync(i.Value(owner)!, i.Value(code)!, cli.ReadPin(i.Parse, pin, CliContext.PinVariable), i.CancellationToken).ConfigureAwait(false);
            return CommandOutput.Of(json, j => "Initialised.\n" + Human.Fields(j, "serverId", "tokenStatus"));
        });
        return command;
    }

    public static Command Status(CliContext cli)
    {
        var command = Command("status", "Show whether the server is initialised, its id and the token status");
        cli.SetAction(command, async i => CommandOutput.Of(
            await i.Client.GetInitialisationAsync(i.CancellationToken).ConfigureAwait(false),
            j => Human.Fields(j, "initialised", "serverId", "tokenStatus")));
        return command;
    }

    public static Command Tsa(CliContext cli)
    {
        var approved = Command("approved", "List the time-stamping services the global configuration approves");
        cli.SetAction(approved, async i => CommandOutput.Of(await i.Client.ListApprovedTsasAsync(i.CancellationToken).ConfigureAwait(false), Human.Auto));

        var list = Command("list", "List the time-stamping services this server uses (none selected: all approved)");
        cli.SetAction(list, async i => CommandOutput.Of(await i.Client.ListTsasAsync(i.CancellationToken).ConfigureAwait(false), Human.Auto));

        var addName = Arg("name", "The approved TSA's name");
        var add = Command("add", "Use an approved time-stamping service", addName);
        cli.SetAction(add, async i => CommandOutput.Of(
            await i.Client.AddTsaAsync(i.Value(addName), i.CancellationToken).ConfigureAwait(false),
            $"Added time-stamping service {i.Value(addName)}."));

        var removeName = Arg("name", "The TSA's name");
        var remove = Command("remove", "Stop using a time-stamping service", removeName);
        cli.SetAction(remove, async i => CommandOutput.Of(
            await i.Client.RemoveTsaAsync(i.Value(removeName), i.CancellationToken).ConfigureAwait(false),
            $"Removed time-stamping service {i.Value(removeName)}."));

        return Group("tsa", "Time-stamping services", approved, list, add, remove);
    }

    public static Command Anchor(CliContext cli)
    {
        var show = Command("show", "Show the configuration anchor in use");
        cli.SetAction(show, async i => CommandOutput.Of(
            await i.Client.GetAnchorAsync(i.CancellationToken).ConfigureAwait(false),
            j => Human.Fields(j, "instance", "sha256", "generatedAt", "urls")));

        var output = Out();
        var download = Command("download", "Download the anchor file", output);
        cli.SetAction(download, async i => await Download(i, await i.Client.DownloadAnchorAsync(i.CancellationToken).ConfigureAwait(false), i.Value(output)).ConfigureAwait(false));

        var file = Arg("file", "The new anchor file (same instance)");
        var replace = Command("replace", "Replace the anchor (used from the next configuration download)", file);
        cli.SetAction(replace, async i => CommandOutput.Of(
            await i.Client.ReplaceAnchorAsync(CliContext.ReadInputFile(i.Value(file), MaxAnchorBytes), i.CancellationToken).ConfigureAwait(false),
            j => "Anchor replaced.\n" + Human.Fields(j, "instance", "sha256", "generatedAt")));

        return Group("anchor", "The configuration anchor", show, download, replace);
    }

    public static Command Diag(CliContext cli)
    {
        var globalconf = Command("globalconf", "Global configuration download status");
        cli.SetAction(globalconf, async i => CommandOutput.Of(await i.Client.GetGlobalConfigurationDiagnosticsAsync(i.CancellationToken).ConfigureAwait(false), Human.Auto));

        var ocsp = Command("ocsp", "OCSP status of each token certificate");
        cli.SetAction(ocsp, async i => CommandOutput.Of(await i.Client.GetOcspDiagnosticsAsync(i.CancellationToken).ConfigureAwait(false), j => Human.Table(
            Human.Items(j),
            ("CERTIFICATE", "certificateId"),
            ("USAGE", "usage"),
            ("STATE", "state"),
            ("OCSP", "ocsp.status"),
            ("NEXT UPDATE", "ocsp.nextUpdate"),
            ("LAST ERROR", "ocsp.lastError"))));

        var tsa = Command("tsa", "Reachability and last time-stamp of each TSA");
        cli.SetAction(tsa, async i => CommandOutput.Of(await i.Client.GetTimestampingDiagnosticsAsync(i.CancellationToken).ConfigureAwait(false), Human.Auto));

        var server = Arg("server-id", "The other security server, e.g. DEV/GOV/70000002/ss2");
        var peer = Command("peer", "TCP and TLS reachability of another security server", server);
        cli.SetAction(peer, async i => CommandOutput.Of(await i.Client.GetPeerDiagnosticsAsync(i.Value(server), i.CancellationToken).ConfigureAwait(false), Human.Auto));

        return Group("diag", "Diagnostics", globalconf, ocsp, tsa, peer);
    }

    public static Command Address(CliContext cli)
    {
        var address = Arg("address", "The public address other servers connect to, e.g. ss1.example.org:5500");
        var set = Command("set", "Change the server's address (sent to the Central Server)", address);
        cli.SetAction(set, async i => CommandOutput.Of(
            await i.Client.SetAddressAsync(i.Value(address), i.CancellationToken).ConfigureAwait(false),
            j => "Address change sent.\n" + Human.Auto(j)));
        return Group("address", "The server's public address", set);
    }

    public static Command Owner(CliContext cli)
    {
        var member = Arg("member-id", "The new owner, a registered member client of this server, e.g. DEV/GOV/70000002");
        var change = Command("change", "Change the server's owner (sent to the Central Server, signed by the new owner)", member);
        cli.SetAction(change, async i => CommandOutput.Of(
            await i.Client.ChangeOwnerAsync(i.Value(member), i.CancellationToken).ConfigureAwait(false),
            j => "Owner change sent.\n" + Human.Auto(j)));
        return Group("owner", "The server's owner", change);
    }

    public static Command Requests(CliContext cli)
    {
        var list = Command("list", "List the management requests this server sent to the Central Server");
        cli.SetAction(list, async i => CommandOutput.Of(await i.Client.ListManagementRequestsAsync(i.CancellationToken).ConfigureAwait(false), Human.Auto));
        return Group("requests", "Management requests", list);
    }

    public static Command Backup(CliContext cli)
    {
        var create = Command("create", "Back up configuration, keys (still encrypted) and anchor, signed by the owner");
        cli.SetAction(create, async i => CommandOutput.Of(
            await i.Client.CreateBackupAsync(i.CancellationToken).ConfigureAwait(false),
            j => "Backup created.\n" + Human.Fields(j, "name", "size", "sha256")));

        var list = Command("list", "List the backups on the server");
        cli.SetAction(list, async i => CommandOutput.Of(
            await i.Client.ListBackupsAsync(i.CancellationToken).ConfigureAwait(false),
            j => Human.Table(Human.Items(j), ("NAME", "name"), ("SIZE", "size"), ("CREATED", "createdAt"), ("SHA-256", "sha256"))));

        var downloadName = Arg("name", "The backup's name");
        var output = Out();
        var download = Command("download", "Download a backup", downloadName, output);
        cli.SetAction(download, i => cli.DownloadAsync(i.Value(output), stream => i.Client.DownloadBackupAsync(i.Value(downloadName), stream, i.CancellationToken)));

        var restoreFile = Arg("file", "The backup file (.tar)");
        var restore = Command("restore", "Restore a backup onto this server (the token is logged out afterwards: log in with the backup's PIN)", restoreFile);
        cli.SetAction(restore, async i =>
        {
            var stream = CliContext.OpenInputFile(i.Value(restoreFile));
            await using (stream.ConfigureAwait(false))
            {
                return CommandOutput.Of(
                    await i.Client.RestoreBackupAsync(stream, i.CancellationToken).ConfigureAwait(false),
                    j => "Restored. Log in with the PIN the backed-up token had.\n" + Human.Fields(j, "serverId", "restoredFiles"));
            }
        });

        var deleteName = Arg("name", "The backup's name");
        var delete = Command("delete", "Delete a backup from the server", deleteName);
        cli.SetAction(delete, async i => CommandOutput.Of(
            await i.Client.DeleteBackupAsync(i.Value(deleteName), i.CancellationToken).ConfigureAwait(false),
            $"Deleted backup {i.Value(deleteName)}."));

        return Group("backup", "Signed backups of the server", create, list, download, restore, delete);
    }

    public static Command ApiKeys(CliContext cli)
    {
        var list = Command("list", "List the admin API keys");
        cli.SetAction(list, async i => CommandOutput.Of(
            await i.Client.ListApiKeysAsync(i.CancellationToken).ConfigureAwait(false),
            j => Human.Table(Human.Items(j), ("ID", "id"), ("NAME", "name"), ("ROLES", "roles"), ("ACTIVE", "active"), ("CREATED", "createdAt"))));

        var name = Arg("name", "A name for people");
        var roles = new Option<string[]>("--role")
        {
            Description = "A role (repeatable): system-administrator, security-officer, registration-officer, service-administrator, observer, auditor",
            Required = true,
            AllowMultipleArgumentsPerToken = false,
            Arity = ArgumentArity.OneOrMore,
        };
        var create = Command("create", "Create an API key; the key is shown once", name, roles);
        cli.SetAction(create, async i => CommandOutput.Of(
            await i.Client.CreateApiKeyAsync(i.Value(name), i.Value(roles), i.CancellationToken).ConfigureAwait(false),
            j => Human.Fields(j, "id", "name", "roles", "key") + "\nStore the key now: it is not shown again."));

        var id = Arg("key-id", "The key's id");
        var revoke = Command("revoke", "Revoke an API key (its next request fails)", id);
        cli.SetAction(revoke, async i => CommandOutput.Of(
            await i.Client.RevokeApiKeyAsync(i.Value(id), i.CancellationToken).ConfigureAwait(false),
            $"Revoked API key {i.Value(id)}."));

        return Group("api-keys", "Admin API keys (from loopback only)", list, create, revoke);
    }

    /// <summary>Writes downloaded bytes to <paramref name="path"/>, or to standard output when null.</summary>
    internal static async Task<CommandOutput> Download(Invocation i, byte[] bytes, string? path)
    {
        if (path is not null)
        {
            var file = CliContext.CreateOutputFile(path);
            await using (file.ConfigureAwait(false))
            {
                await file.WriteAsync(bytes, i.CancellationToken).ConfigureAwait(false);
            }

            return CommandOutput.Of(default, string.Create(CultureInfo.InvariantCulture, $"Wrote {Human.Bytes(bytes.Length)} to {path}."));
        }

        await i.Cli.Environment.Out.FlushAsync(i.CancellationToken).ConfigureAwait(false);
        var stdout = i.Cli.Environment.OpenStandardOutput();
        await using (stdout.ConfigureAwait(false))
        {
            await stdout.WriteAsync(bytes, i.CancellationToken).ConfigureAwait(false);
            await stdout.FlushAsync(i.CancellationToken).ConfigureAwait(false);
        }

        return CommandOutput.None;
    }
}
