using System.Security.Cryptography.X509Certificates;
using ExchangeGateway.Common.Identifiers;
using ExchangeGateway.Signer.Enrolment;
using ExchangeGateway.Signer.Identities;
using ExchangeGateway.Signer.Keys;
using ExchangeGateway.Testing.Pki;
using ExchangeGateway.TrustServices.Ca;

namespace ExchangeGateway.Signer.Tests.Support;

/// <summary>Certificates for keys in a <see cref="SoftwareKeyStore"/>, issued by a <see cref="TestPki"/> without HTTP.</summary>
internal static class TestIdentities
{
    public static readonly MemberId Owner = MemberId.Parse("DEV/GOV/70000001");
    public static readonly MemberId Other = MemberId.Parse("DEV/ORG/70000002");
    public static readonly SecurityServerId Server = new(Owner, "ss1");

    /// <summary>Generates the slot's key in the store, has the PKI certify it from a CSR, and stores the certificate with the chain.</summary>
    public static void Enrol(TestPki pki, SoftwareKeyStore store, KeySlot slot, KeyAlgorithm algorithm = KeyAlgorithm.EcdsaP256, IssueOptions? options = null)
    {
        using var key = store.LoadKey(slot) ?? store.CreateKey(slot, algorithm);
        var subject = slot.Member is { } member ? CertificateSubjects.Signing(member) : CertificateSubjects.Authentication(Server);
        var profile = slot.Purpose == KeyPurpose.Authentication ? CertificateProfile.Authentication : CertificateProfile.Signing;
        using var certificate = pki.Intermediate.IssueFromCsr(DevCaEnrolment.CreateSigningRequest(subject, key), profile, options);
        store.StoreCertificate(slot, certificate, [pki.IntermediateCertificate, pki.RootCertificate]);
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
