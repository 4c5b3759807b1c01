using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ExchangeGateway.Common.Identifiers;
using ExchangeGateway.Config.Client;
using ExchangeGateway.Config.Management;
using ExchangeGateway.Config.Model;
using ExchangeGateway.SecurityServer.Registry;
using ExchangeGateway.Signer.Keys;
using ExchangeGateway.Signer.Tokens;
using Microsoft.Extensions.Logging.Abstractions;

namespace ExchangeGateway.SecurityServer.Onboarding;

/// <summary>
/// Sends this server's management requests, signed in the token (<see cref="SoftwareToken.SignCms"/>), to the
/// management service the global configuration names, and records what the Central Server accepted: the token
/// certificate's state or the local client's status moves to the matching "in progress" state and the request
/// goes to the <see cref="ManagementRequestLog"/>. <see cref="Follow"/> completes those states when a global
/// configuration shows the result. Requests are sent one at a time, so two callers cannot both start the same
/// change; a refusal of any kind changes nothing locally.
/// </summary>
public sealed partial class OnboardingService : IOnboarding, IDisposable
{
    private const string JsonMediaType = "application/json";

    private readonly SoftwareToken _token;
    private readonly LocalConfigurationStore _local;
    private readonly ConfigurationClient _configuration;
    private readonly HttpClient _http;
    private readonly OnboardingOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Creates the service.</summary>
    /// <param name="token">The software token holding the signing and authentication keys.</param>
    /// <param name="local">The local configuration (clients and their status).</param>
    /// <param name="configuration">The global configuration client (management service address, follow-up).</param>
    /// <param name="http">The client POSTing to the management service (its own timeout is not relied on).</param>
    /// <param name="sent">Where accepted requests are recorded.</param>
    /// <param name="options">Public address, request timeout, answer size cap.</param>
    /// <param name="time">The clock for request times and signing times.</param>
    /// <param name="logger">Where to log; nothing when null.</param>
    public OnboardingService(
        SoftwareToken token,
        LocalConfigurationStore local,
        ConfigurationClient configuration,
        HttpClient http,
        ManagementRequestLog sent,
        OnboardingOptions options,
        TimeProvider time,
        ILogger<OnboardingService>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(local);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(sent);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        _token = token;
        _local = local;
        _configuration = configuration;
        _http = http;
        Sent = sent;
        _options = options;
        _time = time;
        _log = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <summary>The requests sent and accepted.</summary>
    public ManagementRequestLog Sent { get; }

    /// <inheritdoc />
    public Task<OnboardingResult> RegisterAuthenticationCertificateAsync(string certificateId, string? address, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(certificateId);
        return SendAsync(ManagementRequestType.AuthCertRegistration, certificateId, cancellationToken, context =>
        {
            if (FindAuthenticationCertificate(certificateId) is not { } cert)
            {
                return Refuse(OnboardingErrors.NotFound, $"The token has no authentication certificate {certificateId}.");
            }

            if (cert.State != CertificateState.Saved)
            {
                return Refuse(OnboardingErrors.InvalidState, $"Certificate {certificateId} is {Text(cert.State)}; only a saved authentication certificate can be registered.");
            }

            var request = ManagementRequestBuilder.AuthCertRegistration(context.RequestId, context.Now, context.Local.ServerId, cert.Der.Span, address ?? _options.PublicAddress);
            return new Outgoing(request, context.Local.Owner, cert.Id, () => SetCertificateState(cert.Id, CertificateState.RegistrationInProgress));
        });
    }

    /// <inheritdoc />
    public Task<OnboardingResult> UnregisterAuthenticationCertificateAsync(string certificateId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(certificateId);
        return SendAsync(ManagementRequestType.AuthCertDeletion, certificateId, cancellationToken, context =>
        {
            if (FindAuthenticationCertificate(certificateId) is not { } cert)
            {
                return Refuse(OnboardingErrors.NotFound, $"The token has no authentication certificate {certificateId}.");
            }

            if (cert.State is not (CertificateState.Registered or CertificateState.GlobalError))
            {
                return Refuse(OnboardingErrors.InvalidState, $"Certificate {certificateId} is {Text(cert.State)}; only a registered authentication certificate can be unregistered.");
            }

            var request = ManagementRequestBuilder.AuthCertDeletion(context.RequestId, context.Now, context.Local.ServerId, cert.Id);
            return new Outgoing(request, context.Local.Owner, null, () => SetCertificateState(cert.Id, CertificateState.DeletionInProgress));
        });
    }

    /// <inheritdoc />
    public Task<OnboardingResult> RegisterClientAsync(ClientId client, CancellationToken cancellationToken) =>
        SendClientRequestAsync(client, ManagementRequestType.ClientRegistration, [ClientStatus.Saved, ClientStatus.GlobalError], ClientStatus.RegistrationInProgress, ManagementRequestBuilder.ClientRegistration, cancellationToken);

    /// <inheritdoc />
    public Task<OnboardingResult> UnregisterClientAsync(ClientId client, CancellationToken cancellationToken) =>
        SendClientRequestAsync(client, ManagementRequestType.ClientDeletion, [ClientStatus.Registered, ClientStatus.Disabled, ClientStatus.GlobalError], ClientStatus.DeletionInProgress, ManagementRequestBuilder.ClientDeletion, cancellationToken);

    /// <inheritdoc />
    public Task<OnboardingResult> DisableClientAsync(ClientId client, CancellationToken cancellationToken) =>
        SendClientRequestAsync(client, ManagementRequestType.ClientDisable, [ClientStatus.Registered], ClientStatus.DisablingInProgress, ManagementRequestBuilder.ClientDisable, cancellationToken);

    /// <inheritdoc />
    public Task<OnboardingResult> EnableClientAsync(ClientId client, CancellationToken cancellationToken) =>
        SendClientRequestAsync(client, ManagementRequestType.ClientEnable, [ClientStatus.Disabled], ClientStatus.EnablingInProgress, ManagementRequestBuilder.ClientEnable, cancellationToken);

    /// <inheritdoc />
    public Task<OnboardingResult> ChangeAddressAsync(string address, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(address);
        return SendAsync(ManagementRequestType.AddressChange, address, cancellationToken, context =>
            new Outgoing(ManagementRequestBuilder.AddressChange(context.RequestId, context.Now, context.Local.ServerId, address), context.Local.Owner, null, null));
    }

    /// <inheritdoc />
    public Task<OnboardingResult> ChangeOwnerAsync(MemberId newOwner, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(newOwner);
        return SendAsync(ManagementRequestType.OwnerChange, newOwner.ToString(), cancellationToken, context =>
        {
            if (newOwner == context.Local.Owner)
            {
                return Refuse(OnboardingErrors.InvalidState, $"{newOwner} already owns {context.Local.ServerId}.");
            }

            // The Central Server demands it too: the new owner is hosted here, itself or through a subsystem.
            var hosted = context.Local.Clients.Any(c => c.Id.Member == newOwner && c.Status is ClientStatus.Registered or ClientStatus.Disabled);
            if (!hosted)
            {
                return Refuse(OnboardingErrors.InvalidState, $"{newOwner} has no registered client on {context.Local.ServerId}; register one first.");
            }

            return new Outgoing(ManagementRequestBuilder.OwnerChange(context.RequestId, context.Now, context.Local.ServerId, newOwner), newOwner, null, null);
        });
    }

    /// <inheritdoc />
    public void Dispose() => _gate.Dispose();

    private Task<OnboardingResult> SendClientRequestAsync(
        ClientId client,
        ManagementRequestType type,
        ClientStatus[] from,
        ClientStatus to,
        Func<Guid, DateTimeOffset, SecurityServerId, ClientId, byte[]> build,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        return SendAsync(type, client.ToString(), cancellationToken, context =>
        {
            if (context.Local.FindClient(client) is not { } found)
            {
                return Refuse(OnboardingErrors.NotFound, $"{client} is not a client of this server.");
            }

            if (!from.Contains(found.Status))
            {
                return Refuse(OnboardingErrors.InvalidState, $"{client} is {LocalConfigurationSerializer.ClientStatusText(found.Status)}; a {ManagementRequestTypeNames.Name(type)} starts from {string.Join(" or ", from.Select(LocalConfigurationSerializer.ClientStatusText))}.");
            }

            return new Outgoing(build(context.RequestId, context.Now, context.Local.ServerId, client), context.Local.Owner, null, () => SetClientStatus(client, from, to));
        });
    }

    // The common path: preconditions, the caller's checks and request, signatures, the POST, and on acceptance the local state change and the record.
    private async Task<OnboardingResult> SendAsync(ManagementRequestType type, string target, CancellationToken cancellationToken, Func<RequestContext, Prepared> prepare)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_local.Current is not { } local)
            {
                return Failed(OnboardingErrors.NotInitialised, "The server is not initialised: it has no server configuration yet.");
            }

