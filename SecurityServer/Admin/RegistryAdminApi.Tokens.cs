using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using ExchangeGateway.Common.Identifiers;
using ExchangeGateway.Config.Client;
using ExchangeGateway.Config.Model;
using ExchangeGateway.SecurityServer.Onboarding;
using ExchangeGateway.SecurityServer.Registry;
using ExchangeGateway.Signer.Enrolment;
using ExchangeGateway.Signer.Keys;
using ExchangeGateway.Signer.Ocsp;
using ExchangeGateway.Signer.Tokens;

namespace ExchangeGateway.SecurityServer.Admin;

/// <summary>
/// The token, key, CSR and certificate endpoints over the <see cref="SoftwareToken"/> (id <c>0</c>). Reading
/// needs <see cref="AdminPermission.ReadRegistry"/>; every change needs <see cref="AdminPermission.ManageKeys"/>
/// and comes from loopback. Token failures keep their <c>signer.*</c> codes (<see cref="AdminErrors.DelegatedStatus"/>).
/// </summary>
public static partial class RegistryAdminApi
{
    private const int MaxCertificateBundleBytes = 256 * 1024;
    private const string Pkcs10Type = "application/pkcs10";

    private static void MapTokens(RouteGroupBuilder api)
    {
        api.MapGet("/tokens", (Delegate)ListTokens).WithMetadata(new AdminAccess(AdminPermission.ReadRegistry, "token.list"));
        api.MapGet("/tokens/{tokenId}", (Delegate)GetToken).WithMetadata(new AdminAccess(AdminPermission.ReadRegistry, "token.read"));
        api.MapPost("/tokens/{tokenId}/login", (Delegate)LoginToken).WithMetadata(Keys("token.login"));
        api.MapPost("/tokens/{tokenId}/logout", (Delegate)LogoutToken).WithMetadata(Keys("token.logout"));
        api.MapPut("/tokens/{tokenId}/pin", (Delegate)ChangeTokenPin).WithMetadata(Keys("token.pin.change"));
        api.MapPost("/tokens/{tokenId}/keys", GenerateKey).WithMetadata(Keys("key.generate"));
        api.MapGet("/keys/{keyId}", (Delegate)GetKey).WithMetadata(new AdminAccess(AdminPermission.ReadRegistry, "key.read"));
        api.MapPatch("/keys/{keyId}", (Delegate)RenameKey).WithMetadata(Keys("key.rename"));
        api.MapDelete("/keys/{keyId}", (Delegate)DeleteKey).WithMetadata(Keys("key.delete"));
        api.MapPost("/keys/{keyId}/csrs", CreateCsr).WithMetadata(Keys("csr.create"));
        api.MapGet("/keys/{keyId}/csrs/{csrId}", (Delegate)DownloadCsr).WithMetadata(new AdminAccess(AdminPermission.ReadRegistry, "csr.download"));
        api.MapDelete("/keys/{keyId}/csrs/{csrId}", (Delegate)DeleteCsr).WithMetadata(Keys("csr.delete"));
        api.MapPost("/certificates", (Delegate)ImportCertificate).WithMetadata(Keys("certificate.import"));
        api.MapGet("/certificates/{certificateId}", (Delegate)GetCertificate).WithMetadata(new AdminAccess(AdminPermission.ReadRegistry, "certificate.read"));
        api.MapPost("/certificates/{certificateId}/activate", (Delegate)ActivateCertificate).WithMetadata(Keys("certificate.activate"));
        api.MapPost("/certificates/{certificateId}/deactivate", (Delegate)DeactivateCertificate).WithMetadata(Keys("certificate.deactivate"));
        api.MapPost("/certificates/{certificateId}/register", (Delegate)RegisterCertificate).WithMetadata(Keys("certificate.register"));
        api.MapPost("/certificates/{certificateId}/unregister", (Delegate)UnregisterCertificate).WithMetadata(Keys("certificate.unregister"));
        api.MapDelete("/certificates/{certificateId}", (Delegate)DeleteCertificate).WithMetadata(Keys("certificate.delete"));
    }

