using System.CommandLine;
using System.Text.Json;
using static ExchangeGateway.Cli.Commands.Symbols;

namespace ExchangeGateway.Cli.Commands;

/// <summary>The token, its keys, CSRs and certificates.</summary>
internal static class TokenCommands
{
    private const long MaxCertificateBytes = 1024 * 1024;

    public static Command Token(CliContext cli)
    {
        var show = Command("show", "Show the token: status, failed logins, keys");
        cli.SetAction(show, async i => CommandOutput.Of(await i.Client.GetTokenAsync(i.CancellationToken).ConfigureAwait(false), DescribeToken));

        var pin = PinFile();
        var login = Command("login", "Log in to the token (the keys can sign)", pin);
        cli.SetAction(login, async i => CommandOutput.Of(
            await i.Client.LoginAsync(cli.ReadPin(i.Parse, pin, CliContext.PinVariable), i.CancellationToken).ConfigureAwait(false),
            "Logged in."));

        var logout = Command("logout", "Log out of the token (nothing can sign until the next login)");
        cli.SetAction(logout, async i => CommandOutput.Of(await i.Client.LogoutAsync(i.CancellationToken).ConfigureAwait(false), "Logged out."));

        var oldPin = PinFile();
        var newPin = new Option<string?>("--new-pin-file") { Description = "A file holding the new PIN (else $" + CliContext.NewPinVariable + ")" };
        var change = Command("change-pin", "Change the token PIN (the keys stay)", oldPin, newPin);
        cli.SetAction(change, async i => CommandOutput.Of(
            await i.Client.ChangePinAsync(
                cli.ReadPin(i.Parse, oldPin, CliContext.PinVariable),
                cli.ReadPin(i.Parse, newPin, CliContext.NewPinVariable),
                i.CancellationToken).ConfigureAwait(false),
            "PIN changed."));

        return Group("token", "The software token", show, login, logout, change);
    }

    public static Command Keys(CliContext cli)
    {
        var list = Command("list", "List the token's keys");
        cli.SetAction(list, async i =>
        {
            var token = await i.Client.GetTokenAsync(i.CancellationToken).ConfigureAwait(false);
            var keys = token.TryGetProperty("keys", out var k) ? k : default;
            return CommandOutput.Of(keys, KeyTable);
        });

        var usage = new Option<string>("--usage") { Description = "authentication or signing", Required = true };
        usage.AcceptOnlyFromAmong("authentication", "signing");
        var name = Opt("--name", "A friendly name", required: true);
        var member = Opt("--member", "The member a signing key belongs to, e.g. DEV/GOV/70000001");
        var algorithm = new Option<string?>("--algorithm") { Description = "ecdsa-p256 (default), rsa-2048 or rsa-3072" };
        algorithm.AcceptOnlyFromAmong("ecdsa-p256", "rsa-2048", "rsa-3072");
        var generate = Command("generate", "Generate a key in the token (logged in)", usage, name, member, algorithm);
        cli.SetAction(generate, async i => CommandOutput.Of(
            await i.Client.GenerateKeyAsync(i.Value(usage), i.Value(name)!, i.Value(member), i.Value(algorithm), i.CancellationToken).ConfigureAwait(false),
            j => "Key generated.\n" + Human.Fields(j, "id", "friendlyName", "usage", "algorithm", "member")));

        var renameId = Arg("key-id", "The key's id");
        var newName = Arg("name", "The new friendly name");
        var rename = Command("rename", "Rename a key", renameId, newName);
        cli.SetAction(rename, async i => CommandOutput.Of(
            await i.Client.RenameKeyAsync(i.Value(renameId), i.Value(newName), i.CancellationToken).ConfigureAwait(false),
            j => Human.Fields(j, "id", "friendlyName")));

        var deleteId = Arg("key-id", "The key's id");
        var delete = Command("delete", "Delete a key with its certificates and CSRs", deleteId);
        cli.SetAction(delete, async i => CommandOutput.Of(
            await i.Client.DeleteKeyAsync(i.Value(deleteId), i.CancellationToken).ConfigureAwait(false),
            $"Deleted key {i.Value(deleteId)}."));

        return Group("keys", "Keys of the token", list, generate, rename, delete);
    }

