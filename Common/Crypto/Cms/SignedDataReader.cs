using System.Formats.Asn1;

namespace ExchangeGateway.Common.Crypto.Cms;

/// <summary>
/// Reads the parts of a CMS SignedData (RFC 5652 §5) that a detached-signature check needs, as raw
/// bytes: the embedded certificates and each signer's identifier, algorithms, signed attributes and
/// signature. It decodes nothing it does not have to, so the verifier can reuse parsed certificates
/// across messages. DER only: anything else is left to <see cref="System.Security.Cryptography.Pkcs.SignedCms"/>.
/// </summary>
internal static class SignedDataReader
{
    private static readonly Asn1Tag Context0 = new(TagClass.ContextSpecific, 0, isConstructed: true);
    private static readonly Asn1Tag Context0Primitive = new(TagClass.ContextSpecific, 0, isConstructed: false);
    private static readonly Asn1Tag Context1 = new(TagClass.ContextSpecific, 1, isConstructed: true);

    /// <summary>Parses <paramref name="encoded"/>; false when it is not DER SignedData of the expected shape.</summary>
    public static bool TryRead(ReadOnlyMemory<byte> encoded, out SignedDataParts parts)
    {
        parts = null!;
        try
        {
            var outer = new AsnReader(encoded, AsnEncodingRules.DER);
            var contentInfo = outer.ReadSequence();
            outer.ThrowIfNotEmpty();
            if (contentInfo.ReadObjectIdentifier() != Oids.CmsSignedData)
            {
                return false;
            }

            var explicitContent = contentInfo.ReadSequence(Context0);
            var signedData = explicitContent.ReadSequence();
            signedData.ReadInteger(); // version
            signedData.ReadSetOf(); // digestAlgorithms: the signer's own digest algorithm is what counts
            var encapsulated = signedData.ReadSequence();
            var contentType = encapsulated.ReadObjectIdentifier();
            var detached = !encapsulated.HasData;

            var certificates = new List<ReadOnlyMemory<byte>>();
            if (signedData.PeekTag().HasSameClassAndValue(Context0))
            {
                var set = signedData.ReadSetOf(Context0);
                while (set.HasData)
                {
                    // CertificateChoices: only the plain Certificate (a SEQUENCE) is used; tagged
                    // alternatives (attribute certificates, other formats) are skipped.
                    if (set.PeekTag().HasSameClassAndValue(Asn1Tag.Sequence))
                    {
                        certificates.Add(set.ReadEncodedValue());
                    }
                    else
                    {
                        set.ReadEncodedValue();
                    }
                }
            }

            if (signedData.PeekTag().HasSameClassAndValue(Context1))
            {
                signedData.ReadEncodedValue(); // crls
            }

            var signers = new List<SignerParts>();
            var signerInfos = signedData.ReadSetOf();
            signedData.ThrowIfNotEmpty();
            while (signerInfos.HasData)
            {
                signers.Add(ReadSigner(signerInfos.ReadSequence()));
            }

            parts = new SignedDataParts(contentType, detached, certificates, signers);
            return true;
        }
        catch (AsnContentException)
        {
            return false;
        }
    }

    private static SignerParts ReadSigner(AsnReader signer)
    {
        signer.ReadInteger(); // version
        ReadOnlyMemory<byte>? issuer = null;
        ReadOnlyMemory<byte>? serial = null;
        ReadOnlyMemory<byte>? subjectKeyId = null;
        if (signer.PeekTag().HasSameClassAndValue(Asn1Tag.Sequence))
        {
            var issuerAndSerial = signer.ReadSequence();
            issuer = issuerAndSerial.ReadEncodedValue();
            serial = issuerAndSerial.ReadIntegerBytes();
            issuerAndSerial.ThrowIfNotEmpty();
        }
        else
        {
            subjectKeyId = signer.ReadOctetString(Context0Primitive);
        }

        var digestAlgorithm = ReadAlgorithm(signer);
        ReadOnlyMemory<byte>? signedAttributes = null;
        var attributes = new List<(string Oid, List<ReadOnlyMemory<byte>> Values)>();
        if (signer.PeekTag().HasSameClassAndValue(Context0))
        {
            signedAttributes = signer.PeekEncodedValue();
            var set = signer.ReadSetOf(Context0);
            while (set.HasData)
            {
                var attribute = set.ReadSequence();
                var oid = attribute.ReadObjectIdentifier();
                var values = new List<ReadOnlyMemory<byte>>();
                var valueSet = attribute.ReadSetOf();
                while (valueSet.HasData)
                {
                    values.Add(valueSet.ReadEncodedValue());
                }

                attribute.ThrowIfNotEmpty();
                attributes.Add((oid, values));
            }
        }

        var signatureAlgorithm = ReadAlgorithm(signer);
        var signature = signer.ReadOctetString();
        return new SignerParts(issuer, serial, subjectKeyId, digestAlgorithm, signedAttributes, attributes, signatureAlgorithm.Oid, signatureAlgorithm.HasParameters, signature);
    }

    private static (string Oid, bool HasParameters) ReadAlgorithm(AsnReader reader)
    {
        var algorithm = reader.ReadSequence();
        var oid = algorithm.ReadObjectIdentifier();
        var hasParameters = false;
        if (algorithm.HasData)
        {
            // An explicit NULL is the same as absent parameters (RFC 5754 §2).
            if (algorithm.PeekTag().HasSameClassAndValue(Asn1Tag.Null))
            {
                algorithm.ReadNull();
            }
            else
            {
                algorithm.ReadEncodedValue();
                hasParameters = true;
            }
        }

        algorithm.ThrowIfNotEmpty();
        return (oid, hasParameters);
    }
}