    private static AdminAccess Keys(string action) => new(AdminPermission.ManageKeys, action, LoopbackOnly: true);

    private static IResult ListTokens(HttpContext context)
    {
        var (token, failure) = Token(context);
        if (failure is not null)
        {
            return failure.ToResult();
        }

        var ocsp = OcspStates(context);
        return WrittenJson(w =>
        {
            w.WriteStartArray();
            WriteToken(w, token!.Describe(), ocsp);
            w.WriteEndArray();
        });
    }

    private static IResult GetToken(HttpContext context)
    {
        var (token, failure) = AddressedToken(context);
        return failure is not null ? failure.ToResult() : WrittenJson(w => WriteToken(w, token!.Describe(), OcspStates(context)));
    }

    private static async Task<IResult> LoginToken(HttpContext context)
    {
        var (token, failure) = AddressedToken(context);
        if (failure is not null)
        {
            return failure.ToResult();
        }

        var (request, bodyFailure) = await ReadJsonAsync<PinRequest>(context, """{"pin": "…"}""").ConfigureAwait(false);
        if (bodyFailure is not null)
        {
            return bodyFailure.ToResult();
        }

        var result = token!.Login(request!.Pin);
        return result.Success ? TokenStatusJson(token) : Failed(result).ToResult();
    }

    private static IResult LogoutToken(HttpContext context)
    {
        var (token, failure) = AddressedToken(context);
        if (failure is not null)
        {
            return failure.ToResult();
        }

        token!.Logout();
        return TokenStatusJson(token);
    }

    private static async Task<IResult> ChangeTokenPin(HttpContext context)
    {
        var (token, failure) = AddressedToken(context);
        if (failure is not null)
        {
            return failure.ToResult();
        }

        var (request, bodyFailure) = await ReadJsonAsync<ChangePinRequest>(context, """{"oldPin": "…", "newPin": "…"}""").ConfigureAwait(false);
        if (bodyFailure is not null)
        {
            return bodyFailure.ToResult();
        }

        var result = token!.ChangePin(request!.OldPin, request.NewPin);
        return result.Success ? TokenStatusJson(token) : Failed(result).ToResult();
    }

    private static async Task<IResult> GenerateKey(HttpContext context, LocalConfigurationStore store)
    {
        var (token, failure) = AddressedToken(context);
        if (failure is not null)
        {
            return failure.ToResult();
        }

        var (request, bodyFailure) = await ReadJsonAsync<GenerateKeyRequest>(
            context,
            """{"usage": "authentication" | "signing", "friendlyName": "…", "memberId": "INSTANCE/CLASS/CODE", "algorithm": "ecdsa-p256" | "rsa-2048" | "rsa-3072"}""").ConfigureAwait(false);
        if (bodyFailure is not null)
        {
            return bodyFailure.ToResult();
        }

        KeyPurpose usage;
        switch (request!.Usage)
        {
            case "authentication": usage = KeyPurpose.Authentication; break;
            case "signing": usage = KeyPurpose.Signing; break;
            default: return Invalid("usage must be authentication or signing.").ToResult();
        }

        KeyAlgorithm algorithm;
        switch (request.Algorithm)
        {
            case null or "ecdsa-p256": algorithm = KeyAlgorithm.EcdsaP256; break;
            case "rsa-2048": algorithm = KeyAlgorithm.Rsa2048; break;
            case "rsa-3072": algorithm = KeyAlgorithm.Rsa3072; break;
            default: return Invalid("algorithm must be ecdsa-p256, rsa-2048 or rsa-3072.").ToResult();
        }

        MemberId? member = null;
        if (usage == KeyPurpose.Authentication)
        {
            if (request.MemberId is not null)
            {
                return Invalid("An authentication key belongs to the server; leave memberId out.").ToResult();
            }
        }
        else if (request.MemberId is not null)
        {
            var parsed = MemberId.TryParse(request.MemberId);
            if (!parsed.Success)
            {
                return new AdminFailure(AdminFailureKind.InvalidIdentifier, $"memberId: {parsed.Message}").ToResult();
            }

            member = parsed.Value;
        }
        else if (store.Current is { } local)
        {
            member = local.Owner;
        }
        else
        {
            return Invalid("A signing key needs memberId until the server is initialised (it defaults to the owner).").ToResult();
        }

        var generated = token!.GenerateKey(usage, request.FriendlyName, member, algorithm);
        if (!generated.Success)
        {
            return Failed(generated).ToResult();
        }

        context.Response.Headers.Location = $"{Prefix}/keys/{generated.Value.Id}";
        return WrittenJson(w => WriteKey(w, generated.Value, OcspStates(context)), StatusCodes.Status201Created);
    }

