using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using ExchangeGateway.Common.Identifiers;
using ExchangeGateway.Config.Client;
using ExchangeGateway.MessageLog.Storage;
using ExchangeGateway.SecurityServer.Exchange;
using ExchangeGateway.Signer.Ocsp;
using ExchangeGateway.Signer.Tokens;

namespace ExchangeGateway.SecurityServer.Admin;

/// <summary>
/// The diagnostics endpoints (<see cref="AdminPermission.ReadDiagnostics"/>): the global configuration client's
/// state, the OCSP status of each token certificate, whether each time-stamping service answers, and whether
/// a peer security server accepts a TCP connection and a TLS handshake.
/// </summary>
public static partial class RegistryAdminApi
{
    /// <summary>How long a reachability probe (connect, then TLS handshake) may take.</summary>
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(5);

    private static void MapDiagnostics(RouteGroupBuilder api)
    {
        api.MapGet("/diagnostics/global-configuration", GlobalConfigurationDiagnostics).WithMetadata(new AdminAccess(AdminPermission.ReadDiagnostics, "diagnostics.global-configuration"));
        api.MapGet("/diagnostics/ocsp", OcspDiagnostics).WithMetadata(new AdminAccess(AdminPermission.ReadDiagnostics, "diagnostics.ocsp"));
        api.MapGet("/diagnostics/timestamping", TimestampingDiagnostics).WithMetadata(new AdminAccess(AdminPermission.ReadDiagnostics, "diagnostics.timestamping"));
        api.MapGet("/diagnostics/peers/{serverId}", PeerDiagnostics).WithMetadata(new AdminAccess(AdminPermission.ReadDiagnostics, "diagnostics.peer"));
    }

    private static IResult GlobalConfigurationDiagnostics(HttpContext context, TimeProvider time)
    {
        var (client, failure) = Optional<ConfigurationClient>(context, "a configuration client");
        if (failure is not null)
        {
            return failure.ToResult();
        }

        var status = client!.Status;
        var current = client.Current;
        var now = time.GetUtcNow();
        return WrittenJson(w =>
        {
            w.WriteStartObject();
            w.WriteString("instance", client.Anchor.InstanceId);
            w.WriteBoolean("valid", client.TryGetValid(now, out _));
            if (status.Serial is { } serial)
            {
                w.WriteNumber("serial", serial);
            }
            else
            {
                w.WriteNull("serial");
            }

            WriteNullableTime(w, "generatedAt", status.GeneratedAt);
            WriteNullableTime(w, "expiresAt", status.ValidUntil);
            WriteNullableTime(w, "lastAttempt", status.LastAttempt);
            WriteNullableTime(w, "lastSuccess", status.LastSuccess);
            WriteNullableTime(w, "nextAttemptAt", status.NextAttemptAt);
            WriteNullableString(w, "lastError", status.LastError);
            w.WriteNumber("consecutiveFailures", status.ConsecutiveFailures);
            WriteNullableString(w, "managementServiceAddress", current?.ManagementServiceAddress);
            w.WriteNumber("securityServers", current?.SecurityServers.Count ?? 0);
            w.WriteNumber("approvedCas", current?.ApprovedCas.Count ?? 0);
            w.WriteNumber("approvedTsas", current?.ApprovedTsas.Count ?? 0);
            w.WriteEndObject();
        });
    }

    private static IResult OcspDiagnostics(HttpContext context)
    {
        var (token, failure) = Token(context);
        if (failure is not null)
        {
            return failure.ToResult();
        }

        var states = OcspStates(context);
        var tracked = context.RequestServices.GetService<OcspStatusManager>() is not null;
        return WrittenJson(w =>
        {
            w.WriteStartArray();
            foreach (var key in token!.Describe().Keys)
            {
                foreach (var certificate in key.Certificates)
                {
                    w.WriteStartObject();
                    w.WriteString("certificateId", certificate.Id);
                    w.WriteString("keyId", key.Id);
                    w.WriteString("usage", UsageText(key.Usage));
                    w.WriteString("subject", certificate.Subject);
                    w.WriteString("state", CertificateStateText(certificate.State));
                    w.WriteBoolean("active", certificate.Active);
                    w.WriteBoolean("tracked", tracked && states.ContainsKey(certificate.Id));
                    if (states.TryGetValue(certificate.Id, out var state))
                    {
                        WriteOcsp(w, "ocsp", state);
                    }
                    else
                    {
                        w.WriteNull("ocsp");
                    }

                    w.WriteEndObject();
                }
            }

            w.WriteEndArray();
        });
    }

    private static async Task<IResult> TimestampingDiagnostics(HttpContext context, TimestampingSelection selection, TimeProvider time)
    {
        var (configuration, failure) = GlobalConfigurationOrFailure(context);
        if (failure is not null)
        {
            return failure.ToResult();
        }

        // The selected TSAs in order, or every approved one when none is selected (what the message log uses).
        var names = selection.Names.Count > 0 ? selection.Names : [.. configuration!.ApprovedTsas.Select(t => t.Name)];
        var probes = new List<(string Name, string? Url, ProbeResult? Probe)>();
        foreach (var name in names)
        {
            var tsa = configuration!.FindTsa(name);
            var probe = tsa is null || !Uri.TryCreate(tsa.Url, UriKind.Absolute, out var url)
                ? null
                : await ProbeAsync(url.Host, url.Port, tls: null, time, context.RequestAborted).ConfigureAwait(false);
            probes.Add((name, tsa?.Url, probe));
        }

        var log = context.RequestServices.GetService<MessageLogStore>()?.GetTimeStampingStatus();
        return WrittenJson(w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("services");
            foreach (var (name, url, probe) in probes)
            {
                w.WriteStartObject();
                w.WriteString("name", name);
                WriteNullableString(w, "url", url);
                w.WriteBoolean("approved", url is not null);
                w.WriteBoolean("reachable", probe is { Connected: true });
                if (probe is not null)
                {
                    w.WriteNumber("latencyMs", probe.ConnectMs);
                }

                WriteNullableString(w, "error", url is null ? "not approved in the global configuration" : probe?.Error);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            WriteCheckpoint(w, "lastStampedCheckpoint", log?.LastStampedCheckpoint);
            WriteNullableTime(w, "oldestUnstampedAt", log?.OldestUnstampedAt);
            w.WriteEndObject();
        });
    }

