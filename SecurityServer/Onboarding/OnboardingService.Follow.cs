using ExchangeGateway.Common.Identifiers;
using ExchangeGateway.Config.Management;
using ExchangeGateway.Config.Model;
using ExchangeGateway.SecurityServer.Registry;
using ExchangeGateway.Signer.Keys;
using ExchangeGateway.Signer.Tokens;

namespace ExchangeGateway.SecurityServer.Onboarding;

/// <summary>Following the global configuration: what it shows is what happened at the Central Server.</summary>
public sealed partial class OnboardingService
{
    /// <summary>
    /// Advances certificate and client states to what <paramref name="configuration"/> shows for this server
    /// (ISSUE6-CONTRACTS.md, "Onboarding"). An owner change shows as our server code under the new owner carrying
    /// one of our authentication certificates: the local server id follows first, then everything else is read
    /// against the new id. Idempotent; safe to call with the same configuration again. Works logged out.
    /// </summary>
    public void Follow(GlobalConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (_local.Current is not { } local || !string.Equals(configuration.InstanceId, local.ServerId.Owner.Instance, StringComparison.Ordinal))
        {
            return;
        }

        var now = _time.GetUtcNow();
        var authCertificates = _token.Describe().Keys
            .Where(k => k.Usage == KeyPurpose.Authentication)
            .SelectMany(k => k.Certificates)
            .ToList();
        local = FollowOwnerChange(configuration, local, authCertificates, now);
        var server = configuration.FindSecurityServer(local.ServerId);
        FollowCertificates(server, authCertificates, now);
        FollowClients(server, local.ServerId, now);
    }

    private LocalConfiguration FollowOwnerChange(GlobalConfiguration configuration, LocalConfiguration local, List<CertificateInfo> authCertificates, DateTimeOffset now)
    {
        if (configuration.FindSecurityServer(local.ServerId) is not null)
        {
            return local;
        }

        var ours = authCertificates
            .Where(c => c.State is CertificateState.Registered or CertificateState.RegistrationInProgress or CertificateState.DeletionInProgress)
            .Select(c => Convert.FromHexString(c.Id))
            .Select(hash => configuration.FindServerByAuthenticationCertificate(hash))
            .FirstOrDefault(s => s is not null && s.Id.ServerCode == local.ServerId.ServerCode && s.Id.Owner != local.Owner);
        if (ours is null)
        {
            return local;
        }

        var moved = _local.Update(current =>
        {
            if (current.ServerId != local.ServerId)
            {
                return LocalConfigurationChange.Keep(current);
            }

            var next = LocalConfiguration.TryCreate(ours.Id, current.Clients);
            return next.Success ? LocalConfigurationChange.Commit(next.Value, next.Value) : LocalConfigurationChange.Keep(current);
        });
        if (moved.ServerId == ours.Id)
        {
            Sent.MarkApplied(ManagementRequestTypeNames.Name(ManagementRequestType.OwnerChange), ours.Id.Owner.ToString(), now);
            LogOwnerChanged(_log, local.ServerId.ToString(), ours.Id.ToString());
        }

        return moved;
    }

    private void FollowCertificates(SecurityServerInfo? server, List<CertificateInfo> authCertificates, DateTimeOffset now)
    {
        var registered = new HashSet<string>(server?.AuthenticationCertificateHashes ?? [], StringComparer.Ordinal);
        foreach (var cert in authCertificates)
        {
            var listed = registered.Contains(cert.Id);
            CertificateState? next = (cert.State, listed) switch
            {
                (CertificateState.RegistrationInProgress, true) => CertificateState.Registered,
                (CertificateState.GlobalError, true) => CertificateState.Registered,
                (CertificateState.Registered, false) => CertificateState.GlobalError,
                (CertificateState.DeletionInProgress, false) => CertificateState.Deleted,
                _ => null,
            };
            if (next is null)
            {
                continue;
            }

            var result = _token.SetState(cert.Id, next.Value);
            if (!result.Success)
            {
                LogStateNotSet(_log, cert.Id, Text(next.Value), result.Code);
                continue;
            }

            LogCertificateFollowed(_log, cert.Id, Text(cert.State), Text(next.Value));
            var type = cert.State switch
            {
                CertificateState.RegistrationInProgress => ManagementRequestType.AuthCertRegistration,
                CertificateState.DeletionInProgress => ManagementRequestType.AuthCertDeletion,
                _ => (ManagementRequestType?)null,
            };
            if (type is { } applied)
            {
                Sent.MarkApplied(ManagementRequestTypeNames.Name(applied), cert.Id, now);
            }
        }
    }