    private static IResult GetKey(HttpContext context)
    {
        var (token, key, failure) = AddressedKey(context);
        return failure is not null ? failure.ToResult() : WrittenJson(w => WriteKey(w, key!, OcspStates(context)));
    }

    private static async Task<IResult> RenameKey(HttpContext context)
    {
        var (token, key, failure) = AddressedKey(context);
        if (failure is not null)
        {
            return failure.ToResult();
        }

        var (request, bodyFailure) = await ReadJsonAsync<RenameKeyRequest>(context, """{"friendlyName": "…"}""").ConfigureAwait(false);
        if (bodyFailure is not null)
        {
            return bodyFailure.ToResult();
        }

        var renamed = token!.RenameKey(key!.Id, request!.FriendlyName);
        return renamed.Success ? WrittenJson(w => WriteKey(w, renamed.Value, OcspStates(context))) : Failed(renamed).ToResult();
    }

    private static IResult DeleteKey(HttpContext context)
    {
        var (token, key, failure) = AddressedKey(context);
        if (failure is not null)
        {
            return failure.ToResult();
        }

        var deleted = token!.DeleteKey(key!.Id);
        return deleted.Success ? Results.NoContent() : Failed(deleted).ToResult();
    }

    private static async Task<IResult> CreateCsr(HttpContext context, LocalConfigurationStore store)
    {
        var (token, key, failure) = AddressedKey(context);
        if (failure is not null)
        {
            return failure.ToResult();
        }

        var (request, bodyFailure) = await ReadJsonAsync<CsrRequest>(context, """{"memberId": "INSTANCE/CLASS/CODE", "caName": "…"}""").ConfigureAwait(false);
        if (bodyFailure is not null)
        {
            return bodyFailure.ToResult();
        }

        if (store.Current is not { } local)
        {
            return ServerNotInitialised().ToResult();
        }

        var (profile, profileFailure) = SubjectProfile(context, request!.CaName);
        if (profileFailure is not null)
        {
            return profileFailure.ToResult();
        }

        X500DistinguishedName subject;
        if (key!.Usage == KeyPurpose.Authentication)
        {
            if (request.MemberId is not null && request.MemberId != local.Owner.ToString())
            {
                return Invalid("An authentication certificate names the server's owner; memberId must be the owner or left out.").ToResult();
            }

            subject = Subject(profile!, local.Owner, local.ServerId.ServerCode);
        }
        else
        {
            var member = key.Member ?? local.Owner;
            if (request.MemberId is not null && request.MemberId != member.ToString())
            {
                return Invalid($"This signing key belongs to {member}; memberId must be that member or left out.").ToResult();
            }

            subject = Subject(profile!, member, null);
        }

        var created = token!.CreateCsr(key.Id, subject);
        if (!created.Success)
        {
            return Failed(created).ToResult();
        }

        var csr = created.Value;
        context.Response.Headers.Location = $"{Prefix}/keys/{key.Id}/csrs/{csr.Id}";
        return WrittenJson(
            w =>
            {
                w.WriteStartObject();
                w.WriteString("id", csr.Id);
                w.WriteString("keyId", csr.KeyId);
                w.WriteString("subject", csr.Subject);
                w.WriteString("pem", PemEncoding.WriteString("CERTIFICATE REQUEST", csr.Der.Span));
                w.WriteEndObject();
            },
            StatusCodes.Status201Created);
    }