    private static async Task<IResult> PeerDiagnostics(HttpContext context, TimeProvider time)
    {
        var (raw, pathFailure) = AdminPath.Read(context, "serverId");
        if (pathFailure is not null)
        {
            return pathFailure.ToResult();
        }

        var serverId = SecurityServerId.TryParse(raw);
        if (!serverId.Success)
        {
            return new AdminFailure(AdminFailureKind.InvalidIdentifier, serverId.Message).ToResult();
        }

        var (configuration, failure) = GlobalConfigurationOrFailure(context);
        if (failure is not null)
        {
            return failure.ToResult();
        }

        if (configuration!.FindSecurityServer(serverId.Value) is not { } server)
        {
            return new AdminFailure(AdminFailureKind.NotFound, $"The global configuration lists no security server {serverId.Value}.").ToResult();
        }

        var endpoint = PeerClient.EndpointOf(server);
        using var identity = context.RequestServices.GetService<SoftwareToken>()?.GetAuthenticationIdentity();
        var probe = await ProbeAsync(endpoint.IdnHost, endpoint.Port, new TlsProbe(endpoint.IdnHost, identity?.Certificate), time, context.RequestAborted).ConfigureAwait(false);
        var registered = probe.PeerCertificateSha256 is { } hash && server.AuthenticationCertificateHashes.Contains(hash, StringComparer.Ordinal);
        return WrittenJson(w =>
        {
            w.WriteStartObject();
            w.WriteString("serverId", server.Id.ToString());
            w.WriteString("address", server.Address);
            w.WriteString("endpoint", endpoint.GetLeftPart(UriPartial.Authority));
            w.WriteBoolean("tcp", probe.Connected);
            w.WriteNumber("connectMs", probe.ConnectMs);
            w.WriteBoolean("tls", probe.Handshaken);
            if (probe.HandshakeMs is { } ms)
            {
                w.WriteNumber("handshakeMs", ms);
            }

            WriteNullableString(w, "protocol", probe.Protocol);
            WriteNullableString(w, "peerCertificateSha256", probe.PeerCertificateSha256);
            w.WriteBoolean("peerCertificateRegistered", registered);
            w.WriteBoolean("clientCertificatePresented", identity is not null);
            w.WriteBoolean("reachable", probe.Handshaken && registered);
            WriteNullableString(w, "error", probe.Error ?? (probe.Handshaken && !registered ? "the peer's TLS certificate is not registered for it in the global configuration" : null));
            w.WriteEndObject();
        });
    }

    /// <summary>Connects to <paramref name="host"/>:<paramref name="port"/> and, with <paramref name="tls"/>, shakes hands; bounded by <see cref="ProbeTimeout"/>.</summary>
    private static async Task<ProbeResult> ProbeAsync(string host, int port, TlsProbe? tls, TimeProvider time, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(ProbeTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var started = time.GetTimestamp();
        using var socket = new TcpClient();
        try
        {
            await socket.ConnectAsync(host, port, linked.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return new ProbeResult(false, Millis(time, started), false, null, null, null, ex is SocketException s ? $"connect: {s.SocketErrorCode}" : $"connect: no answer within {ProbeTimeout.TotalSeconds:0} s");
        }

        var connectMs = Millis(time, started);
        if (tls is null)
        {
            return new ProbeResult(true, connectMs, false, null, null, null, null);
        }

        var handshakeStarted = time.GetTimestamp();
        string? peerHash = null;
        var stream = new SslStream(socket.GetStream(), leaveInnerStreamOpen: false);
        await using (stream.ConfigureAwait(false))
        {
            try
            {
                // Diagnostics only: the peer's certificate is recorded and compared with the global configuration
                // below, never trusted for anything; the exchange path does its own full validation.
                await stream.AuthenticateAsClientAsync(
                    new SslClientAuthenticationOptions
                    {
                        TargetHost = tls.Host,
                        EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                        ClientCertificates = tls.ClientCertificate is null ? null : [tls.ClientCertificate],
                        RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                        {
                            peerHash = certificate is null ? null : Convert.ToHexStringLower(SHA256.HashData(certificate.GetRawCertData()));
                            return certificate is not null;
                        },
                    },
                    linked.Token).ConfigureAwait(false);
                return new ProbeResult(true, connectMs, true, Millis(time, handshakeStarted), stream.SslProtocol.ToString(), peerHash, null);
            }
            catch (Exception ex) when (ex is AuthenticationException or IOException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                var reason = ex is OperationCanceledException ? $"no handshake within {ProbeTimeout.TotalSeconds:0} s" : ex.Message;
                return new ProbeResult(true, connectMs, false, Millis(time, handshakeStarted), null, peerHash, $"tls: {reason}");
            }
        }
    }

    private static long Millis(TimeProvider time, long started) => (long)time.GetElapsedTime(started).TotalMilliseconds;

    private sealed record TlsProbe(string Host, X509Certificate2? ClientCertificate);

    private sealed record ProbeResult(bool Connected, long ConnectMs, bool Handshaken, long? HandshakeMs, string? Protocol, string? PeerCertificateSha256, string? Error);
}