    private void FollowClients(SecurityServerInfo? server, SecurityServerId serverId, DateTimeOffset now)
    {
        var hosted = new HashSet<ClientId>(server?.Clients ?? []);
        var changes = _local.Update(current =>
        {
            if (current.ServerId != serverId)
            {
                return LocalConfigurationChange.Keep(new List<(ClientId, ClientStatus, ClientStatus)>());
            }

            var moved = new List<(ClientId Client, ClientStatus From, ClientStatus To)>();
            var next = current;
            foreach (var client in current.Clients)
            {
                var listed = hosted.Contains(client.Id);
                var disabled = listed && server!.IsDisabled(client.Id);
                if (Next(client.Status, listed, disabled) is not { } status)
                {
                    continue;
                }

                var updated = next.WithClient(client with { Status = status });
                if (updated.Success)
                {
                    next = updated.Value;
                    moved.Add((client.Id, client.Status, status));
                }
            }

            return moved.Count == 0 ? LocalConfigurationChange.Keep(moved) : LocalConfigurationChange.Commit(next, moved);
        });

        foreach (var (client, from, to) in changes)
        {
            LogClientFollowed(_log, client.ToString(), LocalConfigurationSerializer.ClientStatusText(from), LocalConfigurationSerializer.ClientStatusText(to));
            var type = from switch
            {
                ClientStatus.RegistrationInProgress => ManagementRequestType.ClientRegistration,
                ClientStatus.DeletionInProgress => ManagementRequestType.ClientDeletion,
                ClientStatus.DisablingInProgress => ManagementRequestType.ClientDisable,
                ClientStatus.EnablingInProgress => ManagementRequestType.ClientEnable,
                _ => (ManagementRequestType?)null,
            };
            if (type is { } applied)
            {
                Sent.MarkApplied(ManagementRequestTypeNames.Name(applied), client.ToString(), now);
            }
        }
    }

    // The client transitions: the contract's, plus a registered client the Central Server disabled or enabled
    // directly following that, and a client back in the configuration leaving global-error.
    private static ClientStatus? Next(ClientStatus status, bool listed, bool disabled) => (status, listed, disabled) switch
    {
        (ClientStatus.RegistrationInProgress, true, false) => ClientStatus.Registered,
        (ClientStatus.RegistrationInProgress, true, true) => ClientStatus.Disabled,
        (ClientStatus.Registered, false, _) => ClientStatus.GlobalError,
        (ClientStatus.Registered, true, true) => ClientStatus.Disabled,
        (ClientStatus.DeletionInProgress, false, _) => ClientStatus.Saved,
        (ClientStatus.DisablingInProgress, true, true) => ClientStatus.Disabled,
        (ClientStatus.DisablingInProgress, false, _) => ClientStatus.GlobalError,
        (ClientStatus.Disabled, true, false) => ClientStatus.Registered,
        (ClientStatus.Disabled, false, _) => ClientStatus.GlobalError,
        (ClientStatus.EnablingInProgress, true, false) => ClientStatus.Registered,
        (ClientStatus.EnablingInProgress, false, _) => ClientStatus.GlobalError,
        (ClientStatus.GlobalError, true, false) => ClientStatus.Registered,
        (ClientStatus.GlobalError, true, true) => ClientStatus.Disabled,
        _ => null,
    };

    [LoggerMessage(EventId = 4204, Level = LogLevel.Information, Message = "Authentication certificate {CertificateId}: {From} -> {To} (global configuration)")]
    private static partial void LogCertificateFollowed(ILogger logger, string certificateId, string from, string to);

    [LoggerMessage(EventId = 4205, Level = LogLevel.Information, Message = "Client {Client}: {From} -> {To} (global configuration)")]
    private static partial void LogClientFollowed(ILogger logger, string client, string from, string to);

    [LoggerMessage(EventId = 4206, Level = LogLevel.Warning, Message = "Owner change: this server {From} is now {To} in the global configuration")]
    private static partial void LogOwnerChanged(ILogger logger, string from, string to);
}
