using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using ExchangeGateway.Common.Crypto.TimeStamping;
using ExchangeGateway.Testing.Pki;
using ExchangeGateway.Testing.Time;
using ExchangeGateway.TrustServices.Tsa;

namespace ExchangeGateway.Common.Tests.Crypto.TimeStamping;

public sealed class TimeStampAuthorityTests : IDisposable
{
    private readonly ManualTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly TestPki _pki;
    private readonly TimeStampAuthority _tsa;

    public TimeStampAuthorityTests()
    {
        _pki = TestPki.Create(_time);
        _tsa = new TimeStampAuthority(_pki.Tsa, _time);
    }

    public void Dispose() => _pki.Dispose();

    [Fact]
    public void Respond_Sha1Imprint_RejectsWithBadAlg()
    {
        var request = Rfc3161TimestampRequest.CreateFromHash(SHA1.HashData("x"u8), HashAlgorithmName.SHA1);

        var (status, failInfo, hasToken) = TokenForge.ReadStatus(_tsa.Respond(request.Encode()));

        Assert.Equal(PkiStatus.Rejection, status);
        Assert.Equal(PkiFailureInfo.BadAlg, failInfo);
        Assert.False(hasToken);
    }

    [Fact]
    public void Respond_Garbage_RejectsWithBadDataFormat()
    {
        var (status, failInfo, _) = TokenForge.ReadStatus(_tsa.Respond("not a request"u8.ToArray()));

        Assert.Equal(PkiStatus.Rejection, status);
        Assert.Equal(PkiFailureInfo.BadDataFormat, failInfo);
    }

    [Fact]
    public void Respond_TrailingBytes_RejectsWithBadDataFormat()
    {
        var request = TimeStampRequestFactory.Create(SHA256.HashData("x"u8), HashAlgorithmName.SHA256).Encode();

        var (status, failInfo, _) = TokenForge.ReadStatus(_tsa.Respond(request.Append((byte)0x00).ToArray()));

        Assert.Equal(PkiStatus.Rejection, status);
        Assert.Equal(PkiFailureInfo.BadDataFormat, failInfo);
    }

    [Fact]
    public void Respond_ImprintOfWrongLength_RejectsWithBadDataFormat()
    {
        var request = Rfc3161TimestampRequest.CreateFromHash(new byte[20], HashAlgorithmName.SHA256);

        var (_, failInfo, _) = TokenForge.ReadStatus(_tsa.Respond(request.Encode()));

        Assert.Equal(PkiFailureInfo.BadDataFormat, failInfo);
    }

    [Fact]
    public void Respond_UnservedPolicy_RejectsWithUnacceptedPolicy()
    {
        var request = TimeStampRequestFactory.Create(SHA256.HashData("x"u8), HashAlgorithmName.SHA256, "1.2.3.4.5");

        var (status, failInfo, _) = TokenForge.ReadStatus(_tsa.Respond(request.Encode()));

        Assert.Equal(PkiStatus.Rejection, status);
        Assert.Equal(PkiFailureInfo.UnacceptedPolicy, failInfo);
    }

    [Fact]
    public void Respond_OwnPolicyRequested_Granted()
    {
        var request = TimeStampRequestFactory.Create(SHA256.HashData("x"u8), HashAlgorithmName.SHA256, TimeStampAuthorityOptions.DevelopmentPolicyOid);

        var (status, _, hasToken) = TokenForge.ReadStatus(_tsa.Respond(request.Encode()));

        Assert.Equal(PkiStatus.Granted, status);
        Assert.True(hasToken);
    }

    [Fact]
    public void Respond_RequestWithExtension_RejectsWithUnacceptedExtension()
    {
        var extensions = new System.Security.Cryptography.X509Certificates.X509ExtensionCollection
        {
            new System.Security.Cryptography.X509Certificates.X509Extension("1.2.3.4.9", [0x05, 0x00], critical: false),
        };
        var request = Rfc3161TimestampRequest.CreateFromHash(SHA256.HashData("x"u8), HashAlgorithmName.SHA256, extensions: extensions);

        var (_, failInfo, _) = TokenForge.ReadStatus(_tsa.Respond(request.Encode()));

        Assert.Equal(PkiFailureInfo.UnacceptedExtension, failInfo);
    }