    private static IResult DownloadCsr(HttpContext context)
    {
        var (_, csr, failure) = AddressedCsr(context);
        return failure is not null
            ? failure.ToResult()
            : Results.Text(PemEncoding.WriteString("CERTIFICATE REQUEST", csr!.Der.Span) + "\n", Pkcs10Type);
    }

    private static IResult DeleteCsr(HttpContext context)
    {
        var (token, csr, failure) = AddressedCsr(context);
        if (failure is not null)
        {
            return failure.ToResult();
        }

        var deleted = token!.DeleteCsr(csr!.Id);
        return deleted.Success ? Results.NoContent() : Failed(deleted).ToResult();
    }

    private static async Task<IResult> ImportCertificate(HttpContext context)
    {
        var (token, failure) = Token(context);
        if (failure is not null)
        {
            return failure.ToResult();
        }

        var (body, _, bodyFailure) = await AdminBody.ReadRawAsync(context, MaxCertificateBundleBytes, PemType, DerType).ConfigureAwait(false);
        if (bodyFailure is not null)
        {
            return bodyFailure.ToResult();
        }

        var imported = token!.ImportCertificate(body, IssuerProfile(context, body!));
        if (!imported.Success)
        {
            return Failed(imported).ToResult();
        }

        context.Response.Headers.Location = $"{Prefix}/certificates/{imported.Value.Id}";
        return WrittenJson(w => WriteCertificate(w, imported.Value, OcspStates(context)), StatusCodes.Status201Created);
    }

    private static IResult GetCertificate(HttpContext context)
    {
        var (_, certificate, failure) = AddressedCertificate(context);
        return failure is not null ? failure.ToResult() : WrittenJson(w => WriteCertificate(w, certificate!, OcspStates(context)));
    }

    private static IResult ActivateCertificate(HttpContext context) => SetCertificateActive(context, true);

    private static IResult DeactivateCertificate(HttpContext context) => SetCertificateActive(context, false);

    private static IResult SetCertificateActive(HttpContext context, bool active)
    {
        var (token, certificate, failure) = AddressedCertificate(context);
        if (failure is not null)
        {
            return failure.ToResult();
        }

        var changed = token!.SetActive(certificate!.Id, active);
        return changed.Success ? WrittenJson(w => WriteCertificate(w, changed.Value, OcspStates(context))) : Failed(changed).ToResult();
    }

    private static async Task<IResult> RegisterCertificate(HttpContext context)
    {
        var (_, certificate, failure) = AddressedCertificate(context);
        if (failure is not null)
        {
            return failure.ToResult();
        }

        string? address = null;
        if (context.Request.ContentLength is > 0 || context.Request.ContentType is not null)
        {
            var (request, bodyFailure) = await ReadJsonAsync<RegisterCertificateRequest>(context, """{"address": "host[:port]"}""").ConfigureAwait(false);
            if (bodyFailure is not null)
            {
                return bodyFailure.ToResult();
            }

            address = request!.Address;
        }

        var (onboarding, missing) = Optional<IOnboarding>(context, "onboarding");
        return missing is not null
            ? missing.ToResult()
            : Accepted(await onboarding!.RegisterAuthenticationCertificateAsync(certificate!.Id, address, context.RequestAborted).ConfigureAwait(false));
    }

    private static async Task<IResult> UnregisterCertificate(HttpContext context)
    {
        var (_, certificate, failure) = AddressedCertificate(context);
        if (failure is not null)
        {
            return failure.ToResult();
        }

        var (onboarding, missing) = Optional<IOnboarding>(context, "onboarding");
        return missing is not null
            ? missing.ToResult()
            : Accepted(await onboarding!.UnregisterAuthenticationCertificateAsync(certificate!.Id, context.RequestAborted).ConfigureAwait(false));
    }

