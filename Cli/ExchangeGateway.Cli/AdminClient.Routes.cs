using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ExchangeGateway.Cli;

/// <summary>The admin API routes, one method each, in the order of ISSUE6-CONTRACTS.md.</summary>
public sealed partial class AdminClient
{
    private const string PemType = "application/x-pem-file";
    private const string DerType = "application/pkix-cert";

    // Initialisation and system

    /// <summary><c>GET /initialisation</c>: <c>{initialised, serverId, tokenStatus}</c>.</summary>
    public Task<JsonElement> GetInitialisationAsync(CancellationToken cancellationToken = default) =>
        GetAsync("initialisation", cancellationToken);

    /// <summary><c>POST /initialisation</c>: creates the local configuration and the token with its first PIN.</summary>
    public Task<JsonElement> InitialiseAsync(string ownerMemberId, string serverCode, string pin, CancellationToken cancellationToken = default) =>
        PostAsync("initialisation", Body(("ownerMemberId", ownerMemberId), ("serverCode", serverCode), ("pin", pin)), cancellationToken);

    /// <summary><c>GET /system/server</c>: <c>{serverId, owner, address, instance}</c>.</summary>
    public Task<JsonElement> GetServerAsync(CancellationToken cancellationToken = default) =>
        GetAsync("system/server", cancellationToken);

    /// <summary><c>PUT /system/address</c>: sends the address change to the Central Server.</summary>
    public Task<JsonElement> SetAddressAsync(string address, CancellationToken cancellationToken = default) =>
        PutAsync("system/address", Body(("address", address)), cancellationToken);

    /// <summary><c>PUT /system/owner</c>: sends the owner change to the Central Server.</summary>
    public Task<JsonElement> ChangeOwnerAsync(string memberId, CancellationToken cancellationToken = default) =>
        PutAsync("system/owner", Body(("memberId", memberId)), cancellationToken);

    // Clients

    /// <summary><c>GET /clients</c>.</summary>
    public Task<JsonElement> ListClientsAsync(CancellationToken cancellationToken = default) =>
        GetAsync("clients", cancellationToken);

    /// <summary><c>GET /clients/{id}</c>.</summary>
    public Task<JsonElement> GetClientAsync(string clientId, CancellationToken cancellationToken = default) =>
        GetAsync("clients/" + Segment(clientId), cancellationToken);

    /// <summary><c>POST /clients</c> <c>{id, connectionType?}</c>: adds a client in state saved.</summary>
    public Task<JsonElement> AddClientAsync(string clientId, string? connectionType = null, CancellationToken cancellationToken = default) =>
        PostAsync("clients", Body(("id", clientId), ("connectionType", connectionType)), cancellationToken);

    /// <summary><c>POST /clients/{id}/register</c>: 202 <c>{requestId, requestState}</c>.</summary>
    public Task<JsonElement> RegisterClientAsync(string clientId, CancellationToken cancellationToken = default) =>
        PostAsync(ClientPath(clientId) + "/register", null, cancellationToken);

    /// <summary><c>POST /clients/{id}/unregister</c>.</summary>
    public Task<JsonElement> UnregisterClientAsync(string clientId, CancellationToken cancellationToken = default) =>
        PostAsync(ClientPath(clientId) + "/unregister", null, cancellationToken);

    /// <summary><c>POST /clients/{id}/disable</c>.</summary>
    public Task<JsonElement> DisableClientAsync(string clientId, CancellationToken cancellationToken = default) =>
        PostAsync(ClientPath(clientId) + "/disable", null, cancellationToken);

    /// <summary><c>POST /clients/{id}/enable</c>.</summary>
    public Task<JsonElement> EnableClientAsync(string clientId, CancellationToken cancellationToken = default) =>
        PostAsync(ClientPath(clientId) + "/enable", null, cancellationToken);

    /// <summary><c>DELETE /clients/{id}</c>.</summary>
    public Task<JsonElement> DeleteClientAsync(string clientId, CancellationToken cancellationToken = default) =>
        DeleteAsync(ClientPath(clientId), cancellationToken);

    /// <summary><c>PUT /clients/{id}/connection-type</c> <c>{connectionType}</c>.</summary>
    public Task<JsonElement> SetConnectionTypeAsync(string clientId, string connectionType, CancellationToken cancellationToken = default) =>
        PutAsync(ClientPath(clientId) + "/connection-type", Body(("connectionType", connectionType)), cancellationToken);

