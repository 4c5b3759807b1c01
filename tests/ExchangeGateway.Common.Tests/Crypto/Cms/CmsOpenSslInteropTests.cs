using ExchangeGateway.Common.Crypto.Cms;
using ExchangeGateway.Testing.Pki;
using ExchangeGateway.Testing.Tools;

namespace ExchangeGateway.Common.Tests.Crypto.Cms;

/// <summary>Our detached CMS against OpenSSL, in both directions (issue: interoperability must show).</summary>
public sealed class CmsOpenSslInteropTests : IDisposable
{
    private readonly TestPki _pki = TestPki.Create();
    private readonly TempDirectory _dir = new();

    public void Dispose()
    {
        _pki.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task OpenSslCmsVerify_AcceptsOurDetachedSignature()
    {
        var signer = _pki.IssueSigning("EE", "GOV", "70000001");
        var content = "request head and body digest"u8.ToArray();
        _pki.WritePemFiles(_dir.Path);
        await File.WriteAllBytesAsync(_dir.File("data.bin"), content);
        await File.WriteAllBytesAsync(_dir.File("sig.der"), CmsDetachedSigner.Sign(content, signer, DateTimeOffset.UtcNow, [_pki.IntermediateCertificate]));

        var result = await OpenSsl.RunAsync(_dir.Path, "cms", "-verify", "-binary", "-inform", "DER", "-in", "sig.der", "-content", "data.bin", "-CAfile", "chain.pem", "-purpose", "any", "-out", "out.bin");

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains("Verification successful", result.Output, StringComparison.Ordinal);
        Assert.Equal(content, await File.ReadAllBytesAsync(_dir.File("out.bin")));
    }

    [Fact]
    public async Task OpenSslCmsVerify_RejectsOurSignatureOverOtherContent()
    {
        var signer = _pki.IssueSigning("EE", "GOV", "70000001");
        _pki.WritePemFiles(_dir.Path);
        await File.WriteAllBytesAsync(_dir.File("data.bin"), "other bytes"u8.ToArray());
        await File.WriteAllBytesAsync(_dir.File("sig.der"), CmsDetachedSigner.Sign("signed bytes"u8, signer, DateTimeOffset.UtcNow, [_pki.IntermediateCertificate]));

        var result = await OpenSsl.RunAsync(_dir.Path, "cms", "-verify", "-binary", "-inform", "DER", "-in", "sig.der", "-content", "data.bin", "-CAfile", "chain.pem", "-purpose", "any", "-out", "out.bin");

        Assert.NotEqual(0, result.ExitCode);
    }

    [Fact]
    public async Task Verify_AcceptsOpenSslCmsSignDetachedSignature()
    {
        var signer = _pki.IssueSigning("EE", "GOV", "70000001");
        _pki.WritePemFiles(_dir.Path);
        TestPki.WriteCertificateAndKey(signer, _dir.File("sign"));
        var content = "bytes signed by openssl"u8.ToArray();
        await File.WriteAllBytesAsync(_dir.File("data.bin"), content);

        var sign = await OpenSsl.RunAsync(_dir.Path, "cms", "-sign", "-binary", "-in", "data.bin", "-signer", "sign.pem", "-inkey", "sign.key", "-certfile", "intermediate.pem", "-md", "sha256", "-outform", "DER", "-out", "sig.der");
        Assert.True(sign.ExitCode == 0, sign.Output);

        var verifier = new CmsSignatureVerifier(_pki.CreateValidator());
        var result = verifier.Verify(await File.ReadAllBytesAsync(_dir.File("sig.der")), content, DateTimeOffset.UtcNow);

        Assert.True(result.IsValid, result.ToString());
        Assert.Equal(signer.Thumbprint, result.Value.Signer.Thumbprint);
        Assert.False(verifier.Verify(await File.ReadAllBytesAsync(_dir.File("sig.der")), "tampered"u8, DateTimeOffset.UtcNow).IsValid);
    }
}