    private static IResult DeleteCertificate(HttpContext context)
    {
        var (token, certificate, failure) = AddressedCertificate(context);
        if (failure is not null)
        {
            return failure.ToResult();
        }

        var deleted = token!.DeleteCertificate(certificate!.Id);
        return deleted.Success ? Results.NoContent() : Failed(deleted).ToResult();
    }

    private static (SoftwareToken? Token, AdminFailure? Failure) Token(HttpContext context) => Optional<SoftwareToken>(context, "a key token");

    private static (SoftwareToken? Token, AdminFailure? Failure) AddressedToken(HttpContext context)
    {
        var (id, failure) = AdminPath.Read(context, "tokenId");
        if (failure is not null)
        {
            return (null, failure);
        }

        return id == SoftwareToken.SoftwareTokenId
            ? Token(context)
            : (null, AdminFailure.Delegated("signer.token_not_found", $"There is no token '{id}'; the software token is {SoftwareToken.SoftwareTokenId}."));
    }

    private static (SoftwareToken? Token, KeyInfo? Key, AdminFailure? Failure) AddressedKey(HttpContext context)
    {
        var (id, failure) = AdminPath.Read(context, "keyId");
        if (failure is not null)
        {
            return (null, null, failure);
        }

        var (token, tokenFailure) = Token(context);
        if (tokenFailure is not null)
        {
            return (null, null, tokenFailure);
        }

        var key = token!.Describe().Keys.FirstOrDefault(k => string.Equals(k.Id, id, StringComparison.Ordinal));
        return key is null
            ? (null, null, AdminFailure.Delegated(TokenErrors.KeyNotFound, "The token has no key with this id."))
            : (token, key, null);
    }

    private static (SoftwareToken? Token, CsrInfo? Csr, AdminFailure? Failure) AddressedCsr(HttpContext context)
    {
        var (token, key, failure) = AddressedKey(context);
        if (failure is not null)
        {
            return (null, null, failure);
        }

        var (csrId, csrFailure) = AdminPath.Read(context, "csrId");
        if (csrFailure is not null)
        {
            return (null, null, csrFailure);
        }

        var csr = key!.Csrs.FirstOrDefault(c => string.Equals(c.Id, csrId, StringComparison.Ordinal));
        return csr is null
            ? (null, null, AdminFailure.Delegated(TokenErrors.CsrNotFound, "The key has no CSR with this id."))
            : (token, csr, null);
    }

    private static (SoftwareToken? Token, CertificateInfo? Certificate, AdminFailure? Failure) AddressedCertificate(HttpContext context)
    {
        var (id, failure) = AdminPath.Read(context, "certificateId");
        if (failure is not null)
        {
            return (null, null, failure);
        }

        var (token, tokenFailure) = Token(context);
        if (tokenFailure is not null)
        {
            return (null, null, tokenFailure);
        }

        var certificate = token!.Describe().Keys.SelectMany(k => k.Certificates).FirstOrDefault(c => string.Equals(c.Id, id, StringComparison.Ordinal));
        return certificate is null
            ? (null, null, AdminFailure.Delegated(TokenErrors.CertificateNotFound, "The token has no certificate with this id (SHA-256 of its DER, lowercase hex)."))
            : (token, certificate, null);
    }

    /// <summary>The subject profile of the CA <paramref name="caName"/>, or of the first approved CA, or the default profile when there is no global configuration yet.</summary>
    private static (CertificateSubjectProfile? Profile, AdminFailure? Failure) SubjectProfile(HttpContext context, string? caName)
    {
        var configuration = context.RequestServices.GetService<ConfigurationClient>()?.Current;
        if (caName is null)
        {
            return (configuration?.ApprovedCas.FirstOrDefault()?.Profile ?? CertificateSubjectProfile.Default, null);
        }

        if (configuration is null)
        {
            return (null, AdminFailure.Delegated("onboarding.no_global_configuration", "No global configuration has been downloaded yet, so no CA is known by name."));
        }

        var ca = configuration.ApprovedCas.FirstOrDefault(c => string.Equals(c.Name, caName, StringComparison.Ordinal));
        return ca is null
            ? (null, new AdminFailure(AdminFailureKind.NotFound, "The global configuration approves no CA of this name."))
            : (ca.Profile, null);
    }

