using System.Diagnostics.CodeAnalysis;
using System.Formats.Asn1;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ExchangeGateway.Common.Crypto.Ocsp;

/// <summary>
/// An OCSP CertID (RFC 6960 §4.1.1): the hash algorithm, the hashes of the issuer's name and public
/// key, and the certificate's serial number. Immutable. A decoded CertID keeps its original encoding so
/// that a responder echoes exactly what it was asked (OpenSSL compares the echoed CertID).
/// </summary>
public sealed class OcspCertificateId
{
    private readonly byte[] _issuerNameHash;
    private readonly byte[] _issuerKeyHash;
    private readonly byte[] _serialNumber;
    private readonly byte[]? _encoded;

    private OcspCertificateId(string hashAlgorithmOid, byte[] issuerNameHash, byte[] issuerKeyHash, byte[] serialNumber, byte[]? encoded)
    {
        HashAlgorithmOid = hashAlgorithmOid;
        _issuerNameHash = issuerNameHash;
        _issuerKeyHash = issuerKeyHash;
        _serialNumber = serialNumber;
        _encoded = encoded;
    }

    /// <summary>The OID of the hash over the issuer's name and key (SHA-1 from OpenSSL's defaults, SHA-256 from ours).</summary>
    public string HashAlgorithmOid { get; }

    /// <summary>The hash of the DER issuer name.</summary>
    public ReadOnlyMemory<byte> IssuerNameHash => _issuerNameHash;

    /// <summary>The hash of the issuer's subjectPublicKey BIT STRING value.</summary>
    public ReadOnlyMemory<byte> IssuerKeyHash => _issuerKeyHash;

    /// <summary>The serial number as a minimal big-endian two's-complement integer, as in the certificate.</summary>
    public ReadOnlyMemory<byte> SerialNumber => _serialNumber;

    /// <summary>The serial number in upper-case hex, for messages and logs.</summary>
    public string SerialNumberHex => Convert.ToHexString(_serialNumber);