    /// <summary><c>POST /clients/{id}/is-certificates</c> with a PEM or DER certificate: 201 <c>{hash}</c>.</summary>
    public Task<JsonElement> AddIsCertificateAsync(string clientId, ReadOnlyMemory<byte> certificate, CancellationToken cancellationToken = default) =>
        SendJsonAsync(HttpMethod.Post, ClientPath(clientId) + "/is-certificates", CertificateContent(certificate), cancellationToken);

    /// <summary><c>DELETE /clients/{id}/is-certificates/{hash}</c>.</summary>
    public Task<JsonElement> RemoveIsCertificateAsync(string clientId, string hash, CancellationToken cancellationToken = default) =>
        DeleteAsync(ClientPath(clientId) + "/is-certificates/" + Segment(hash), cancellationToken);

    // Local groups

    /// <summary><c>GET /clients/{id}/local-groups</c>.</summary>
    public Task<JsonElement> ListLocalGroupsAsync(string clientId, CancellationToken cancellationToken = default) =>
        GetAsync(ClientPath(clientId) + "/local-groups", cancellationToken);

    /// <summary><c>GET /clients/{id}/local-groups/{code}</c>.</summary>
    public Task<JsonElement> GetLocalGroupAsync(string clientId, string code, CancellationToken cancellationToken = default) =>
        GetAsync(GroupPath(clientId, code), cancellationToken);

    /// <summary><c>POST /clients/{id}/local-groups</c> <c>{code, description}</c>.</summary>
    public Task<JsonElement> AddLocalGroupAsync(string clientId, string code, string description, CancellationToken cancellationToken = default) =>
        PostAsync(ClientPath(clientId) + "/local-groups", Body(("code", code), ("description", description)), cancellationToken);

    /// <summary><c>PATCH /clients/{id}/local-groups/{code}</c> <c>{description}</c>.</summary>
    public Task<JsonElement> UpdateLocalGroupAsync(string clientId, string code, string description, CancellationToken cancellationToken = default) =>
        PatchAsync(GroupPath(clientId, code), Body(("description", description)), cancellationToken);

    /// <summary><c>DELETE /clients/{id}/local-groups/{code}</c>.</summary>
    public Task<JsonElement> DeleteLocalGroupAsync(string clientId, string code, CancellationToken cancellationToken = default) =>
        DeleteAsync(GroupPath(clientId, code), cancellationToken);

    /// <summary><c>POST /clients/{id}/local-groups/{code}/members</c> <c>{members:[…]}</c>.</summary>
    public Task<JsonElement> AddLocalGroupMembersAsync(string clientId, string code, IEnumerable<string> members, CancellationToken cancellationToken = default) =>
        PostAsync(GroupPath(clientId, code) + "/members", Body(("members", new JsonArray([.. members.Select(m => (JsonNode)JsonValue.Create(m))]))), cancellationToken);

    /// <summary><c>DELETE /clients/{id}/local-groups/{code}/members/{member}</c>.</summary>
    public Task<JsonElement> RemoveLocalGroupMemberAsync(string clientId, string code, string member, CancellationToken cancellationToken = default) =>
        DeleteAsync(GroupPath(clientId, code) + "/members/" + Segment(member), cancellationToken);

    // Services and descriptions

    /// <summary><c>GET /clients/{id}/service-descriptions</c>.</summary>
    public Task<JsonElement> ListServiceDescriptionsAsync(string clientId, CancellationToken cancellationToken = default) =>
        GetAsync(ClientPath(clientId) + "/service-descriptions", cancellationToken);

    /// <summary>
    /// <c>POST /clients/{id}/service-descriptions</c>: <paramref name="type"/> <c>wsdl</c> or <c>openapi3</c>, from
    /// <paramref name="url"/> or uploaded <paramref name="content"/> (one of them).
    /// </summary>
    public Task<JsonElement> AddServiceDescriptionAsync(string clientId, string type, string? url, byte[]? content, string? serviceCode = null, string? serviceUrl = null, CancellationToken cancellationToken = default) =>
        PostAsync(
            ClientPath(clientId) + "/service-descriptions",
            Body(("type", type), ("url", url), ("content", content is { } c ? Convert.ToBase64String(c) : null), ("serviceCode", serviceCode), ("serviceUrl", serviceUrl)),
            cancellationToken);

