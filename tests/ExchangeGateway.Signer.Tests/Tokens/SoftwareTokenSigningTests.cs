using System.Security.Cryptography;
using ExchangeGateway.Common.Crypto.Batch;
using ExchangeGateway.Common.Crypto.Cms;
using ExchangeGateway.Signer.Keys;
using ExchangeGateway.Signer.Ocsp;
using ExchangeGateway.Signer.Signing;
using ExchangeGateway.Signer.Tests.Support;
using ExchangeGateway.Signer.Tokens;
using ExchangeGateway.Testing.Pki;
using ExchangeGateway.Testing.Time;
using ExchangeGateway.Testing.Tools;

namespace ExchangeGateway.Signer.Tests.Tokens;

/// <summary>The token's signing identities behind the <see cref="BatchingSigner"/>, the way the host wires them.</summary>
public sealed class SoftwareTokenSigningTests : IAsyncLifetime
{
    private readonly ManualTimeProvider _time = new();
    private readonly TempDirectory _dir = new();
    private readonly TestPki _pki;
    private readonly HttpClient _http;
    private readonly OcspStatusManager _ocsp;
    private readonly BatchingSigner _signer;
    private readonly SoftwareToken _token;

    public SoftwareTokenSigningTests()
    {
        _pki = TestPki.Create(_time, ocspUrl: "http://ocsp.test/ocsp");
        _http = new HttpClient(new InProcessOcspHandler(_pki, _time));
        _ocsp = new OcspStatusManager(_http, new OcspStatusManagerOptions { StorageDirectory = _dir.File("ocsp"), Freshness = () => TimeSpan.FromMinutes(20) }, _time);
        _signer = new BatchingSigner(_ocsp, _time);
        _token = TokenSupport.Initialised(_dir.File("keys"), _time);

        // The host's wiring: the signer follows the token's status.
        _token.Changed += (_, _) => _signer.TokenActive = _token.Status == TokenStatus.LoggedIn;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _signer.DisposeAsync();
        _token.Dispose();
        _ocsp.Dispose();
        _http.Dispose();
        _pki.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task Logout_NoIdentitiesAndTheSignerRefusesWithTokenNotActive_LoginSignsAgain()
    {
        var key = TokenSupport.Generate(_token, KeyPurpose.Signing);
        TokenSupport.Certify(_pki, _token, key);
        TokenSupport.Certify(_pki, _token, TokenSupport.Generate(_token, KeyPurpose.Authentication));
        foreach (var identity in _token.GetSigningIdentities())
        {
            _signer.AddOrReplace(identity);
        }

        Assert.True(await _ocsp.RefreshAsync());
        var verifier = new BatchSignatureVerifier(new CmsSignatureVerifier(_pki.CreateValidator()));
        var digest = SHA256.HashData("message"u8);
        var signed = await _signer.SignAsync(TestIdentities.Owner, digest);
        Assert.True(signed.IsSuccess, signed.Message);
        Assert.True(verifier.Verify(digest, signed.Signature, _time.GetUtcNow()).IsValid);

        _token.Logout();

        Assert.Empty(_token.GetSigningIdentities());
        Assert.Null(_token.GetAuthenticationIdentity());
        Assert.False(_signer.TokenActive);
        var refused = await _signer.SignAsync(TestIdentities.Owner, digest);
        Assert.Equal(SignFailure.TokenNotActive, refused.Failure);
        Assert.Equal("the key token is logged out", refused.Message);
        var detached = await _signer.SignDetachedAsync(TestIdentities.Owner, "checkpoint"u8.ToArray());
        Assert.Equal(SignFailure.TokenNotActive, detached.Failure);

        Assert.True(_token.Login(TokenSupport.Pin).Success);

        Assert.True(_signer.TokenActive);
        var again = await _signer.SignAsync(TestIdentities.Owner, digest);
        Assert.True(again.IsSuccess, again.Message);
    }

    [Fact]
    public async Task LockedOut_SignerRefusesWithTokenNotActive()
    {
        var key = TokenSupport.Generate(_token, KeyPurpose.Signing);
        TokenSupport.Certify(_pki, _token, key);
        _signer.AddOrReplace(Assert.Single(_token.GetSigningIdentities()));
        Assert.True(await _ocsp.RefreshAsync());

        for (var i = 0; i < _token.Options.Policy.MaxFailedAttempts; i++)
        {
            _token.ChangePin("Wrong-Pin-000" + i, TokenSupport.OtherPin);
        }

        Assert.Equal(TokenStatus.LockedOut, _token.Status);
        var refused = await _signer.SignAsync(TestIdentities.Owner, SHA256.HashData("m"u8));
        Assert.Equal(SignFailure.TokenNotActive, refused.Failure);
    }
}
