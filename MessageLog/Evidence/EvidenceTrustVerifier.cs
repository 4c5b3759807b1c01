using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ExchangeGateway.Config.Anchors;
using ExchangeGateway.Config.Model;
using ExchangeGateway.Config.Signing;
using ExchangeGateway.Config.Verification;

namespace ExchangeGateway.MessageLog.Evidence;

/// <summary>
/// Decides what an auditor may trust in a piece of evidence's <see cref="EvidenceTrust"/>, adding three
/// checks: <c>trust.anchor</c> (which anchor is used and its SHA-256; the auditor's own when given, and then
/// the bundle's must be the same file), <c>trust.configuration</c> (the signed configuration verifies to that
/// anchor at its own generation time) and <c>trust.certificates</c> (the CA and TSA lists carried for
/// OpenSSL are exactly the configuration's). Stateless.
/// </summary>
public static class EvidenceTrustVerifier
{
    /// <summary>Check name: the anchor used.</summary>
    public const string AnchorCheck = "trust.anchor";

    /// <summary>Check name: the configuration's signature.</summary>
    public const string ConfigurationCheck = "trust.configuration";

    /// <summary>Check name: the certificate lists.</summary>
    public const string CertificatesCheck = "trust.certificates";

    /// <summary>
    /// Verifies <paramref name="trust"/> and appends the three checks to <paramref name="checks"/>.
    /// Returns the resolved trust when the configuration verified to the anchor in use (even if another
    /// trust check failed, so that the remaining checks can still be reported), else null.
    /// </summary>
    /// <param name="trust">The trust material carried by the evidence.</param>
    /// <param name="auditorAnchor">The auditor's own anchor file; null to use the evidence's (its SHA-256 is then reported for out-of-band comparison).</param>
    /// <param name="checks">Where the checks are appended, in order.</param>
    public static ResolvedTrust? Verify(EvidenceTrust trust, ReadOnlyMemory<byte>? auditorAnchor, ICollection<EvidenceCheck> checks)
    {
        ArgumentNullException.ThrowIfNull(trust);
        ArgumentNullException.ThrowIfNull(checks);

        var (anchor, anchorHash) = ResolveAnchor(trust, auditorAnchor, checks);
        if (anchor is null)
        {
            checks.Add(new EvidenceCheck(ConfigurationCheck, false, "not verified: there is no usable configuration anchor"));
            checks.Add(new EvidenceCheck(CertificatesCheck, false, "not verified: there is no verified configuration"));
            return null;
        }

        var verified = new ConfigurationVerifier().VerifyAsPublished(
            new SignedConfiguration(trust.ConfigurationContent, trust.ConfigurationSignature), anchor);
        if (!verified.IsValid)
        {
            checks.Add(new EvidenceCheck(ConfigurationCheck, false, $"the global configuration does not verify to the anchor (SHA-256 {anchorHash}): {verified}"));
            checks.Add(new EvidenceCheck(CertificatesCheck, false, "not verified: there is no verified configuration"));
            return null;
        }

        var configuration = verified.Value!;
        ResolvedTrust resolved;
        try
        {
            resolved = new ResolvedTrust(configuration, anchor, anchorHash!);
        }
        catch (CryptographicException ex)
        {
            checks.Add(new EvidenceCheck(ConfigurationCheck, false, $"serial {configuration.Serial}: a certificate of the configuration does not parse: {ex.Message}", configuration.Serial));
            checks.Add(new EvidenceCheck(CertificatesCheck, false, "not verified: there is no usable configuration"));
            return null;
        }

        checks.Add(new EvidenceCheck(
            ConfigurationCheck,
            true,
            string.Create(
                CultureInfo.InvariantCulture,
                $"global configuration serial {configuration.Serial} of instance {configuration.InstanceId}, generated {configuration.GeneratedAt:yyyy-MM-ddTHH:mm:ssZ}, expires {configuration.ExpiresAt:yyyy-MM-ddTHH:mm:ssZ}: signed by a certificate of the anchor; {configuration.ApprovedCas.Count} approved CA(s), {configuration.ApprovedTsas.Count} approved TSA(s)"),
            configuration.Serial));

        checks.Add(CheckCertificates(trust, configuration));
        return resolved;
    }