    /// <summary><c>POST /clients/{id}/service-descriptions/{descriptionId}/refresh</c>, from its URL or with uploaded <paramref name="content"/>.</summary>
    public Task<JsonElement> RefreshServiceDescriptionAsync(string clientId, string descriptionId, byte[]? content = null, CancellationToken cancellationToken = default) =>
        PostAsync(
            DescriptionPath(clientId, descriptionId) + "/refresh",
            content is { } c ? Body(("content", Convert.ToBase64String(c))) : null,
            cancellationToken);

    /// <summary><c>DELETE /clients/{id}/service-descriptions/{descriptionId}</c>.</summary>
    public Task<JsonElement> DeleteServiceDescriptionAsync(string clientId, string descriptionId, CancellationToken cancellationToken = default) =>
        DeleteAsync(DescriptionPath(clientId, descriptionId), cancellationToken);

    /// <summary><c>GET /clients/{id}/services/{code}</c>.</summary>
    public Task<JsonElement> GetServiceAsync(string clientId, string serviceCode, CancellationToken cancellationToken = default) =>
        GetAsync(ServicePath(clientId, serviceCode), cancellationToken);

    /// <summary><c>PUT /clients/{id}/services/{code}</c> with the service JSON (manual REST service).</summary>
    public Task<JsonElement> PutServiceAsync(string clientId, string serviceCode, JsonObject service, CancellationToken cancellationToken = default) =>
        PutAsync(ServicePath(clientId, serviceCode), service, cancellationToken);

    /// <summary><c>DELETE /clients/{id}/services/{code}</c>.</summary>
    public Task<JsonElement> DeleteServiceAsync(string clientId, string serviceCode, CancellationToken cancellationToken = default) =>
        DeleteAsync(ServicePath(clientId, serviceCode), cancellationToken);

    /// <summary><c>PUT /clients/{id}/services/{code}/access-rights</c>: replaces the service's access rights.</summary>
    public Task<JsonElement> PutAccessRightsAsync(string clientId, string serviceCode, JsonArray rights, CancellationToken cancellationToken = default) =>
        PutAsync(ServicePath(clientId, serviceCode) + "/access-rights", rights, cancellationToken);

    // Tokens, keys, CSRs, certificates

    /// <summary><c>GET /tokens</c>.</summary>
    public Task<JsonElement> ListTokensAsync(CancellationToken cancellationToken = default) =>
        GetAsync("tokens", cancellationToken);

    /// <summary><c>GET /tokens/0</c>.</summary>
    public Task<JsonElement> GetTokenAsync(CancellationToken cancellationToken = default) =>
        GetAsync("tokens/0", cancellationToken);

    /// <summary><c>POST /tokens/0/login</c> <c>{pin}</c>.</summary>
    public Task<JsonElement> LoginAsync(string pin, CancellationToken cancellationToken = default) =>
        PostAsync("tokens/0/login", Body(("pin", pin)), cancellationToken);

    /// <summary><c>POST /tokens/0/logout</c>.</summary>
    public Task<JsonElement> LogoutAsync(CancellationToken cancellationToken = default) =>
        PostAsync("tokens/0/logout", null, cancellationToken);

    /// <summary><c>PUT /tokens/0/pin</c> <c>{oldPin, newPin}</c>.</summary>
    public Task<JsonElement> ChangePinAsync(string oldPin, string newPin, CancellationToken cancellationToken = default) =>
        PutAsync("tokens/0/pin", Body(("oldPin", oldPin), ("newPin", newPin)), cancellationToken);

    /// <summary><c>POST /tokens/0/keys</c> <c>{usage, friendlyName, memberId?, algorithm?}</c>: 201 with the key.</summary>
    public Task<JsonElement> GenerateKeyAsync(string usage, string friendlyName, string? memberId = null, string? algorithm = null, CancellationToken cancellationToken = default) =>
        PostAsync("tokens/0/keys", Body(("usage", usage), ("friendlyName", friendlyName), ("memberId", memberId), ("algorithm", algorithm)), cancellationToken);

    /// <summary><c>GET /keys/{keyId}</c>.</summary>
    public Task<JsonElement> GetKeyAsync(string keyId, CancellationToken cancellationToken = default) =>
        GetAsync(KeyPath(keyId), cancellationToken);

    /// <summary><c>PATCH /keys/{keyId}</c> <c>{friendlyName}</c>.</summary>
    public Task<JsonElement> RenameKeyAsync(string keyId, string friendlyName, CancellationToken cancellationToken = default) =>
        PatchAsync(KeyPath(keyId), Body(("friendlyName", friendlyName)), cancellationToken);

