using System.Security.Cryptography;
using System.Text;
using ExchangeGateway.Config.Model;
using ExchangeGateway.Signer.Enrolment;
using ExchangeGateway.Signer.Keys;
using ExchangeGateway.Signer.Tests.Support;
using ExchangeGateway.Signer.Tokens;
using ExchangeGateway.Testing.Pki;
using ExchangeGateway.Testing.Time;
using ExchangeGateway.Testing.Tools;
using ExchangeGateway.TrustServices.Ca;

namespace ExchangeGateway.Signer.Tests.Tokens;

public sealed class SoftwareTokenCertificateTests : IDisposable
{
    private readonly ManualTimeProvider _time = new();
    private readonly TempDirectory _dir = new();
    private readonly TestPki _pki;
    private readonly SoftwareToken _token;

    public SoftwareTokenCertificateTests()
    {
        _pki = TestPki.Create(_time);
        _token = TokenSupport.Initialised(KeysDirectory, _time);
    }

    private string KeysDirectory => _dir.File("keys");

    public void Dispose()
    {
        _token.Dispose();
        _pki.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public void ImportCertificate_AuthenticationBundle_IsSavedActiveWithItsChain()
    {
        var key = TokenSupport.Generate(_token, KeyPurpose.Authentication);
        using var certificate = TokenSupport.Issue(_pki, _token, key);
        var changes = 0;
        _token.Changed += (_, _) => changes++;

        var result = _token.ImportCertificate(TokenSupport.Bundle(_pki, certificate));

        Assert.True(result.Success, result.Message);
        var info = result.Value;
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(certificate.RawData)), info.Id);
        Assert.Equal(key.Id, info.KeyId);
        Assert.Equal(KeyPurpose.Authentication, info.Usage);
        Assert.Null(info.Member);
        Assert.Equal(CertificateState.Saved, info.State);
        Assert.True(info.Active);
        Assert.Equal(certificate.Subject, info.Subject);
        Assert.Equal(certificate.Issuer, info.Issuer);
        Assert.Equal(certificate.SerialNumber, info.SerialNumber);
        Assert.Equal(_time.GetUtcNow(), info.ImportedAt);
        Assert.Equal(certificate.RawData, info.Der.ToArray());
        Assert.Equal([_pki.IntermediateCertificate.RawData, _pki.RootCertificate.RawData], info.Chain.Select(c => c.ToArray()));
        Assert.Equal(1, changes);
        Assert.Equal(info.Id, Assert.Single(Assert.Single(_token.Describe().Keys).Certificates).Id);
    }

    [Fact]
    public void ImportCertificate_SigningDerLoggedOut_IsRegisteredActiveForTheMember()
    {
        var key = TokenSupport.Generate(_token, KeyPurpose.Signing);
        using var certificate = TokenSupport.Issue(_pki, _token, key);
        _token.Logout();

        var result = _token.ImportCertificate(certificate.RawData);

        Assert.True(result.Success, result.Message);
        Assert.Equal(CertificateState.Registered, result.Value.State);
        Assert.True(result.Value.Active);
        Assert.Equal(TestIdentities.Owner, result.Value.Member);
        Assert.Empty(result.Value.Chain);
        using var reopened = new SoftwareToken(TokenSupport.Options(KeysDirectory), _time);
        Assert.Equal(result.Value.Id, reopened.GetCertificate(result.Value.Id).Value!.Id);
    }

    [Fact]
    public void ImportCertificate_MatchesNoKey_FailsAndChangesNothing()
    {
        TokenSupport.Generate(_token, KeyPurpose.Signing);
        using var stranger = _pki.IssueSigning("DEV", "GOV", "70000001");
        var before = TokenSupport.Snapshot(KeysDirectory);

        var result = _token.ImportCertificate(TokenSupport.Bundle(_pki, stranger));

        Assert.Equal(TokenErrors.CertificateMatchesNoKey, result.Code);
        TokenSupport.AssertSameFiles(before, KeysDirectory);
    }

    [Fact]
    public void ImportCertificate_SigningCertificateForAuthenticationKey_IsWrongUsage()
    {
        var key = TokenSupport.Generate(_token, KeyPurpose.Authentication);
        using var certificate = TokenSupport.Issue(_pki, _token, key, CertificateProfile.Signing, CertificateSubjects.Signing(TestIdentities.Owner));
        var before = TokenSupport.Snapshot(KeysDirectory);

        var result = _token.ImportCertificate(TokenSupport.Bundle(_pki, certificate));

        Assert.Equal(TokenErrors.CertificateWrongUsage, result.Code);
        TokenSupport.AssertSameFiles(before, KeysDirectory);
    }

    [Fact]
    public void ImportCertificate_AuthenticationCertificateForSigningKey_IsWrongUsage()
    {
        var key = TokenSupport.Generate(_token, KeyPurpose.Signing);
        using var certificate = TokenSupport.Issue(_pki, _token, key, CertificateProfile.Authentication);
        var before = TokenSupport.Snapshot(KeysDirectory);

        var result = _token.ImportCertificate(TokenSupport.Bundle(_pki, certificate));

        Assert.Equal(TokenErrors.CertificateWrongUsage, result.Code);
        TokenSupport.AssertSameFiles(before, KeysDirectory);
    }

    [Fact]
    public void ImportCertificate_SigningCertificateNamingAnotherMember_IsWrongMember()
    {
        var key = TokenSupport.Generate(_token, KeyPurpose.Signing);
        using var certificate = TokenSupport.Issue(_pki, _token, key, subject: CertificateSubjects.Signing(TestIdentities.Other));
        var before = TokenSupport.Snapshot(KeysDirectory);

        var result = _token.ImportCertificate(TokenSupport.Bundle(_pki, certificate));

        Assert.Equal(TokenErrors.CertificateWrongMember, result.Code);
        Assert.Contains(TestIdentities.Other.ToString(), result.Message, StringComparison.Ordinal);
        TokenSupport.AssertSameFiles(before, KeysDirectory);
    }

    [Fact]
    public void ImportCertificate_WithTheCaProfile_ReadsTheMemberWhereTheProfileSays()
    {
        var profile = new CertificateSubjectProfile("OU", "SERIALNUMBER", "C");
        var key = TokenSupport.Generate(_token, KeyPurpose.Signing);
        using var certificate = TokenSupport.Issue(_pki, _token, key, subject: CertificateSubjects.ForProfile(profile, TestIdentities.Owner, null));
        var before = TokenSupport.Snapshot(KeysDirectory);

        // Under the default profile the subject names no member (no O, no CN).
        Assert.Equal(TokenErrors.CertificateWrongMember, _token.ImportCertificate(certificate.RawData).Code);
        TokenSupport.AssertSameFiles(before, KeysDirectory);

        var result = _token.ImportCertificate(certificate.RawData, profile);
        Assert.True(result.Success, result.Message);
        Assert.Equal(TestIdentities.Owner, result.Value.Member);
    }

    [Fact]
    public void ImportCertificate_Twice_IsAlreadyExists()
    {
        var key = TokenSupport.Generate(_token, KeyPurpose.Authentication);
        using var certificate = TokenSupport.Issue(_pki, _token, key);
        Assert.True(_token.ImportCertificate(certificate.RawData).Success);
        var before = TokenSupport.Snapshot(KeysDirectory);

        var result = _token.ImportCertificate(TokenSupport.Bundle(_pki, certificate));

        Assert.Equal(TokenErrors.CertificateAlreadyExists, result.Code);
        TokenSupport.AssertSameFiles(before, KeysDirectory);
        Assert.Single(Assert.Single(_token.Describe().Keys).Certificates);
    }

    [Fact]
    public void ImportCertificate_Expired_IsInvalid()
    {
        var key = TokenSupport.Generate(_token, KeyPurpose.Signing);
        var now = _time.GetUtcNow();
        using var certificate = TokenSupport.Issue(_pki, _token, key, options: new IssueOptions { NotBefore = now.AddDays(-30), NotAfter = now.AddDays(-1) });
        var before = TokenSupport.Snapshot(KeysDirectory);

        var result = _token.ImportCertificate(TokenSupport.Bundle(_pki, certificate));

        Assert.Equal(TokenErrors.CertificateInvalid, result.Code);
        TokenSupport.AssertSameFiles(before, KeysDirectory);
    }

    [Fact]
    public void ImportCertificate_NotYetValid_IsInvalid()
    {
        var key = TokenSupport.Generate(_token, KeyPurpose.Signing);
        var now = _time.GetUtcNow();
        using var certificate = TokenSupport.Issue(_pki, _token, key, options: new IssueOptions { NotBefore = now.AddDays(1), NotAfter = now.AddDays(30) });
        var before = TokenSupport.Snapshot(KeysDirectory);

        Assert.Equal(TokenErrors.CertificateInvalid, _token.ImportCertificate(certificate.RawData).Code);
        TokenSupport.AssertSameFiles(before, KeysDirectory);
    }

    [Fact]
    public void ImportCertificate_Sha1Signed_IsInvalid()
    {
        var key = TokenSupport.Generate(_token, KeyPurpose.Signing);
        using var certificate = TokenSupport.Issue(_pki, _token, key, options: new IssueOptions { SignatureHash = HashAlgorithmName.SHA1 });
        var before = TokenSupport.Snapshot(KeysDirectory);

        Assert.Equal(TokenErrors.CertificateInvalid, _token.ImportCertificate(certificate.RawData).Code);
        TokenSupport.AssertSameFiles(before, KeysDirectory);
    }

    [Fact]
    public void ImportCertificate_Undecodable_IsInvalid()
    {
        var key = TokenSupport.Generate(_token, KeyPurpose.Authentication);
        using var certificate = TokenSupport.Issue(_pki, _token, key);
        var before = TokenSupport.Snapshot(KeysDirectory);
        var keyPem = Encoding.ASCII.GetBytes(PemEncoding.WriteString("PRIVATE KEY", new byte[] { 1, 2, 3 }));

        Assert.Equal(TokenErrors.CertificateInvalid, _token.ImportCertificate([]).Code);
        Assert.Equal(TokenErrors.CertificateInvalid, _token.ImportCertificate("not a certificate"u8).Code);
        Assert.Equal(TokenErrors.CertificateInvalid, _token.ImportCertificate(certificate.RawData.AsSpan(0, 100)).Code);
        Assert.Equal(TokenErrors.CertificateInvalid, _token.ImportCertificate("-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n"u8).Code);
        Assert.Equal(TokenErrors.CertificateInvalid, _token.ImportCertificate([.. TokenSupport.Bundle(_pki, certificate), .. keyPem]).Code);
        Assert.Equal(TokenErrors.CertificateInvalid, _token.ImportCertificate(new byte[256 * 1024 + 1]).Code);
        TokenSupport.AssertSameFiles(before, KeysDirectory);
    }

    public static TheoryData<CertificateState, CertificateState, bool> AuthenticationTransitions()
    {
        var allowed = new HashSet<(CertificateState, CertificateState)>
        {
            (CertificateState.Saved, CertificateState.RegistrationInProgress),
            (CertificateState.RegistrationInProgress, CertificateState.Registered),
            (CertificateState.RegistrationInProgress, CertificateState.Saved),
            (CertificateState.RegistrationInProgress, CertificateState.GlobalError),
            (CertificateState.Registered, CertificateState.DeletionInProgress),
            (CertificateState.Registered, CertificateState.GlobalError),
            (CertificateState.DeletionInProgress, CertificateState.Deleted),
            (CertificateState.DeletionInProgress, CertificateState.Registered),
            (CertificateState.GlobalError, CertificateState.Registered),
            (CertificateState.GlobalError, CertificateState.DeletionInProgress),
            (CertificateState.GlobalError, CertificateState.Deleted),
        };
        var data = new TheoryData<CertificateState, CertificateState, bool>();
        foreach (var from in Enum.GetValues<CertificateState>())
        {
            foreach (var to in Enum.GetValues<CertificateState>())
            {
                data.Add(from, to, from == to || allowed.Contains((from, to)));
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(AuthenticationTransitions))]
    public void SetState_AuthenticationCertificate_FollowsTheTable(CertificateState from, CertificateState to, bool allowed)
    {
        var key = TokenSupport.Generate(_token, KeyPurpose.Authentication);
        var id = TokenSupport.Certify(_pki, _token, key).Id;
        foreach (var step in PathTo(from))
        {
            Assert.True(_token.SetState(id, step).Success, $"path to {from}: {step}");
        }

        var before = TokenSupport.Snapshot(KeysDirectory);
        var changes = 0;
        _token.Changed += (_, _) => changes++;

        var result = _token.SetState(id, to);

        if (allowed)
        {
            Assert.True(result.Success, result.Message);
            Assert.Equal(to, result.Value.State);
            Assert.Equal(from == to ? 0 : 1, changes);
            using var reopened = new SoftwareToken(TokenSupport.Options(KeysDirectory), _time);
            Assert.Equal(to, reopened.GetCertificate(id).Value!.State);
        }
        else
        {
            Assert.Equal(TokenErrors.InvalidState, result.Code);
            Assert.Equal(from, _token.GetCertificate(id).Value!.State);
            Assert.Equal(0, changes);
            TokenSupport.AssertSameFiles(before, KeysDirectory);
        }
    }

    [Theory]
    [InlineData(CertificateState.Registered, CertificateState.Deleted, true)]
    [InlineData(CertificateState.Registered, CertificateState.Registered, true)]
    [InlineData(CertificateState.Registered, CertificateState.Saved, false)]
    [InlineData(CertificateState.Registered, CertificateState.RegistrationInProgress, false)]
    [InlineData(CertificateState.Registered, CertificateState.DeletionInProgress, false)]
    [InlineData(CertificateState.Registered, CertificateState.GlobalError, false)]
    [InlineData(CertificateState.Deleted, CertificateState.Registered, false)]
    [InlineData(CertificateState.Deleted, CertificateState.Deleted, true)]
    public void SetState_SigningCertificate_OnlyRegisteredToDeleted(CertificateState from, CertificateState to, bool allowed)
    {
        var key = TokenSupport.Generate(_token, KeyPurpose.Signing);
        var id = TokenSupport.Certify(_pki, _token, key).Id;
        if (from == CertificateState.Deleted)
        {
            Assert.True(_token.SetState(id, CertificateState.Deleted).Success);
        }

        var result = _token.SetState(id, to);

        Assert.Equal(allowed ? null : TokenErrors.InvalidState, result.Code);
        Assert.Equal(allowed ? to : from, _token.GetCertificate(id).Value!.State);
    }

    [Fact]
    public void SetState_UnknownCertificate_IsNotFound() =>
        Assert.Equal(TokenErrors.CertificateNotFound, _token.SetState(new string('0', 64), CertificateState.Registered).Code);

    [Theory]
    [InlineData(CertificateState.Saved, true)]
    [InlineData(CertificateState.RegistrationInProgress, false)]
    [InlineData(CertificateState.Registered, false)]
    [InlineData(CertificateState.DeletionInProgress, false)]
    [InlineData(CertificateState.Deleted, true)]
    [InlineData(CertificateState.GlobalError, true)]
    public void DeleteCertificate_RefusedWhileRegisteredOrInProgress(CertificateState state, bool deletable)
    {
        var key = TokenSupport.Generate(_token, KeyPurpose.Authentication);
        var id = TokenSupport.Certify(_pki, _token, key).Id;
        foreach (var step in PathTo(state))
        {
            Assert.True(_token.SetState(id, step).Success);
        }

        var before = TokenSupport.Snapshot(KeysDirectory);

        var result = _token.DeleteCertificate(id);

        if (deletable)
        {
            Assert.True(result.Success, result.Message);
            Assert.Equal(TokenErrors.CertificateNotFound, _token.GetCertificate(id).Code);
        }
        else
        {
            Assert.Equal(TokenErrors.InUse, result.Code);
            TokenSupport.AssertSameFiles(before, KeysDirectory);
        }
    }

    [Fact]
    public void SetActive_TogglesPersistsAndDecidesTheIdentities()
    {
        var key = TokenSupport.Generate(_token, KeyPurpose.Signing);
        var id = TokenSupport.Certify(_pki, _token, key).Id;
        Assert.Single(_token.GetSigningIdentities()).Dispose();

        Assert.False(_token.SetActive(id, false).Value!.Active);

        Assert.Empty(_token.GetSigningIdentities());
        using (var reopened = new SoftwareToken(TokenSupport.Options(KeysDirectory), _time))
        {
            Assert.False(reopened.GetCertificate(id).Value!.Active);
        }

        Assert.True(_token.SetActive(id, true).Value!.Active);
        Assert.Single(_token.GetSigningIdentities()).Dispose();
        Assert.Equal(TokenErrors.CertificateNotFound, _token.SetActive(new string('1', 64), true).Code);
    }

    [Fact]
    public void GetAuthenticationIdentity_PrefersRegisteredOverSaved_NullWhenLoggedOut()
    {
        var key = TokenSupport.Generate(_token, KeyPurpose.Authentication);
        var saved = TokenSupport.Certify(_pki, _token, key);
        _time.Advance(TimeSpan.FromMinutes(5));
        var newer = TokenSupport.Certify(_pki, _token, key);

        // Both saved: the newer one.
        using (var identity = _token.GetAuthenticationIdentity())
        {
            Assert.Equal(newer.Id, identity!.CertificateSha256);
            Assert.True(identity.Certificate.HasPrivateKey);
            Assert.Equal(2, identity.Chain.Count);
        }

        // The older one registered: it wins over the newer saved one.
        Assert.True(_token.SetState(saved.Id, CertificateState.RegistrationInProgress).Success);
        Assert.True(_token.SetState(saved.Id, CertificateState.Registered).Success);
        using (var identity = _token.GetAuthenticationIdentity())
        {
            Assert.Equal(saved.Id, identity!.CertificateSha256);
        }

        // Inactive or deleted certificates are never used.
        Assert.True(_token.SetActive(saved.Id, false).Success);
        Assert.True(_token.SetState(newer.Id, CertificateState.RegistrationInProgress).Success);
        Assert.True(_token.SetState(newer.Id, CertificateState.GlobalError).Success);
        Assert.Null(_token.GetAuthenticationIdentity());

        Assert.True(_token.SetActive(saved.Id, true).Success);
        _token.Logout();
        Assert.Null(_token.GetAuthenticationIdentity());
    }

    [Fact]
    public void GetSigningIdentities_NewestRegisteredPerMember()
    {
        var owner = TokenSupport.Generate(_token, KeyPurpose.Signing);
        var other = _token.GenerateKey(KeyPurpose.Signing, "other", TestIdentities.Other).Value!;
        var older = TokenSupport.Certify(_pki, _token, owner);
        _time.Advance(TimeSpan.FromMinutes(5));
        var newer = TokenSupport.Certify(_pki, _token, owner);
        var others = TokenSupport.Certify(_pki, _token, other);

        var identities = _token.GetSigningIdentities();
        try
        {
            Assert.Equal([TestIdentities.Owner, TestIdentities.Other], identities.Select(i => i.Member));
            Assert.Equal([newer.Id, others.Id], identities.Select(i => i.CertificateSha256));
        }
        finally
        {
            foreach (var i in identities)
            {
                i.Dispose();
            }
        }

        // A deleted certificate no longer signs: the older one takes over.
        Assert.True(_token.SetState(newer.Id, CertificateState.Deleted).Success);
        var after = _token.GetSigningIdentities();
        Assert.Equal(older.Id, after.Single(i => i.Member == TestIdentities.Owner).CertificateSha256);
        foreach (var i in after)
        {
            i.Dispose();
        }
    }

    [Fact]
    public void SignCms_UnknownCertificate_IsNotFound() =>
        Assert.Equal(TokenErrors.CertificateNotFound, _token.SignCms(new string('0', 64), "x"u8, _time.GetUtcNow()).Code);

    /// <summary>Allowed steps from Saved to <paramref name="state"/>.</summary>
    private static CertificateState[] PathTo(CertificateState state) => state switch
    {
        CertificateState.Saved => [],
        CertificateState.RegistrationInProgress => [CertificateState.RegistrationInProgress],
        CertificateState.Registered => [CertificateState.RegistrationInProgress, CertificateState.Registered],
        CertificateState.DeletionInProgress => [CertificateState.RegistrationInProgress, CertificateState.Registered, CertificateState.DeletionInProgress],
        CertificateState.Deleted => [CertificateState.RegistrationInProgress, CertificateState.Registered, CertificateState.DeletionInProgress, CertificateState.Deleted],
        CertificateState.GlobalError => [CertificateState.RegistrationInProgress, CertificateState.GlobalError],
        _ => throw new ArgumentOutOfRangeException(nameof(state)),
    };
}
