using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ExchangeGateway.Common.Crypto.Cms;
using ExchangeGateway.Config.Model;
using ExchangeGateway.Config.Serialization;

namespace ExchangeGateway.Config.Signing;

/// <summary>
/// A global configuration as published: its canonical bytes and a detached CMS SignedData (RFC 5652)
/// over exactly those bytes, made with the Central Server's configuration-signing key, the signing
/// certificate embedded. <c>openssl cms -verify -binary -inform DER -content content.json</c> verifies it.
/// For download it travels in <see cref="SignedConfigurationEnvelope"/>.
/// </summary>
public sealed record SignedConfiguration
{
    /// <summary>Pairs content with its signature (nothing is checked here; see <see cref="Verification.ConfigurationVerifier"/>).</summary>
    public SignedConfiguration(ReadOnlyMemory<byte> content, ReadOnlyMemory<byte> signature)
    {
        Content = content;
        Signature = signature;
    }

    /// <summary>The canonical configuration bytes that were signed.</summary>
    public ReadOnlyMemory<byte> Content { get; init => field = Frozen.Bytes(value); }

    /// <summary>DER of the detached CMS SignedData.</summary>
    public ReadOnlyMemory<byte> Signature { get; init => field = Frozen.Bytes(value); }

    /// <summary>SHA-256 of <see cref="Content"/>, lowercase hex: the value a Merkle log of published configurations records.</summary>
    public string ContentSha256Hex() => Convert.ToHexStringLower(SHA256.HashData(Content.Span));

    /// <summary>Writes <paramref name="configuration"/> canonically and signs the bytes (Central Server side).</summary>
    /// <param name="configuration">The snapshot to publish.</param>
    /// <param name="signer">The configuration-signing certificate (with its private key unless <paramref name="privateKey"/> is given).</param>
    /// <param name="signingTime">The signing-time attribute, from the caller's TimeProvider.</param>
    /// <param name="privateKey">The key when it is held apart from the certificate.</param>
    public static SignedConfiguration Sign(GlobalConfiguration configuration, X509Certificate2 signer, DateTimeOffset signingTime, AsymmetricAlgorithm? privateKey = null)
    {
        var content = GlobalConfigurationSerializer.Write(configuration);
        return Sign(content, signer, signingTime, privateKey);
    }

    /// <summary>Signs already-canonical content bytes as they are.</summary>
    public static SignedConfiguration Sign(ReadOnlyMemory<byte> content, X509Certificate2 signer, DateTimeOffset signingTime, AsymmetricAlgorithm? privateKey = null)
    {
        ArgumentNullException.ThrowIfNull(signer);
        var signature = CmsDetachedSigner.Sign(content.Span, signer, privateKey, signingTime);
        return new SignedConfiguration(content, signature);
    }
}