    /// <summary><c>DELETE /keys/{keyId}</c>.</summary>
    public Task<JsonElement> DeleteKeyAsync(string keyId, CancellationToken cancellationToken = default) =>
        DeleteAsync(KeyPath(keyId), cancellationToken);

    /// <summary><c>POST /keys/{keyId}/csrs</c> <c>{memberId?, caName?}</c>: 201 <c>{id, subject, pem}</c>.</summary>
    public Task<JsonElement> CreateCsrAsync(string keyId, string? memberId = null, string? caName = null, CancellationToken cancellationToken = default) =>
        PostAsync(KeyPath(keyId) + "/csrs", Body(("memberId", memberId), ("caName", caName)), cancellationToken);

    /// <summary><c>GET /keys/{keyId}/csrs/{csrId}</c>: the PEM.</summary>
    public Task<byte[]> DownloadCsrAsync(string keyId, string csrId, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, KeyPath(keyId) + "/csrs/" + Segment(csrId), null, cancellationToken);

    /// <summary><c>DELETE /keys/{keyId}/csrs/{csrId}</c>.</summary>
    public Task<JsonElement> DeleteCsrAsync(string keyId, string csrId, CancellationToken cancellationToken = default) =>
        DeleteAsync(KeyPath(keyId) + "/csrs/" + Segment(csrId), cancellationToken);

    /// <summary><c>POST /certificates</c> with a PEM bundle (leaf first) or one DER certificate: 201 with the certificate.</summary>
    public Task<JsonElement> ImportCertificateAsync(ReadOnlyMemory<byte> certificate, CancellationToken cancellationToken = default) =>
        SendJsonAsync(HttpMethod.Post, "certificates", CertificateContent(certificate), cancellationToken);

    /// <summary><c>GET /certificates/{id}</c>.</summary>
    public Task<JsonElement> GetCertificateAsync(string certificateId, CancellationToken cancellationToken = default) =>
        GetAsync(CertificatePath(certificateId), cancellationToken);

    /// <summary><c>POST /certificates/{id}/activate</c>.</summary>
    public Task<JsonElement> ActivateCertificateAsync(string certificateId, CancellationToken cancellationToken = default) =>
        PostAsync(CertificatePath(certificateId) + "/activate", null, cancellationToken);

    /// <summary><c>POST /certificates/{id}/deactivate</c>.</summary>
    public Task<JsonElement> DeactivateCertificateAsync(string certificateId, CancellationToken cancellationToken = default) =>
        PostAsync(CertificatePath(certificateId) + "/deactivate", null, cancellationToken);

    /// <summary><c>POST /certificates/{id}/register</c> <c>{address?}</c>: 202, the registration request was sent.</summary>
    public Task<JsonElement> RegisterCertificateAsync(string certificateId, string? address = null, CancellationToken cancellationToken = default) =>
        PostAsync(CertificatePath(certificateId) + "/register", Body(("address", address)), cancellationToken);

    /// <summary><c>POST /certificates/{id}/unregister</c>: 202.</summary>
    public Task<JsonElement> UnregisterCertificateAsync(string certificateId, CancellationToken cancellationToken = default) =>
        PostAsync(CertificatePath(certificateId) + "/unregister", null, cancellationToken);

    /// <summary><c>DELETE /certificates/{id}</c>.</summary>
    public Task<JsonElement> DeleteCertificateAsync(string certificateId, CancellationToken cancellationToken = default) =>
        DeleteAsync(CertificatePath(certificateId), cancellationToken);

    /// <summary><c>GET /management-requests</c>: what this server sent to the Central Server.</summary>
    public Task<JsonElement> ListManagementRequestsAsync(CancellationToken cancellationToken = default) =>
        GetAsync("management-requests", cancellationToken);

    // Time-stamping services

    /// <summary><c>GET /timestamping-services/approved</c>: the TSAs of the global configuration.</summary>
    public Task<JsonElement> ListApprovedTsasAsync(CancellationToken cancellationToken = default) =>
        GetAsync("timestamping-services/approved", cancellationToken);

    /// <summary><c>GET /system/timestamping-services</c>: the TSAs this server uses.</summary>
    public Task<JsonElement> ListTsasAsync(CancellationToken cancellationToken = default) =>
        GetAsync("system/timestamping-services", cancellationToken);