    public static Command Csr(CliContext cli)
    {
        var keyId = Arg("key-id", "The key's id");
        var member = Opt("--member", "The member of a signing key's certificate (default: the key's member)");
        var ca = Opt("--ca", "The approved CA whose subject profile to follow (default: the first)");
        var createOut = Out();
        var create = Command("create", "Make a certificate signing request with a key; prints or writes its PEM", keyId, member, ca, createOut);
        cli.SetAction(create, async i =>
        {
            var json = await i.Client.CreateCsrAsync(i.Value(keyId), i.Value(member), i.Value(ca), i.CancellationToken).ConfigureAwait(false);
            if (i.Value(createOut) is { } path)
            {
                var pem = json.TryGetProperty("pem", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString()! : throw new InvalidDataException("The CSR response has no pem.");
                var written = await SystemCommands.Download(i, System.Text.Encoding.ASCII.GetBytes(pem), path).ConfigureAwait(false);
                return CommandOutput.Of(json, Human.Fields(json, "id", "subject") + "\n" + written.Human);
            }

            return CommandOutput.Of(json, j => Human.Fields(j, "id", "subject") + "\n" + Human.Get(j, "pem").TrimEnd('\n'));
        });

        var downloadKey = Arg("key-id", "The key's id");
        var downloadCsr = Arg("csr-id", "The CSR's id");
        var downloadOut = Out();
        var download = Command("download", "Download a CSR (PEM)", downloadKey, downloadCsr, downloadOut);
        cli.SetAction(download, async i => await SystemCommands.Download(
            i,
            await i.Client.DownloadCsrAsync(i.Value(downloadKey), i.Value(downloadCsr), i.CancellationToken).ConfigureAwait(false),
            i.Value(downloadOut)).ConfigureAwait(false));

        var deleteKey = Arg("key-id", "The key's id");
        var deleteCsr = Arg("csr-id", "The CSR's id");
        var delete = Command("delete", "Delete a CSR", deleteKey, deleteCsr);
        cli.SetAction(delete, async i => CommandOutput.Of(
            await i.Client.DeleteCsrAsync(i.Value(deleteKey), i.Value(deleteCsr), i.CancellationToken).ConfigureAwait(false),
            $"Deleted CSR {i.Value(deleteCsr)}."));

        return Group("csr", "Certificate signing requests", create, download, delete);
    }

    public static Command Certs(CliContext cli)
    {
        var file = Arg("file", "The certificate: PEM (leaf first, then its chain) or DER");
        var import = Command("import", "Import a certificate the CA issued for a key of the token", file);
        cli.SetAction(import, async i => CommandOutput.Of(
            await i.Client.ImportCertificateAsync(CliContext.ReadInputFile(i.Value(file), MaxCertificateBytes), i.CancellationToken).ConfigureAwait(false),
            j => "Imported.\n" + Human.Fields(j, "id", "keyId", "usage", "member", "state", "active", "subject", "notAfter")));

        var list = Command("list", "List the token's certificates");
        cli.SetAction(list, async i =>
        {
            var token = await i.Client.GetTokenAsync(i.CancellationToken).ConfigureAwait(false);
            return CommandOutput.Of(Certificates(token), CertificateTable);
        });

        var showId = Arg("certificate-id", "The certificate's id (SHA-256 hex)");
        var show = Command("show", "Show a certificate", showId);
        cli.SetAction(show, async i => CommandOutput.Of(
            await i.Client.GetCertificateAsync(i.Value(showId), i.CancellationToken).ConfigureAwait(false),
            j => Human.Fields(j, "id", "keyId", "usage", "member", "state", "active", "subject", "issuer", "serialNumber", "notBefore", "notAfter", "ocsp.status", "ocsp")));

        Command Toggle(string name, string description, Func<AdminClient, string, CancellationToken, Task<JsonElement>> call, string done)
        {
            var id = Arg("certificate-id", "The certificate's id (SHA-256 hex)");
            var command = Command(name, description, id);
            cli.SetAction(command, async i => CommandOutput.Of(await call(i.Client, i.Value(id), i.CancellationToken).ConfigureAwait(false), $"{done} {i.Value(id)}."));
            return command;
        }

        var registerId = Arg("certificate-id", "The authentication certificate's id");
        var address = Opt("--address", "The address to register (default: the server's)");
        var register = Command("register", "Send the authentication certificate's registration to the Central Server", registerId, address);
        cli.SetAction(register, async i => CommandOutput.Of(
            await i.Client.RegisterCertificateAsync(i.Value(registerId), i.Value(address), i.CancellationToken).ConfigureAwait(false),
            j => "Registration request sent.\n" + Human.Auto(j)));

        return Group(
            "certs",
            "Certificates of the token's keys",
            import,
            list,
            show,
            Toggle("activate", "Activate a certificate", (c, id, ct) => c.ActivateCertificateAsync(id, ct), "Activated"),
            Toggle("deactivate", "Deactivate a certificate", (c, id, ct) => c.DeactivateCertificateAsync(id, ct), "Deactivated"),
            register,
            Toggle("unregister", "Send the authentication certificate's deletion to the Central Server", (c, id, ct) => c.UnregisterCertificateAsync(id, ct), "Deletion request sent for"),
            Toggle("delete", "Delete a certificate from the token", (c, id, ct) => c.DeleteCertificateAsync(id, ct), "Deleted certificate"));
    }

    /// <summary>Every certificate of every key of a token, as one JSON array.</summary>
    internal static JsonElement Certificates(JsonElement token)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var key in Human.Items(token, "keys"))
            {
                foreach (var certificate in Human.Items(key, "certificates"))
                {
                    certificate.WriteTo(writer);
                }
            }

            writer.WriteEndArray();
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }

    private static string DescribeToken(JsonElement token) =>
        Human.Fields(token, "id", "name", "status", "failedAttempts", "maxFailedAttempts", "lockedUntil")
        + "\n\n" + KeyTable(token.TryGetProperty("keys", out var keys) ? keys : default);

    private static string KeyTable(JsonElement keys) => Human.Table(
        Human.Items(keys),
        ("ID", r => Human.Get(r, "id")),
        ("USAGE", r => Human.Get(r, "usage")),
        ("NAME", r => Human.Get(r, "friendlyName")),
        ("MEMBER", r => Human.Get(r, "member")),
        ("CERTS", r => Human.Items(r, "certificates").Count().ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ("CSRS", r => Human.Items(r, "csrs").Count().ToString(System.Globalization.CultureInfo.InvariantCulture)));

    private static string CertificateTable(JsonElement certificates) => Human.Table(
        Human.Items(certificates),
        ("ID", "id"),
        ("USAGE", "usage"),
        ("STATE", "state"),
        ("ACTIVE", "active"),
        ("SUBJECT", "subject"),
        ("NOT AFTER", "notAfter"));
}
