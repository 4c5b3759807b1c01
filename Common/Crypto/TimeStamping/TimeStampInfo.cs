using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ExchangeGateway.Common.Crypto.TimeStamping;

/// <summary>What a verified time-stamp token asserts (the fields of its <c>TSTInfo</c>, RFC 3161 §2.4.2).</summary>
public sealed record TimeStampInfo
{
    /// <summary>The time the TSA asserts the imprint existed (<c>genTime</c>), UTC.</summary>
    public required DateTimeOffset GenTime { get; init; }

    /// <summary>The token's serial number, big-endian two's complement as encoded.</summary>
    public required ReadOnlyMemory<byte> SerialNumber { get; init; }

    /// <summary>The TSA policy the token was issued under.</summary>
    public required string PolicyOid { get; init; }

    /// <summary>The TSA's stated accuracy of <see cref="GenTime"/>; null when the token does not say.</summary>
    public TimeSpan? Accuracy { get; init; }

    /// <summary>
    /// The TSA certificate that signed the token, validated for time-stamping at <see cref="GenTime"/>.
    /// It may be shared with the verifier's cache: do not dispose it.
    /// </summary>
    public required X509Certificate2 TsaCertificate { get; init; }

    /// <summary>The digest algorithm of the message imprint.</summary>
    public required HashAlgorithmName HashAlgorithm { get; init; }

    /// <summary>The nonce echoed by the TSA, if any.</summary>
    public ReadOnlyMemory<byte>? Nonce { get; init; }

    /// <summary>The serial number in upper-case hexadecimal, for logs and evidence listings.</summary>
    public string SerialNumberHex => Convert.ToHexString(SerialNumber.Span);

    /// <inheritdoc />
    public override string ToString() =>
        $"genTime={GenTime:O} serial={SerialNumberHex} policy={PolicyOid} tsa='{TsaCertificate.Subject}'";
}