    /// <summary><c>POST /system/timestamping-services</c> <c>{name}</c>.</summary>
    public Task<JsonElement> AddTsaAsync(string name, CancellationToken cancellationToken = default) =>
        PostAsync("system/timestamping-services", Body(("name", name)), cancellationToken);

    /// <summary><c>DELETE /system/timestamping-services/{name}</c>.</summary>
    public Task<JsonElement> RemoveTsaAsync(string name, CancellationToken cancellationToken = default) =>
        DeleteAsync("system/timestamping-services/" + Segment(name), cancellationToken);

    // Anchor

    /// <summary><c>GET /system/anchor</c>: <c>{instance, sha256, generatedAt, urls}</c>.</summary>
    public Task<JsonElement> GetAnchorAsync(CancellationToken cancellationToken = default) =>
        GetAsync("system/anchor", cancellationToken);

    /// <summary><c>GET /system/anchor/download</c>: the anchor file.</summary>
    public Task<byte[]> DownloadAnchorAsync(CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, "system/anchor/download", null, cancellationToken);

    /// <summary><c>PUT /system/anchor</c> with the anchor file (JSON).</summary>
    public Task<JsonElement> ReplaceAnchorAsync(ReadOnlyMemory<byte> anchor, CancellationToken cancellationToken = default) =>
        SendJsonAsync(HttpMethod.Put, "system/anchor", BinaryContent(anchor, "application/json"), cancellationToken);

    // Diagnostics

    /// <summary><c>GET /diagnostics/global-configuration</c>.</summary>
    public Task<JsonElement> GetGlobalConfigurationDiagnosticsAsync(CancellationToken cancellationToken = default) =>
        GetAsync("diagnostics/global-configuration", cancellationToken);

    /// <summary><c>GET /diagnostics/ocsp</c>.</summary>
    public Task<JsonElement> GetOcspDiagnosticsAsync(CancellationToken cancellationToken = default) =>
        GetAsync("diagnostics/ocsp", cancellationToken);

    /// <summary><c>GET /diagnostics/timestamping</c>.</summary>
    public Task<JsonElement> GetTimestampingDiagnosticsAsync(CancellationToken cancellationToken = default) =>
        GetAsync("diagnostics/timestamping", cancellationToken);

    /// <summary><c>GET /diagnostics/peers/{serverId}</c>: TCP and TLS reachability of another security server.</summary>
    public Task<JsonElement> GetPeerDiagnosticsAsync(string serverId, CancellationToken cancellationToken = default) =>
        GetAsync("diagnostics/peers/" + Segment(serverId), cancellationToken);

    // Backups

    /// <summary><c>POST /backups</c>: 201 <c>{name, size, sha256}</c>.</summary>
    public Task<JsonElement> CreateBackupAsync(CancellationToken cancellationToken = default) =>
        PostAsync("backups", null, cancellationToken);

    /// <summary><c>GET /backups</c>.</summary>
    public Task<JsonElement> ListBackupsAsync(CancellationToken cancellationToken = default) =>
        GetAsync("backups", cancellationToken);

    /// <summary><c>GET /backups/{name}</c>, copied to <paramref name="destination"/>; returns the bytes copied.</summary>
    public Task<long> DownloadBackupAsync(string name, Stream destination, CancellationToken cancellationToken = default) =>
        DownloadAsync("backups/" + Segment(name), destination, cancellationToken);

    /// <summary><c>DELETE /backups/{name}</c>.</summary>
    public Task<JsonElement> DeleteBackupAsync(string name, CancellationToken cancellationToken = default) =>
        DeleteAsync("backups/" + Segment(name), cancellationToken);

    /// <summary><c>POST /backups/restore</c> with the backup file: <c>{serverId, restoredFiles}</c>.</summary>
    public Task<JsonElement> RestoreBackupAsync(Stream backup, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(backup);
        var content = new StreamContent(backup);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
        return SendJsonAsync(HttpMethod.Post, "backups/restore", content, cancellationToken);
    }

    // API keys

    /// <summary><c>GET /api-keys</c>.</summary>
    public Task<JsonElement> ListApiKeysAsync(CancellationToken cancellationToken = default) =>
        GetAsync("api-keys", cancellationToken);