    /// <summary>
    /// The subject profile of the CA that issued the first certificate of <paramref name="body"/> (PEM bundle or
    /// DER), from the held global configuration; the default profile when it is unknown (the token then
    /// refuses a certificate that does not name its member).
    /// </summary>
    private static CertificateSubjectProfile IssuerProfile(HttpContext context, byte[] body)
    {
        if (context.RequestServices.GetService<ConfigurationClient>()?.Current is not { } configuration)
        {
            return CertificateSubjectProfile.Default;
        }

        try
        {
            byte[] der;
            var text = System.Text.Encoding.ASCII.GetString(body);
            if (PemEncoding.TryFind(text, out var fields))
            {
                der = Convert.FromBase64String(text[fields.Base64Data]);
            }
            else
            {
                der = body;
            }

            using var leaf = X509CertificateLoader.LoadCertificate(der);
            return configuration.FindCasByIssuer(leaf.IssuerName).FirstOrDefault()?.Profile ?? CertificateSubjectProfile.Default;
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException or ArgumentException)
        {
            // The token decodes it again and reports signer.certificate_invalid.
            return CertificateSubjectProfile.Default;
        }
    }

    private static X500DistinguishedName Subject(CertificateSubjectProfile profile, MemberId member, string? serverCode) =>
        CertificateSubjects.ForProfile(profile, member, serverCode);

    private static Dictionary<string, OcspCertificateState> OcspStates(HttpContext context) =>
        context.RequestServices.GetService<OcspStatusManager>()?.States.ToDictionary(s => s.CertificateSha256, StringComparer.Ordinal)
        ?? new Dictionary<string, OcspCertificateState>(StringComparer.Ordinal);

    private static IResult TokenStatusJson(SoftwareToken token) => WrittenJson(w =>
    {
        var info = token.Describe();
        w.WriteStartObject();
        w.WriteString("id", info.Id);
        w.WriteString("status", TokenStatusText(info.Status));
        w.WriteNumber("failedAttempts", info.FailedAttempts);
        w.WriteNumber("maxFailedAttempts", info.MaxFailedAttempts);
        WriteNullableTime(w, "lockedUntil", info.LockedUntil);
        w.WriteEndObject();
    });