            if (_token.Status != TokenStatus.LoggedIn)
            {
                return Failed(OnboardingErrors.TokenNotActive, "The key token is not logged in; log in to sign management requests.");
            }

            var now = _time.GetUtcNow();
            if (!_configuration.TryGetValid(now, out GlobalConfiguration conf))
            {
                return Failed(OnboardingErrors.NoGlobalConfiguration, "No valid global configuration: the management service address is unknown.");
            }

            var prepared = prepare(new RequestContext(local, Guid.NewGuid(), now));
            if (prepared.Refusal is { } refusal)
            {
                return refusal;
            }

            var outgoing = prepared.Request!;
            if (FindSigningCertificate(outgoing.Signer, now) is not { } signer)
            {
                return Failed(OnboardingErrors.NoSigningCertificate, $"{outgoing.Signer} has no active registered signing certificate in the token.");
            }

            var ownerSignature = _token.SignCms(signer.Id, outgoing.Bytes, now);
            if (!ownerSignature.Success)
            {
                return FromToken(ownerSignature.Code, ownerSignature.Message);
            }

            byte[] authSignature = [];
            if (outgoing.ProofOfPossessionBy is { } authCertificate)
            {
                var proof = _token.SignCms(authCertificate, outgoing.Bytes, now);
                if (!proof.Success)
                {
                    return FromToken(proof.Code, proof.Message);
                }

                authSignature = proof.Value;
            }