    /// <summary>Builds the CertID of <paramref name="certificate"/> issued by <paramref name="issuer"/>.</summary>
    /// <param name="certificate">The certificate whose status is asked.</param>
    /// <param name="issuer">The CA that issued it.</param>
    /// <param name="hashAlgorithm">SHA-256 by default; SHA-1, SHA-384 and SHA-512 are also allowed.</param>
    public static OcspCertificateId Create(X509Certificate2 certificate, X509Certificate2 issuer, HashAlgorithmName? hashAlgorithm = null)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(issuer);
        return Create(issuer, certificate.SerialNumberBytes.Span, hashAlgorithm, certificate.IssuerName);
    }

    /// <summary>Builds a CertID for any serial number under <paramref name="issuer"/> (a responder's or a test's view).</summary>
    public static OcspCertificateId Create(X509Certificate2 issuer, ReadOnlySpan<byte> serialNumber, HashAlgorithmName? hashAlgorithm = null) =>
        Create(issuer, serialNumber, hashAlgorithm, null);

    /// <summary>Decodes a DER CertID. Any hash algorithm is accepted here; matching needs a known one.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> der, [NotNullWhen(true)] out OcspCertificateId? certificateId)
    {
        certificateId = null;
        try
        {
            var outer = new AsnReader(der.ToArray(), AsnEncodingRules.DER);
            var encoded = outer.PeekEncodedValue().ToArray();
            var sequence = outer.ReadSequence();
            if (outer.HasData)
            {
                return false;
            }

            var algorithm = sequence.ReadSequence();
            var oid = algorithm.ReadObjectIdentifier();

            // Parameters are absent or NULL; which one is not part of the identity (OpenSSL compares OIDs only).
            if (algorithm.HasData)
            {
                algorithm.ReadNull();
            }

            algorithm.ThrowIfNotEmpty();
            var nameHash = sequence.ReadOctetString();
            var keyHash = sequence.ReadOctetString();
            var serial = sequence.ReadIntegerBytes().ToArray();
            sequence.ThrowIfNotEmpty();
            certificateId = new OcspCertificateId(oid, nameHash, keyHash, serial, encoded);
            return true;
        }
        catch (AsnContentException)
        {
            return false;
        }
    }

    /// <summary>The DER encoding (the original bytes when decoded).</summary>
    public byte[] Encode()
    {
        if (_encoded is not null)
        {
            return (byte[])_encoded.Clone();
        }

        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier(HashAlgorithmOid);

                // OpenSSL and most responders write NULL parameters for the CertID hash.
                writer.WriteNull();
            }

            writer.WriteOctetString(_issuerNameHash);
            writer.WriteOctetString(_issuerKeyHash);
            writer.WriteInteger(_serialNumber);
        }

        return writer.Encode();
    }

    /// <summary>
    /// True when this CertID names <paramref name="certificate"/> issued by <paramref name="issuer"/>:
    /// same serial and, under this CertID's hash algorithm, same issuer name and key hashes (compared in
    /// fixed time). False for an unsupported hash algorithm.
    /// </summary>
    public bool Matches(X509Certificate2 certificate, X509Certificate2 issuer)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(issuer);
        return SerialEquals(certificate.SerialNumberBytes.Span) && MatchesIssuer(issuer, certificate.IssuerName);
    }

    /// <summary>True when this CertID's issuer hashes are those of <paramref name="issuer"/>.</summary>
    public bool MatchesIssuer(X509Certificate2 issuer)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        return MatchesIssuer(issuer, null);
    }

    /// <inheritdoc />
    public override string ToString() => $"CertID(serial {SerialNumberHex}, hash {HashAlgorithmOid})";

    /// <summary>The hash algorithms allowed in a CertID. SHA-1 is allowed here, and only here: RFC 6960
    /// §4.1.1 and RFC 5019 §2.1.1 use it as an identifier, not as a signature, and OpenSSL sends it by default.</summary>
    internal static bool TryGetHashAlgorithm(string oid, out HashAlgorithmName name)
    {
        if (oid == Oids.Sha1)
        {
            name = HashAlgorithmName.SHA1;
            return true;
        }

        return CryptoPolicy.TryGetHashAlgorithm(oid, out name);
    }

    private static OcspCertificateId Create(X509Certificate2 issuer, ReadOnlySpan<byte> serialNumber, HashAlgorithmName? hashAlgorithm, X500DistinguishedName? issuerName)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        var hash = hashAlgorithm ?? HashAlgorithmName.SHA256;
        var oid = hash == HashAlgorithmName.SHA1 ? Oids.Sha1 : CryptoPolicy.GetHashOid(hash);
        if (serialNumber.IsEmpty)
        {
            throw new ArgumentException("The serial number is empty.", nameof(serialNumber));
        }

        return new OcspCertificateId(
            oid,
            CryptographicOperations.HashData(hash, (issuerName ?? issuer.SubjectName).RawData),
            CryptographicOperations.HashData(hash, issuer.PublicKey.EncodedKeyValue.RawData),
            Normalise(serialNumber),
            null);
    }

    private bool MatchesIssuer(X509Certificate2 issuer, X500DistinguishedName? issuerName)
    {
        if (!TryGetHashAlgorithm(HashAlgorithmOid, out var hash))
        {
            return false;
        }

        // RFC 6960 §4.1.1: issuerNameHash is over the issuer name field of the certificate being
        // checked (equal to the issuer's subject in a consistent PKI); issuerKeyHash over the value of
        // the issuer's subjectPublicKey BIT STRING, which .NET exposes as EncodedKeyValue.
        Span<byte> buffer = stackalloc byte[64];
        var length = CryptographicOperations.HashData(hash, (issuerName ?? issuer.SubjectName).RawData, buffer);
        var nameOk = CryptographicOperations.FixedTimeEquals(buffer[..length], _issuerNameHash);
        length = CryptographicOperations.HashData(hash, issuer.PublicKey.EncodedKeyValue.RawData, buffer);
        var keyOk = CryptographicOperations.FixedTimeEquals(buffer[..length], _issuerKeyHash);
        return nameOk & keyOk;
    }

    private bool SerialEquals(ReadOnlySpan<byte> serial)
    {
        // Serial numbers are public identifiers, not secrets, so an ordinary comparison is fine.
        return Normalise(serial).AsSpan().SequenceEqual(_serialNumber);
    }

    private static byte[] Normalise(ReadOnlySpan<byte> serial) =>
        new BigInteger(serial, isUnsigned: false, isBigEndian: true).ToByteArray(isUnsigned: false, isBigEndian: true);
}
