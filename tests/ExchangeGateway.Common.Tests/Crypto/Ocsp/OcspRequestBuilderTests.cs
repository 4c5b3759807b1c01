using System.Security.Cryptography;
using ExchangeGateway.Common.Crypto;
using ExchangeGateway.Common.Crypto.Ocsp;
using ExchangeGateway.Testing.Pki;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Ocsp;
using Org.BouncyCastle.Ocsp;

namespace ExchangeGateway.Common.Tests.Crypto.Ocsp;

public sealed class OcspRequestBuilderTests : IDisposable
{
    private readonly TestPki _pki = TestPki.Create();

    public void Dispose() => _pki.Dispose();

    [Fact]
    public void Build_WithNonce_ProducesRequestBouncyCastleReads()
    {
        var leaf = _pki.IssueSigning("EE", "GOV", "1");
        var nonce = OcspRequestBuilder.CreateNonce();

        var der = OcspRequestBuilder.Build(leaf, _pki.IntermediateCertificate, nonce);

        var request = new OcspReq(der);
        var single = Assert.Single(request.GetRequestList());
        var certId = single.GetCertID();
        Assert.Equal(Oids.Sha256, certId.HashAlgOid);
        Assert.Equal(SHA256.HashData(_pki.IntermediateCertificate.SubjectName.RawData), certId.GetIssuerNameHash());
        Assert.Equal(SHA256.HashData(_pki.IntermediateCertificate.PublicKey.EncodedKeyValue.RawData), certId.GetIssuerKeyHash());
        Assert.Equal(new Org.BouncyCastle.Math.BigInteger(leaf.SerialNumberBytes.ToArray()), certId.SerialNumber);
        var extension = request.RequestExtensions.GetExtension(OcspObjectIdentifiers.PkixOcspNonce);
        Assert.Equal(nonce, Asn1OctetString.GetInstance(Asn1Object.FromByteArray(extension.Value.GetOctets())).GetOctets());
        Assert.False(request.IsSigned);
    }

    [Fact]
    public void Build_WithoutNonce_HasNoExtensions()
    {
        var leaf = _pki.IssueSigning("EE", "GOV", "1");

        var request = new OcspReq(OcspRequestBuilder.Build(leaf, _pki.IntermediateCertificate, hashAlgorithm: HashAlgorithmName.SHA1));

        Assert.Null(request.RequestExtensions);
        Assert.Equal(Oids.Sha1, Assert.Single(request.GetRequestList()).GetCertID().HashAlgOid);
    }

    [Fact]
    public void Build_NonceLongerThan32Octets_Throws()
    {
        var leaf = _pki.IssueSigning("EE", "GOV", "1");

        Assert.Throws<ArgumentException>(() => OcspRequestBuilder.Build(leaf, _pki.IntermediateCertificate, new byte[33]));
    }

    [Fact]
    public void TryDecode_EncodedCertificateId_RoundTripsAndMatches()
    {
        var leaf = _pki.IssueSigning("EE", "GOV", "1");
        var id = OcspCertificateId.Create(leaf, _pki.IntermediateCertificate);

        Assert.True(OcspCertificateId.TryDecode(id.Encode(), out var decoded));

        Assert.Equal(id.Encode(), decoded.Encode());
        Assert.True(decoded.Matches(leaf, _pki.IntermediateCertificate));
        Assert.True(decoded.MatchesIssuer(_pki.IntermediateCertificate));
        Assert.False(decoded.Matches(_pki.IssueSigning("EE", "GOV", "2"), _pki.IntermediateCertificate));
    }

    [Fact]
    public void Matches_SerialWithHighBitSet_ComparesAsPositiveInteger()
    {
        // A serial whose first byte has the top bit set is encoded with a leading zero octet.
        var serial = new byte[] { 0x00, 0x80, 0x01 };
        var id = OcspCertificateId.Create(_pki.IntermediateCertificate, serial);

        Assert.True(OcspCertificateId.TryDecode(id.Encode(), out var decoded));

        Assert.Equal(serial, decoded.SerialNumber.ToArray());
    }

    [Fact]
    public void TryDecode_Garbage_ReturnsFalse()
    {
        Assert.False(OcspCertificateId.TryDecode([0x30, 0x00], out _));
        Assert.False(OcspCertificateId.TryDecode([0x01], out _));
    }
}
