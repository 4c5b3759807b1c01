namespace ExchangeGateway.MessageLog.Evidence;

/// <summary>
/// The trust material evidence is checked against, as the security server held it: the signed global
/// configuration in force (its canonical content and the Central Server's detached CMS over it), the
/// configuration anchor that pins the Central Server's signing certificates, and, for tools such as
/// OpenSSL that cannot read the configuration, the approved CA and TSA certificates taken from it.
/// </summary>
/// <remarks>
/// Nothing here is trusted because the operator supplied it: the configuration is trusted only when its
/// signature verifies to the anchor, and the anchor only when it is the federation's (an auditor compares
/// its SHA-256 with the value the central authority publishes, or passes their own anchor file). The
/// certificate lists must equal the configuration's.
/// </remarks>
/// <param name="ConfigurationContent">The canonical global configuration bytes that were signed.</param>
/// <param name="ConfigurationSignature">Detached CMS SignedData over <paramref name="ConfigurationContent"/>.</param>
/// <param name="Anchor">The configuration anchor file, as written by <c>ConfigurationAnchorSerializer</c>.</param>
/// <param name="CaCertificates">DER of each approved CA certificate in the configuration.</param>
/// <param name="TsaCertificates">DER of each approved TSA certificate in the configuration.</param>
public sealed record EvidenceTrust(
    ReadOnlyMemory<byte> ConfigurationContent,
    ReadOnlyMemory<byte> ConfigurationSignature,
    ReadOnlyMemory<byte> Anchor,
    IReadOnlyList<ReadOnlyMemory<byte>> CaCertificates,
    IReadOnlyList<ReadOnlyMemory<byte>> TsaCertificates);