    private static (ConfigurationAnchor? Anchor, string? Sha256) ResolveAnchor(EvidenceTrust trust, ReadOnlyMemory<byte>? auditorAnchor, ICollection<EvidenceCheck> checks)
    {
        var bundleHash = ConfigurationAnchorSerializer.Sha256Hex(trust.Anchor.Span);
        if (auditorAnchor is { } own)
        {
            var ownHash = ConfigurationAnchorSerializer.Sha256Hex(own.Span);
            var parsedOwn = ConfigurationAnchorSerializer.Read(own);
            if (!parsedOwn.Success)
            {
                checks.Add(new EvidenceCheck(AnchorCheck, false, $"the auditor's anchor file (SHA-256 {ownHash}) is not a configuration anchor: {parsedOwn.Message}"));
                return (null, null);
            }

            // The evidence's anchor must be the very file the auditor trusts; anything else is a claim by the operator.
            var same = own.Span.SequenceEqual(trust.Anchor.Span);
            checks.Add(same
                ? new EvidenceCheck(AnchorCheck, true, $"the auditor's anchor of instance {parsedOwn.Value!.InstanceId}, SHA-256 {ownHash}; the evidence carries the same anchor")
                : new EvidenceCheck(AnchorCheck, false, $"the evidence's anchor (SHA-256 {bundleHash}) is not the auditor's anchor (SHA-256 {ownHash}); the auditor's is used"));
            return (parsedOwn.Value, ownHash);
        }

        var parsed = ConfigurationAnchorSerializer.Read(trust.Anchor);
        if (!parsed.Success)
        {
            checks.Add(new EvidenceCheck(AnchorCheck, false, $"the evidence's anchor (SHA-256 {bundleHash}) is not a configuration anchor: {parsed.Message}"));
            return (null, null);
        }

        checks.Add(new EvidenceCheck(AnchorCheck, true, $"the evidence's own anchor of instance {parsed.Value!.InstanceId}, SHA-256 {bundleHash}: compare it with the value the federation publishes, or pass your own with --anchor"));
        return (parsed.Value, bundleHash);
    }

    private static EvidenceCheck CheckCertificates(EvidenceTrust trust, GlobalConfiguration configuration)
    {
        var cas = configuration.ApprovedCas.Select(c => (c.Name, c.Certificate)).ToList();
        var tsas = configuration.ApprovedTsas.Select(t => (t.Name, t.Certificate)).ToList();
        var failure = CompareList("CA", trust.CaCertificates, cas) ?? CompareList("TSA", trust.TsaCertificates, tsas);
        return failure is null
            ? new EvidenceCheck(CertificatesCheck, true, $"the {cas.Count} CA and {tsas.Count} TSA certificate(s) are exactly the configuration's approved ones")
            : new EvidenceCheck(CertificatesCheck, false, failure);
    }

    private static string? CompareList(string kind, IReadOnlyList<ReadOnlyMemory<byte>> carried, List<(string Name, ReadOnlyMemory<byte> Certificate)> approved)
    {
        for (var i = 0; i < Math.Max(carried.Count, approved.Count); i++)
        {
            if (i >= carried.Count)
            {
                return $"{kind} certificate {i + 1}: the configuration's approved {kind} '{approved[i].Name}' is missing from the evidence's list";
            }

            if (i >= approved.Count || !carried[i].Span.SequenceEqual(approved[i].Certificate.Span))
            {
                return $"{kind} certificate {i + 1} ({Describe(carried[i])}) is not the configuration's approved {kind} {(i < approved.Count ? $"'{approved[i].Name}'" : "(the configuration lists fewer)")}";
            }
        }

        return null;
    }

    private static string Describe(ReadOnlyMemory<byte> der)
    {
        try
        {
            using var cert = X509CertificateLoader.LoadCertificate(der.Span);
            return $"'{cert.Subject}'";
        }
        catch (CryptographicException)
        {
            return "not a certificate";
        }
    }
}
