using System.Security.Cryptography.X509Certificates;
using ExchangeGateway.Common.Identifiers;
using ExchangeGateway.Signer.Identities;
using ExchangeGateway.Signer.Keys;
using ExchangeGateway.Testing.Pki;
using ExchangeGateway.TrustServices.Ca;

namespace ExchangeGateway.Signer.Tests.Support;

/// <summary>Identities issued by a <see cref="TestPki"/> without HTTP.</summary>
internal static class TestIdentities
{
    public static readonly MemberId Owner = MemberId.Parse("DEV/GOV/70000001");
    public static readonly MemberId Other = MemberId.Parse("DEV/ORG/70000002");
    public static readonly SecurityServerId Server = new(Owner, "ss1");

    /// <summary>An authentication identity as the server gets it: a token key of <paramref name="algorithm"/>, certified by the PKI from the token's CSR, loaded back from the token.</summary>
    public static AuthenticationIdentity Authentication(TestPki pki, string directory, KeyAlgorithm algorithm = KeyAlgorithm.EcdsaP256)
    {
        using var token = TokenSupport.Initialised(directory, TimeProvider.System);
        TokenSupport.Certify(pki, token, TokenSupport.Generate(token, KeyPurpose.Authentication, algorithm));
        return token.GetAuthenticationIdentity() ?? throw new InvalidOperationException("The token has no authentication identity.");
    }

    /// <summary>A signing identity straight from the PKI (no files).</summary>
    public static SigningIdentity Signing(TestPki pki, MemberId member, KeyKind key = KeyKind.EcdsaP256)
    {
        // The PKI disposes what it issued; the identity gets its own copy (with the key) to own.
        var issued = pki.IssueSigning(member.Instance, member.MemberClass, member.MemberCode, key);
        return new SigningIdentity(
            member,
            X509CertificateLoader.LoadPkcs12(issued.Export(X509ContentType.Pkcs12), null),
            [Copy(pki.IntermediateCertificate), Copy(pki.RootCertificate)]);
    }

    public static X509Certificate2 Copy(X509Certificate2 certificate) => X509CertificateLoader.LoadCertificate(certificate.RawDataMemory.Span);
}
