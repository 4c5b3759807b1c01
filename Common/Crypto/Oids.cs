namespace ExchangeGateway.Common.Crypto;

/// <summary>Object identifiers used across the trust primitives, named after their RFCs.</summary>
public static class Oids
{
    // RFC 5754 / FIPS 180-4 digests.
    public const string Sha1 = "1.3.14.3.2.26";
    public const string Sha256 = "2.16.840.1.101.3.4.2.1";
    public const string Sha384 = "2.16.840.1.101.3.4.2.2";
    public const string Sha512 = "2.16.840.1.101.3.4.2.3";

    // RFC 8017, RFC 5758 signature algorithms and key types.
    public const string Rsa = "1.2.840.113549.1.1.1";
    public const string Sha256WithRsa = "1.2.840.113549.1.1.11";
    public const string Sha384WithRsa = "1.2.840.113549.1.1.12";
    public const string Sha512WithRsa = "1.2.840.113549.1.1.13";
    public const string RsaPss = "1.2.840.113549.1.1.10";
    public const string EcPublicKey = "1.2.840.10045.2.1";
    public const string EcdsaWithSha256 = "1.2.840.10045.4.3.2";
    public const string EcdsaWithSha384 = "1.2.840.10045.4.3.3";
    public const string EcdsaWithSha512 = "1.2.840.10045.4.3.4";

    // RFC 5280 §4.2.1.12 extended key usages.
    public const string ServerAuth = "1.3.6.1.5.5.7.3.1";
    public const string ClientAuth = "1.3.6.1.5.5.7.3.2";
    public const string TimeStamping = "1.3.6.1.5.5.7.3.8";
    public const string OcspSigning = "1.3.6.1.5.5.7.3.9";

    // RFC 5280 extensions, RFC 6960 §4.2.2.2.1 (ocsp-nocheck), RFC 5280 §4.2.2.1 (AIA access methods).
    public const string ExtendedKeyUsage = "2.5.29.37";
    public const string OcspNoCheck = "1.3.6.1.5.5.7.48.1.5";
    public const string AccessOcsp = "1.3.6.1.5.5.7.48.1";
    public const string AccessCaIssuers = "1.3.6.1.5.5.7.48.2";

    // RFC 5652 CMS content types and attributes; RFC 5035 ESS signing-certificate-v2; RFC 3161 TSTInfo.
    public const string CmsData = "1.2.840.113549.1.7.1";
    public const string CmsSignedData = "1.2.840.113549.1.7.2";
    public const string ContentType = "1.2.840.113549.1.9.3";
    public const string MessageDigest = "1.2.840.113549.1.9.4";
    public const string SigningTime = "1.2.840.113549.1.9.5";
    public const string SigningCertificate = "1.2.840.113549.1.9.16.2.12";
    public const string SigningCertificateV2 = "1.2.840.113549.1.9.16.2.47";
    public const string TstInfo = "1.2.840.113549.1.9.16.1.4";

    // RFC 6960 OCSP.
    public const string OcspBasic = "1.3.6.1.5.5.7.48.1.1";
    public const string OcspNonce = "1.3.6.1.5.5.7.48.1.2";
}