    private static void WriteToken(Utf8JsonWriter w, TokenInfo token, Dictionary<string, OcspCertificateState> ocsp)
    {
        w.WriteStartObject();
        w.WriteString("id", token.Id);
        w.WriteString("name", token.Name);
        w.WriteString("status", TokenStatusText(token.Status));
        w.WriteNumber("failedAttempts", token.FailedAttempts);
        w.WriteNumber("maxFailedAttempts", token.MaxFailedAttempts);
        WriteNullableTime(w, "lockedUntil", token.LockedUntil);
        w.WriteStartArray("keys");
        foreach (var key in token.Keys)
        {
            WriteKey(w, key, ocsp);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteKey(Utf8JsonWriter w, KeyInfo key, Dictionary<string, OcspCertificateState> ocsp)
    {
        w.WriteStartObject();
        w.WriteString("id", key.Id);
        w.WriteString("friendlyName", key.FriendlyName);
        w.WriteString("usage", UsageText(key.Usage));
        w.WriteString("algorithm", key.Algorithm switch
        {
            KeyAlgorithm.EcdsaP256 => "ecdsa-p256",
            KeyAlgorithm.Rsa2048 => "rsa-2048",
            KeyAlgorithm.Rsa3072 => "rsa-3072",
            _ => throw new ArgumentOutOfRangeException(nameof(key), key.Algorithm, null),
        });
        WriteNullableString(w, "member", key.Member?.ToString());
        w.WriteString("publicKeySha256", key.PublicKeySha256);
        w.WriteString("createdAt", key.CreatedAt.ToUniversalTime());
        w.WriteStartArray("certificates");
        foreach (var certificate in key.Certificates)
        {
            WriteCertificate(w, certificate, ocsp);
        }

        w.WriteEndArray();
        w.WriteStartArray("csrs");
        foreach (var csr in key.Csrs)
        {
            w.WriteStartObject();
            w.WriteString("id", csr.Id);
            WriteNullableString(w, "member", csr.Member?.ToString());
            w.WriteString("subject", csr.Subject);
            w.WriteString("createdAt", csr.CreatedAt.ToUniversalTime());
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteCertificate(Utf8JsonWriter w, CertificateInfo certificate, Dictionary<string, OcspCertificateState> ocsp)
    {
        w.WriteStartObject();
        w.WriteString("id", certificate.Id);
        w.WriteString("keyId", certificate.KeyId);
        w.WriteString("usage", UsageText(certificate.Usage));
        WriteNullableString(w, "member", certificate.Member?.ToString());
        w.WriteString("state", CertificateStateText(certificate.State));
        w.WriteBoolean("active", certificate.Active);
        w.WriteString("subject", certificate.Subject);
        w.WriteString("issuer", certificate.Issuer);
        w.WriteString("serialNumber", certificate.SerialNumber);
        w.WriteString("notBefore", certificate.NotBefore.ToUniversalTime());
        w.WriteString("notAfter", certificate.NotAfter.ToUniversalTime());
        w.WriteString("importedAt", certificate.ImportedAt.ToUniversalTime());
        if (ocsp.TryGetValue(certificate.Id, out var state))
        {
            WriteOcsp(w, "ocsp", state);
        }
        else
        {
            w.WriteNull("ocsp");
        }

        w.WriteString("pem", PemEncoding.WriteString("CERTIFICATE", certificate.Der.Span));
        w.WriteEndObject();
    }

    private static void WriteOcsp(Utf8JsonWriter w, string name, OcspCertificateState state)
    {
        w.WriteStartObject(name);
        w.WriteString("status", state.Stapled is { } stapled ? stapled.Status.ToString().ToLowerInvariant() : "unknown");
        WriteNullableTime(w, "thisUpdate", state.Stapled?.ThisUpdate);
        WriteNullableTime(w, "nextUpdate", state.Stapled?.NextUpdate);
        WriteNullableTime(w, "lastAttempt", state.LastAttempt);
        WriteNullableTime(w, "lastSuccess", state.LastSuccess);
        WriteNullableString(w, "lastError", state.LastError);
        w.WriteEndObject();
    }

    private static string UsageText(KeyPurpose usage) => usage switch
    {
        KeyPurpose.Authentication => "authentication",
        KeyPurpose.Signing => "signing",
        _ => throw new ArgumentOutOfRangeException(nameof(usage), usage, null),
    };

    private static string CertificateStateText(CertificateState state) => state switch
    {
        CertificateState.Saved => "saved",
        CertificateState.RegistrationInProgress => "registration-in-progress",
        CertificateState.Registered => "registered",
        CertificateState.DeletionInProgress => "deletion-in-progress",
        CertificateState.Deleted => "deleted",
        CertificateState.GlobalError => "global-error",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, null),
    };

    /// <summary>The body of <c>POST /tokens/0/login</c>.</summary>
    private sealed record PinRequest(string Pin);

    /// <summary>The body of <c>PUT /tokens/0/pin</c>.</summary>
    private sealed record ChangePinRequest(string OldPin, string NewPin);

    /// <summary>The body of <c>POST /tokens/0/keys</c>.</summary>
    private sealed record GenerateKeyRequest(string Usage, string FriendlyName, string? MemberId = null, string? Algorithm = null);

    /// <summary>The body of <c>PATCH /keys/{keyId}</c>.</summary>
    private sealed record RenameKeyRequest(string FriendlyName);

    /// <summary>The body of <c>POST /keys/{keyId}/csrs</c>.</summary>
    private sealed record CsrRequest(string? MemberId = null, string? CaName = null);

    /// <summary>The body of <c>POST /certificates/{id}/register</c>.</summary>
    private sealed record RegisterCertificateRequest(string? Address = null);
}
