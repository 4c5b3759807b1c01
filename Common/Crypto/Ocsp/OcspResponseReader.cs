using System.Diagnostics.CodeAnalysis;
using System.Formats.Asn1;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Ocsp;
using Org.BouncyCastle.Asn1.X509;

namespace ExchangeGateway.Common.Crypto.Ocsp;

/// <summary>
/// Reads an OCSPResponse (RFC 6960 §4.2.1) into plain values. The outer structure (where the signed
/// bytes and certificates lie) is read with <see cref="AsnReader"/> so that the exact received bytes are
/// kept; the ResponseData content is read with BouncyCastle. Never throws for bad input.
/// </summary>
internal static class OcspResponseReader
{
    /// <summary>Responses above this size are refused before parsing; real ones are a few KiB.</summary>
    public const int MaxResponseLength = 64 * 1024;

    private static readonly DerObjectIdentifier NonceOid = new(Oids.OcspNonce);

    public static bool TryRead(byte[] der, [NotNullWhen(true)] out ParsedOcspResponse? response, [NotNullWhen(false)] out string? error)
    {
        response = null;
        if (der.Length == 0)
        {
            error = "the OCSP response is empty";
            return false;
        }

        if (der.Length > MaxResponseLength)
        {
            error = $"the OCSP response is {der.Length} bytes, above the limit of {MaxResponseLength}";
            return false;
        }

        try
        {
            response = Read(der);
            error = null;
            return true;
        }
        catch (Exception ex) when (IsParseFailure(ex))
        {
            error = $"the OCSP response is malformed ({ex.GetType().Name}: {ex.Message})";
            return false;
        }
    }

    private static ParsedOcspResponse Read(byte[] der)
    {
        // The whole input must be exactly one DER value: trailing bytes would be unsigned and unseen.
        var outer = new AsnReader(der, AsnEncodingRules.DER);
        outer.ReadEncodedValue();
        outer.ThrowIfNotEmpty();

        var ocspResponse = OcspResponse.GetInstance(Asn1Object.FromByteArray(der));
        var status = (OcspResponseStatus)ocspResponse.ResponseStatus.Value.IntValue;
        var responseBytes = ocspResponse.ResponseBytes;
        if (status != OcspResponseStatus.Successful || responseBytes is null)
        {
            // RFC 6960 §4.2.1: only a successful response carries responseBytes.
            return new ParsedOcspResponse { ResponseStatus = status };
        }

        var responseType = responseBytes.ResponseType.Id;
        if (responseType != Oids.OcspBasic)
        {
            return new ParsedOcspResponse { ResponseStatus = status, ResponseType = responseType };
        }

        var basicDer = responseBytes.Response.GetOctets();

        // BasicOCSPResponse ::= SEQUENCE { tbsResponseData, signatureAlgorithm, signature BIT STRING,
        //                                  certs [0] EXPLICIT SEQUENCE OF Certificate OPTIONAL }
        var basicReader = new AsnReader(basicDer, AsnEncodingRules.DER);
        var basicSequence = basicReader.ReadSequence();
        basicReader.ThrowIfNotEmpty();
        var tbs = basicSequence.ReadEncodedValue().ToArray();
        basicSequence.ReadEncodedValue(); // signatureAlgorithm, read below with BouncyCastle
        var signature = basicSequence.ReadBitString(out var unusedBits);
        if (unusedBits != 0)
        {
            throw new FormatException("the signature BIT STRING has unused bits");
        }

        var certificates = new List<byte[]>();
        if (basicSequence.HasData)
        {
            var certsExplicit = basicSequence.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0));
            var certs = certsExplicit.ReadSequence();
            certsExplicit.ThrowIfNotEmpty();
            while (certs.HasData)
            {
                certificates.Add(certs.ReadEncodedValue().ToArray());
            }
        }

        basicSequence.ThrowIfNotEmpty();

        var basic = BasicOcspResponse.GetInstance(Asn1Object.FromByteArray(basicDer));
        var data = basic.TbsResponseData;
        var algorithm = basic.SignatureAlgorithm;
        var responderId = data.ResponderID;
        var singles = new List<ParsedSingleResponse>();
        foreach (var item in data.Responses)
        {
            singles.Add(ReadSingle(SingleResponse.GetInstance(item)));
        }

        return new ParsedOcspResponse
        {
            ResponseStatus = status,
            ResponseType = responseType,
            TbsResponseData = tbs,
            SignatureAlgorithmOid = algorithm.Algorithm.Id,
            SignatureAlgorithmParameters = algorithm.Parameters?.ToAsn1Object().GetDerEncoded(),
            Signature = signature.ToArray(),
            ResponderKeyHash = responderId.Name is null ? responderId.GetKeyHash() : null,
            ResponderName = responderId.Name?.GetDerEncoded(),
            ProducedAt = ReadTime(data.ProducedAt),
            Responses = singles,
            Nonce = ReadNonce(data.ResponseExtensions),
            Certificates = certificates,
        };
    }

    private static ParsedSingleResponse ReadSingle(SingleResponse single)
    {
        if (!OcspCertificateId.TryDecode(single.CertId.GetDerEncoded(), out var id))
        {
            throw new FormatException("a SingleResponse has a malformed CertID");
        }

        var certStatus = single.CertStatus;
        DateTimeOffset? revocationTime = null;
        OcspRevocationReason? reason = null;
        var status = certStatus.TagNo switch
        {
            0 => OcspCertificateStatus.Good,
            1 => OcspCertificateStatus.Revoked,
            2 => OcspCertificateStatus.Unknown,
            _ => throw new FormatException($"unknown CertStatus tag {certStatus.TagNo}"),
        };

        if (status == OcspCertificateStatus.Revoked)
        {
            var info = RevokedInfo.GetInstance(certStatus.Status);
            revocationTime = ReadTime(info.RevocationTime);
            if (info.RevocationReason is { } crlReason)
            {
                reason = (OcspRevocationReason)crlReason.Value.IntValue;
            }
        }

        return new ParsedSingleResponse
        {
            CertificateId = id,
            Status = status,
            ThisUpdate = ReadTime(single.ThisUpdate),
            NextUpdate = single.NextUpdate is { } next ? ReadTime(next) : null,
            RevocationTime = revocationTime,
            RevocationReason = reason,
        };
    }

    private static byte[]? ReadNonce(X509Extensions? extensions)
    {
        var extension = extensions?.GetExtension(NonceOid);
        if (extension is null)
        {
            return null;
        }

        var value = extension.Value.GetOctets();

        // RFC 8954 §2.1: extnValue holds an OCTET STRING with the nonce. Some old responders put the
        // nonce bytes directly in extnValue; compare those as they are.
        try
        {
            var reader = new AsnReader(value, AsnEncodingRules.DER);
            var nonce = reader.ReadOctetString();
            return reader.HasData ? value : nonce;
        }
        catch (AsnContentException)
        {
            return value;
        }
    }

    private static DateTimeOffset ReadTime(DerGeneralizedTime time) =>
        new AsnReader(time.GetDerEncoded(), AsnEncodingRules.DER).ReadGeneralizedTime();

    private static bool IsParseFailure(Exception ex) =>
        ex is AsnContentException
            or IOException
            or ArgumentException
            or InvalidCastException
            or FormatException
            or InvalidOperationException
            or OverflowException
            or IndexOutOfRangeException;
}