    [Fact]
    public void Respond_ValidRequest_TokenDecodesWithDotNetAndMatchesRequest()
    {
        var hash = SHA256.HashData("x"u8);
        var request = TimeStampRequestFactory.Create(hash, HashAlgorithmName.SHA256);

        // The framework's own response processing checks status, imprint, nonce, ESS and the TSA EKU.
        var token = request.ProcessResponse(_tsa.Respond(request.Encode()), out _);

        Assert.True(token.VerifySignatureForHash(hash, HashAlgorithmName.SHA256, out var signer));
        Assert.Equal(_pki.Tsa.Thumbprint, signer.Thumbprint);
        Assert.False(token.TokenInfo.IsOrdering);
        Assert.Equal(1_000_000, token.TokenInfo.AccuracyInMicroseconds);
    }

    [Fact]
    public void Respond_CertReqFalse_TokenCarriesNoCertificate()
    {
        var request = Rfc3161TimestampRequest.CreateFromHash(SHA256.HashData("x"u8), HashAlgorithmName.SHA256, requestSignerCertificates: false);

        var token = request.ProcessResponse(_tsa.Respond(request.Encode()), out _);

        Assert.Empty(token.AsSignedCms().Certificates);
    }

    [Fact]
    public void Respond_TwoRequests_SerialNumbersDiffer()
    {
        var request = TimeStampRequestFactory.Create(SHA256.HashData("x"u8), HashAlgorithmName.SHA256);

        var a = request.ProcessResponse(_tsa.Respond(request.Encode()), out _).TokenInfo.GetSerialNumber().ToArray();
        var b = request.ProcessResponse(_tsa.Respond(request.Encode()), out _).TokenInfo.GetSerialNumber().ToArray();

        Assert.NotEqual(a, b);
    }

    [Fact]
    public void Respond_FractionalSecondsInClock_GenTimeKeepsThem()
    {
        _time.Advance(TimeSpan.FromMilliseconds(250));
        var request = TimeStampRequestFactory.Create(SHA256.HashData("x"u8), HashAlgorithmName.SHA256);

        var token = request.ProcessResponse(_tsa.Respond(request.Encode()), out _);

        Assert.Equal(_time.GetUtcNow(), token.TokenInfo.Timestamp);
    }

    [Fact]
    public void Create_Sha256Hash_HasNonceAndCertReq()
    {
        var request = TimeStampRequestFactory.Create(SHA256.HashData("x"u8), HashAlgorithmName.SHA256);

        Assert.True(request.RequestSignerCertificate);
        Assert.NotNull(request.GetNonce());
        Assert.Null(request.RequestedPolicyId);
    }

    [Fact]
    public void Create_HashOfWrongLength_Throws()
    {
        Assert.Throws<ArgumentException>(() => TimeStampRequestFactory.Create(new byte[20], HashAlgorithmName.SHA256));
    }

    [Fact]
    public void Create_Sha1_Throws()
    {
        Assert.Throws<CryptographicException>(() => TimeStampRequestFactory.Create(new byte[20], HashAlgorithmName.SHA1));
    }

    [Fact]
    public void Respond_Rejection_StatusStringIsUtf8Text()
    {
        var reader = new AsnReader(_tsa.Respond(new byte[] { 1, 2, 3 }), AsnEncodingRules.DER).ReadSequence().ReadSequence();
        reader.ReadInteger();

        var text = reader.ReadSequence().ReadCharacterString(UniversalTagNumber.UTF8String);

        Assert.Contains("TimeStampReq", text, StringComparison.Ordinal);
    }
}