            var envelope = ManagementRequestBuilder.Envelope(outgoing.Bytes, ownerSignature.Value, authSignature);
            var answer = await PostAsync(new Uri(conf.ManagementServiceAddress), envelope, cancellationToken).ConfigureAwait(false);
            var typeName = ManagementRequestTypeNames.Name(type);
            if (!answer.Success)
            {
                LogRefused(_log, typeName, target, answer.Code!, answer.Message ?? string.Empty);
                return answer;
            }

            // Accepted: it will happen (now or on approval), so the local state says "in progress" from here on.
            outgoing.OnAccepted?.Invoke();
            Sent.Add(new SentManagementRequest { Id = answer.RequestId!, Type = typeName, Target = target, SentAt = now, State = answer.RequestState! });
            LogAccepted(_log, typeName, target, answer.RequestId!, answer.RequestState!);
            return answer;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<OnboardingResult> PostAsync(Uri address, string envelope, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.RequestTimeout);
        try
        {
            using var content = new StringContent(envelope, Encoding.UTF8, new MediaTypeHeaderValue(JsonMediaType));
            using var response = await _http.PostAsync(address, content, timeout.Token).ConfigureAwait(false);
            var body = await ReadBoundedAsync(response.Content, timeout.Token).ConfigureAwait(false);
            return Interpret((int)response.StatusCode, body);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Failed(OnboardingErrors.CentralServerUnreachable, $"The management service at {address} did not answer within {_options.RequestTimeout}.");
        }
        catch (HttpRequestException ex)
        {
            return Failed(OnboardingErrors.CentralServerUnreachable, $"The management service at {address} cannot be reached: {ex.Message}");
        }
        catch (IOException ex)
        {
            return Failed(OnboardingErrors.CentralServerUnreachable, $"The connection to the management service at {address} broke: {ex.Message}");
        }
    }

    private async Task<byte[]?> ReadBoundedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var buffer = new byte[_options.MaxResponseBytes + 1];
            var total = 0;
            while (total < buffer.Length)
            {
                var read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    return buffer[..total];
                }

                total += read;
            }

            return null;
        }
    }

    // 202 {"id","state"} is acceptance; a problem body carries the Central Server's code.
    private static OnboardingResult Interpret(int status, byte[]? body)
    {
        if (body is null)
        {
            return Failed(OnboardingErrors.CentralServerRejected, $"The Central Server answered {status} with a body above the size limit.");
        }

        try
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            if (status == 202 && root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String
                && root.TryGetProperty("state", out var state) && state.ValueKind == JsonValueKind.String)
            {
                return new OnboardingResult { RequestId = id.GetString(), RequestState = state.GetString() };
            }

            var code = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
            var detail = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("detail", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
            return Failed(OnboardingErrors.CentralServerRejected, $"{code ?? "http_" + status.ToString(CultureInfo.InvariantCulture)}: {detail ?? "the Central Server refused the request"}");
        }
        catch (JsonException)
        {
            return Failed(OnboardingErrors.CentralServerRejected, $"The Central Server answered {status.ToString(CultureInfo.InvariantCulture)} with a body that is not JSON.");
        }
    }

    private CertificateInfo? FindAuthenticationCertificate(string certificateId) =>
        _token.Describe().Keys
            .Where(k => k.Usage == KeyPurpose.Authentication)
            .SelectMany(k => k.Certificates)
            .FirstOrDefault(c => string.Equals(c.Id, certificateId, StringComparison.Ordinal));

    // The newest (by notBefore) active, registered, currently valid signing certificate of the member.
    private CertificateInfo? FindSigningCertificate(MemberId member, DateTimeOffset now) =>
        _token.Describe().Keys
            .Where(k => k.Usage == KeyPurpose.Signing)
            .SelectMany(k => k.Certificates)
            .Where(c => c.Member == member && c.Active && c.State == CertificateState.Registered && c.NotBefore <= now && now <= c.NotAfter)
            .OrderByDescending(c => c.NotBefore)
            .FirstOrDefault();

    private void SetCertificateState(string certificateId, CertificateState state)
    {
        var result = _token.SetState(certificateId, state);
        if (!result.Success)
        {
            // The Central Server accepted the request; the follower corrects the state from the configuration.
            LogStateNotSet(_log, certificateId, Text(state), result.Code);
        }
    }

    private void SetClientStatus(ClientId client, ClientStatus[] from, ClientStatus to) =>
        _local.Update(current =>
        {
            // Only from the state checked before sending; a change in between (the follower) wins.
            if (current.FindClient(client) is not { } found || !from.Contains(found.Status))
            {
                return LocalConfigurationChange.Keep(false);
            }

            var next = current.WithClient(found with { Status = to });
            return next.Success ? LocalConfigurationChange.Commit(next.Value, true) : LocalConfigurationChange.Keep(false);
        });

    private static OnboardingResult FromToken(string code, string message) =>
        code == TokenErrors.NotActive || code == TokenErrors.LockedOut
            ? Failed(OnboardingErrors.TokenNotActive, message)
            : Failed(code, message);

    private static OnboardingResult Failed(string code, string message) => new() { Code = code, Message = message };

    private static Prepared Refuse(string code, string message) => new(null, Failed(code, message));

    internal static string Text(CertificateState state) => state switch
    {
        CertificateState.Saved => "saved",
        CertificateState.RegistrationInProgress => "registration-in-progress",
        CertificateState.Registered => "registered",
        CertificateState.DeletionInProgress => "deletion-in-progress",
        CertificateState.Deleted => "deleted",
        CertificateState.GlobalError => "global-error",
        _ => state.ToString(),
    };

    [LoggerMessage(EventId = 4201, Level = LogLevel.Information, Message = "Management request {Type} for {Target} accepted by the Central Server as {RequestId}: {State}")]
    private static partial void LogAccepted(ILogger logger, string type, string target, string requestId, string state);

    [LoggerMessage(EventId = 4202, Level = LogLevel.Warning, Message = "Management request {Type} for {Target} not accepted: {Code} {Reason}")]
    private static partial void LogRefused(ILogger logger, string type, string target, string code, string reason);

    [LoggerMessage(EventId = 4203, Level = LogLevel.Warning, Message = "Certificate {CertificateId} could not be moved to {State}: {Code}")]
    private static partial void LogStateNotSet(ILogger logger, string certificateId, string state, string code);

    private sealed record RequestContext(LocalConfiguration Local, Guid RequestId, DateTimeOffset Now);

    // The request bytes, whose signing certificate signs them, which authentication certificate proves possession, and what to do on acceptance.
    private sealed record Outgoing(byte[] Bytes, MemberId Signer, string? ProofOfPossessionBy, Action? OnAccepted);

    private sealed record Prepared(Outgoing? Request, OnboardingResult? Refusal)
    {
        public static implicit operator Prepared(Outgoing request) => new(request, null);
    }
}
