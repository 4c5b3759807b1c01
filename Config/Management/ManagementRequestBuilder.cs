using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using ExchangeGateway.Common.Crypto.Cms;
using ExchangeGateway.Common.Identifiers;

namespace ExchangeGateway.Config.Management;

/// <summary>
/// Builds and signs management requests the way the Central Server's <c>/managementservice</c> expects
/// them (see the README, "Management requests"): the request is UTF-8 JSON; the owner's signing key and,
/// for an auth-cert registration, the authentication key each make a detached CMS signature over exactly
/// those bytes; the envelope carries all three in base64.
/// </summary>
public static class ManagementRequestBuilder
{
    /// <summary>The request registering <paramref name="authCertificateDer"/> for <paramref name="server"/> at <paramref name="address"/>.</summary>
    public static byte[] AuthCertRegistration(Guid requestId, DateTimeOffset createdAt, SecurityServerId server, ReadOnlySpan<byte> authCertificateDer, string address)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(address);
        var cert = Convert.ToBase64String(authCertificateDer);
        return Write(ManagementRequestType.AuthCertRegistration, requestId, createdAt, server, w =>
        {
            w.WriteString("authCertificate", cert);
            w.WriteString("address", address);
        });
    }

    /// <summary>The request registering <paramref name="client"/> (a subsystem) as a client of <paramref name="server"/>.</summary>
    public static byte[] ClientRegistration(Guid requestId, DateTimeOffset createdAt, SecurityServerId server, ClientId client)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(client);
        return Write(ManagementRequestType.ClientRegistration, requestId, createdAt, server, w => w.WriteString("clientId", client.ToString()));
    }

    /// <summary>The request removing <paramref name="client"/> from <paramref name="server"/>.</summary>
    public static byte[] ClientDeletion(Guid requestId, DateTimeOffset createdAt, SecurityServerId server, ClientId client)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(client);
        return Write(ManagementRequestType.ClientDeletion, requestId, createdAt, server, w => w.WriteString("clientId", client.ToString()));
    }

    /// <summary>The request changing <paramref name="server"/>'s address.</summary>
    public static byte[] AddressChange(Guid requestId, DateTimeOffset createdAt, SecurityServerId server, string address)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(address);
        return Write(ManagementRequestType.AddressChange, requestId, createdAt, server, w => w.WriteString("address", address));
    }

    /// <summary>
    /// The request removing the authentication certificate whose DER has SHA-256 <paramref name="authCertificateSha256Hex"/>
    /// (64 hex digits) from <paramref name="server"/>. Signed by the owner only: a lost key must still be removable.
    /// </summary>
    public static byte[] AuthCertDeletion(Guid requestId, DateTimeOffset createdAt, SecurityServerId server, string authCertificateSha256Hex)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(authCertificateSha256Hex);
        return Write(ManagementRequestType.AuthCertDeletion, requestId, createdAt, server, w => w.WriteString("authCertificateHash", authCertificateSha256Hex));
    }

    /// <summary>The request removing the authentication certificate <paramref name="authCertificateDer"/> from <paramref name="server"/>.</summary>
    public static byte[] AuthCertDeletion(Guid requestId, DateTimeOffset createdAt, SecurityServerId server, ReadOnlySpan<byte> authCertificateDer)
    {
        ArgumentNullException.ThrowIfNull(server);
        var cert = Convert.ToBase64String(authCertificateDer);
        return Write(ManagementRequestType.AuthCertDeletion, requestId, createdAt, server, w => w.WriteString("authCertificate", cert));
    }

    /// <summary>The request disabling <paramref name="client"/> on <paramref name="server"/>.</summary>
    public static byte[] ClientDisable(Guid requestId, DateTimeOffset createdAt, SecurityServerId server, ClientId client)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(client);
        return Write(ManagementRequestType.ClientDisable, requestId, createdAt, server, w => w.WriteString("clientId", client.ToString()));
    }

    /// <summary>The request enabling <paramref name="client"/> on <paramref name="server"/> again.</summary>
    public static byte[] ClientEnable(Guid requestId, DateTimeOffset createdAt, SecurityServerId server, ClientId client)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(client);
        return Write(ManagementRequestType.ClientEnable, requestId, createdAt, server, w => w.WriteString("clientId", client.ToString()));
    }

    /// <summary>
    /// The request making <paramref name="newOwner"/> the owner of <paramref name="server"/> (whose id then becomes
    /// <c>newOwner/serverCode</c>). It is signed with the NEW owner's signing certificate.
    /// </summary>
    public static byte[] OwnerChange(Guid requestId, DateTimeOffset createdAt, SecurityServerId server, MemberId newOwner)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(newOwner);
        return Write(ManagementRequestType.OwnerChange, requestId, createdAt, server, w => w.WriteString("newOwner", newOwner.ToString()));
    }

    /// <summary>A detached CMS signature over <paramref name="request"/> by a certificate that carries its private key.</summary>
    /// <param name="request">The request bytes.</param>
    /// <param name="signer">The owner's signing certificate, or the authentication certificate.</param>
    /// <param name="signingTime">The signing-time attribute.</param>
    /// <param name="chain">Certificates to include besides the signer (e.g. the issuing CA).</param>
    public static byte[] Sign(ReadOnlySpan<byte> request, X509Certificate2 signer, DateTimeOffset signingTime, IEnumerable<X509Certificate2>? chain = null)
    {
        ArgumentNullException.ThrowIfNull(signer);
        return CmsDetachedSigner.Sign(request, signer, signingTime, chain);
    }

    /// <summary>The JSON body to POST, from signatures already made.</summary>
    public static string Envelope(ReadOnlySpan<byte> request, ReadOnlySpan<byte> ownerSignature, ReadOnlySpan<byte> authSignature = default)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("request", Convert.ToBase64String(request));
            w.WriteString("ownerSignature", Convert.ToBase64String(ownerSignature));
            if (!authSignature.IsEmpty)
            {
                w.WriteString("authSignature", Convert.ToBase64String(authSignature));
            }

            w.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>
    /// The JSON body to POST, signing <paramref name="request"/> with <paramref name="owner"/> and, when
    /// given, <paramref name="authentication"/> (required for an auth-cert registration: proof of possession).
    /// </summary>
    public static string SignedEnvelope(ReadOnlySpan<byte> request, X509Certificate2 owner, X509Certificate2? authentication, DateTimeOffset signingTime, IEnumerable<X509Certificate2>? chain = null)
    {
        ArgumentNullException.ThrowIfNull(owner);
        var chainList = chain?.ToList();
        var ownerSignature = Sign(request, owner, signingTime, chainList);
        var authSignature = authentication is null ? [] : Sign(request, authentication, signingTime, chainList);
        return Envelope(request, ownerSignature, authSignature);
    }

    private static byte[] Write(ManagementRequestType type, Guid requestId, DateTimeOffset createdAt, SecurityServerId server, Action<Utf8JsonWriter> fields)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("type", ManagementRequestTypeNames.Name(type));
            w.WriteString("requestId", requestId.ToString("D"));
            w.WriteString("createdAt", createdAt.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            w.WriteString("serverId", server.ToString());
            fields(w);
            w.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