    /// <summary><c>POST /api-keys</c> <c>{name, roles}</c>: 201 with the key text (shown once).</summary>
    public Task<JsonElement> CreateApiKeyAsync(string name, IEnumerable<string> roles, CancellationToken cancellationToken = default) =>
        PostAsync("api-keys", Body(("name", name), ("roles", new JsonArray([.. roles.Select(r => (JsonNode)JsonValue.Create(r))]))), cancellationToken);

    /// <summary><c>DELETE /api-keys/{id}</c>.</summary>
    public Task<JsonElement> RevokeApiKeyAsync(string keyId, CancellationToken cancellationToken = default) =>
        DeleteAsync("api-keys/" + Segment(keyId), cancellationToken);

    // Message log (auditor)

    /// <summary>
    /// <c>GET /message-log/records?…</c>: one page of record metadata, <c>{records:[…], next}</c>. Each parameter
    /// (from, to, client, service, messageId, outcome, side, kind, limit, after) is sent percent-encoded, in the order given.
    /// </summary>
    public Task<JsonElement> SearchMessageLogAsync(IEnumerable<(string Name, string Value)> parameters, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var query = string.Join("&", parameters.Select(p => Uri.EscapeDataString(p.Name) + "=" + Uri.EscapeDataString(p.Value)));
        return GetAsync(query.Length == 0 ? "message-log/records" : "message-log/records?" + query, cancellationToken);
    }

    /// <summary>
    /// <c>GET /message-log/records/{sequence}/bundle</c>, or <c>GET /message-log/exchanges/{requestId}/bundle?side=</c>
    /// when <paramref name="sequence"/> is null: the evidence bundle, copied to <paramref name="destination"/>.
    /// </summary>
    public Task<long> DownloadEvidenceBundleAsync(long? sequence, string? requestId, string? side, Stream destination, CancellationToken cancellationToken = default) =>
        DownloadAsync(
            sequence is { } seq
                ? string.Create(CultureInfo.InvariantCulture, $"message-log/records/{seq}/bundle")
                : "message-log/exchanges/" + Segment(requestId ?? throw new ArgumentNullException(nameof(requestId))) + "/bundle" + (side is null ? string.Empty : "?side=" + Uri.EscapeDataString(side)),
            destination,
            cancellationToken);

    /// <summary><c>GET /message-log/export?from=&amp;to=</c>: the log between two checkpoints, streamed to <paramref name="destination"/>.</summary>
    public Task<long> DownloadLogExportAsync(long? from, long? to, Stream destination, CancellationToken cancellationToken = default)
    {
        var query = new List<string>();
        if (from is { } f)
        {
            query.Add(string.Create(CultureInfo.InvariantCulture, $"from={f}"));
        }

        if (to is { } t)
        {
            query.Add(string.Create(CultureInfo.InvariantCulture, $"to={t}"));
        }

        return DownloadAsync(query.Count == 0 ? "message-log/export" : "message-log/export?" + string.Join('&', query), destination, cancellationToken);
    }

    /// <summary><c>GET /message-log/integrity</c>: the last checkpoints and the integrity monitor's status.</summary>
    public Task<JsonElement> GetMessageLogIntegrityAsync(CancellationToken cancellationToken = default) =>
        GetAsync("message-log/integrity", cancellationToken);

    private static string ClientPath(string clientId) => "clients/" + Segment(clientId);

    private static string GroupPath(string clientId, string code) => ClientPath(clientId) + "/local-groups/" + Segment(code);

    private static string DescriptionPath(string clientId, string descriptionId) => ClientPath(clientId) + "/service-descriptions/" + Segment(descriptionId);

    private static string ServicePath(string clientId, string serviceCode) => ClientPath(clientId) + "/services/" + Segment(serviceCode);

    private static string KeyPath(string keyId) => "keys/" + Segment(keyId);

    private static string CertificatePath(string certificateId) => "certificates/" + Segment(certificateId);

    /// <summary>PEM when the bytes start (after white space) with <c>-----BEGIN</c>, else DER.</summary>
    private static ByteArrayContent CertificateContent(ReadOnlyMemory<byte> certificate) =>
        BinaryContent(certificate, IsPem(certificate.Span) ? PemType : DerType);

    internal static bool IsPem(ReadOnlySpan<byte> bytes)
    {
        var trimmed = bytes.TrimStart(" \t\r\n"u8);
        if (trimmed.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            trimmed = trimmed[3..];
        }

        return trimmed.StartsWith("-----BEGIN"u8);
    }
}
