using System.Text.Json;
using ExchangeGateway.Signer.Keys;
using ExchangeGateway.Signer.Tests.Support;
using ExchangeGateway.Signer.Tokens;
using ExchangeGateway.Testing.Time;
using ExchangeGateway.Testing.Tools;

namespace ExchangeGateway.Signer.Tests.Tokens;

public sealed class SoftwareTokenPinTests : IDisposable
{
    private static readonly PinPolicy ThreeTries = new() { MaxFailedAttempts = 3, LockoutDuration = TimeSpan.FromMinutes(15) };

    private readonly ManualTimeProvider _time = new();
    private readonly TempDirectory _dir = new();

    private string KeysDirectory => _dir.File("keys");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void NewDirectory_IsUninitialised_AndRefusesLoginAndKeys()
    {
        using var token = new SoftwareToken(TokenSupport.Options(KeysDirectory), _time);

        Assert.Equal(TokenStatus.Uninitialised, token.Status);
        Assert.Equal(TokenErrors.NotInitialised, token.Login(TokenSupport.Pin).Code);
        Assert.Equal(TokenErrors.NotInitialised, token.ChangePin(TokenSupport.Pin, TokenSupport.OtherPin).Code);
        Assert.Equal(TokenErrors.NotInitialised, token.GenerateKey(KeyPurpose.Authentication, "auth", null).Code);
        Assert.Empty(token.Describe().Keys);
        Assert.Empty(Directory.GetFiles(KeysDirectory));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(KeysDirectory));
        }
    }

    [Fact]
    public void Initialise_PinBreakingPolicy_FailsWithPinPolicyAndWritesNothing()
    {
        using var token = new SoftwareToken(TokenSupport.Options(KeysDirectory), _time);

        var result = token.Initialise("short1A");

        Assert.Equal(TokenErrors.PinPolicy, result.Code);
        Assert.Equal(TokenStatus.Uninitialised, token.Status);
        Assert.Empty(Directory.GetFiles(KeysDirectory));
    }

    [Fact]
    public void Initialise_LogsInAndWritesOwnerOnlyTokenFile_SecondTimeRefused()
    {
        using var token = new SoftwareToken(TokenSupport.Options(KeysDirectory), _time);
        var changes = 0;
        token.Changed += (_, _) => changes++;

        Assert.True(token.Initialise(TokenSupport.Pin).Success);

        Assert.Equal(TokenStatus.LoggedIn, token.Status);
        Assert.Equal(1, changes);
        var path = Path.Combine(KeysDirectory, SoftwareToken.TokenFileName);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }

        var before = File.ReadAllBytes(path);
        Assert.Equal(TokenErrors.AlreadyInitialised, token.Initialise(TokenSupport.OtherPin).Code);
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal(1, changes);
    }

    [Fact]
    public void Login_AfterReopen_RightPinLogsInWrongPinDoesNot()
    {
        using (TokenSupport.Initialised(KeysDirectory, _time))
        {
        }

        using var token = new SoftwareToken(TokenSupport.Options(KeysDirectory), _time);
        Assert.Equal(TokenStatus.LoggedOut, token.Status);

        var wrong = token.Login(TokenSupport.OtherPin);
        Assert.Equal(TokenErrors.WrongPin, wrong.Code);
        Assert.DoesNotContain(TokenSupport.OtherPin, wrong.Message, StringComparison.Ordinal);
        Assert.Equal(TokenStatus.LoggedOut, token.Status);
        Assert.Equal(1, token.Describe().FailedAttempts);

        Assert.True(token.Login(TokenSupport.Pin).Success);
        Assert.Equal(TokenStatus.LoggedIn, token.Status);
        Assert.Equal(0, token.Describe().FailedAttempts);
    }

    [Fact]
    public void Login_WrongPinMaxTimes_LocksOutUntilTheDurationEvenForTheRightPin()
    {
        using (TokenSupport.Initialised(KeysDirectory, _time, ThreeTries))
        {
        }

        using var token = new SoftwareToken(TokenSupport.Options(KeysDirectory, ThreeTries), _time);
        var changes = 0;
        token.Changed += (_, _) => changes++;

        Assert.Equal(TokenErrors.WrongPin, token.Login("Wrong-Pin-0001").Code);
        Assert.Equal(TokenErrors.WrongPin, token.Login("Wrong-Pin-0002").Code);
        var third = token.Login("Wrong-Pin-0003");

        Assert.Equal(TokenErrors.LockedOut, third.Code);
        Assert.Equal(3, changes);
        Assert.Equal(TokenStatus.LockedOut, token.Status);
        var lockedUntil = _time.GetUtcNow() + TimeSpan.FromMinutes(15);
        var info = token.Describe();
        Assert.Equal(lockedUntil, info.LockedUntil);
        Assert.Equal(3, info.FailedAttempts);
        Assert.Equal(3, info.MaxFailedAttempts);

        // The right PIN is refused with the lockout code, and neither counted nor logged in.
        _time.Advance(TimeSpan.FromMinutes(14));
        var right = token.Login(TokenSupport.Pin);
        Assert.Equal(TokenErrors.LockedOut, right.Code);
        Assert.Equal(TokenStatus.LockedOut, token.Status);
        Assert.Equal(3, token.Describe().FailedAttempts);
        Assert.Equal(3, changes);

        // The lockout is on disk: a restarted server is locked out too.
        using (var reopened = new SoftwareToken(TokenSupport.Options(KeysDirectory, ThreeTries), _time))
        {
            Assert.Equal(TokenStatus.LockedOut, reopened.Status);
            Assert.Equal(TokenErrors.LockedOut, reopened.Login(TokenSupport.Pin).Code);
            Assert.Equal(lockedUntil, reopened.Describe().LockedUntil);
        }

        // One second before the end it still holds; at the end it is over.
        _time.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(TokenStatus.LockedOut, token.Status);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(TokenStatus.LoggedOut, token.Status);
        Assert.Null(token.Describe().LockedUntil);
        Assert.Equal(0, token.Describe().FailedAttempts);

        Assert.True(token.Login(TokenSupport.Pin).Success);
        Assert.Equal(TokenStatus.LoggedIn, token.Status);
        using var afterwards = new SoftwareToken(TokenSupport.Options(KeysDirectory, ThreeTries), _time);
        Assert.Equal(0, afterwards.Describe().FailedAttempts);
        Assert.Null(afterwards.Describe().LockedUntil);
    }

    [Fact]
    public void Login_FailedAttemptsPersistAcrossReopen_AndTheLastOneLocks()
    {
        using (var token = TokenSupport.Initialised(KeysDirectory, _time, ThreeTries))
        {
            token.Logout();
            Assert.Equal(TokenErrors.WrongPin, token.Login("Wrong-Pin-0001").Code);
            Assert.Equal(TokenErrors.WrongPin, token.Login("Wrong-Pin-0002").Code);
        }

        using var reopened = new SoftwareToken(TokenSupport.Options(KeysDirectory, ThreeTries), _time);
        Assert.Equal(2, reopened.Describe().FailedAttempts);
        using (var json = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(KeysDirectory, SoftwareToken.TokenFileName))))
        {
            Assert.Equal(2, json.RootElement.GetProperty("failedAttempts").GetInt32());
        }

        Assert.Equal(TokenErrors.LockedOut, reopened.Login("Wrong-Pin-0003").Code);
        Assert.Equal(TokenStatus.LockedOut, reopened.Status);
    }

    [Fact]
    public void Login_RightPin_ResetsTheCounter()
    {
        using var token = TokenSupport.Initialised(KeysDirectory, _time, ThreeTries);
        token.Logout();
        Assert.Equal(TokenErrors.WrongPin, token.Login("Wrong-Pin-0001").Code);
        Assert.Equal(TokenErrors.WrongPin, token.Login("Wrong-Pin-0002").Code);

        Assert.True(token.Login(TokenSupport.Pin).Success);

        // Two more wrong PINs do not lock: the series started again.
        token.Logout();
        Assert.Equal(TokenErrors.WrongPin, token.Login("Wrong-Pin-0003").Code);
        Assert.Equal(TokenErrors.WrongPin, token.Login("Wrong-Pin-0004").Code);
        Assert.Equal(TokenStatus.LoggedOut, token.Status);
    }

    [Fact]
    public void Login_AfterLockoutEnds_WrongPinsCountFromOneAgain()
    {
        using var token = TokenSupport.Initialised(KeysDirectory, _time, ThreeTries);
        token.Logout();
        for (var i = 0; i < 3; i++)
        {
            token.Login("Wrong-Pin-000" + i);
        }

        Assert.Equal(TokenStatus.LockedOut, token.Status);
        _time.Advance(TimeSpan.FromMinutes(15));

        Assert.Equal(TokenErrors.WrongPin, token.Login("Wrong-Pin-0009").Code);
        Assert.Equal(1, token.Describe().FailedAttempts);
        Assert.Equal(TokenStatus.LoggedOut, token.Status);
    }

    [Fact]
    public void ChangePin_WrongOldPinCountsTowardsLockoutAndLogsOut()
    {
        using var token = TokenSupport.Initialised(KeysDirectory, _time, ThreeTries);

        Assert.Equal(TokenErrors.WrongPin, token.ChangePin("Wrong-Pin-0001", TokenSupport.OtherPin).Code);
        Assert.Equal(TokenStatus.LoggedIn, token.Status);
        Assert.Equal(TokenErrors.WrongPin, token.ChangePin("Wrong-Pin-0002", TokenSupport.OtherPin).Code);
        Assert.Equal(TokenErrors.LockedOut, token.ChangePin("Wrong-Pin-0003", TokenSupport.OtherPin).Code);

        // A lockout drops the keys even for a session that was logged in.
        Assert.Equal(TokenStatus.LockedOut, token.Status);
        Assert.Equal(TokenErrors.NotActive, token.GenerateKey(KeyPurpose.Authentication, "auth", null).Code);
    }

    [Fact]
    public void ChangePin_NewPinBreakingPolicy_IsRefusedWithoutCounting()
    {
        using var token = TokenSupport.Initialised(KeysDirectory, _time);
        var before = File.ReadAllBytes(Path.Combine(KeysDirectory, SoftwareToken.TokenFileName));

        Assert.Equal(TokenErrors.PinPolicy, token.ChangePin(TokenSupport.Pin, "weak").Code);

        Assert.Equal(0, token.Describe().FailedAttempts);
        Assert.Equal(before, File.ReadAllBytes(Path.Combine(KeysDirectory, SoftwareToken.TokenFileName)));
    }

    [Fact]
    public void ChangePin_KeepsTheKeys_OldPinStopsWorking()
    {
        string keyId;
        using (var token = TokenSupport.Initialised(KeysDirectory, _time))
        {
            keyId = TokenSupport.Generate(token, KeyPurpose.Signing).Id;
            var keyFile = File.ReadAllBytes(Path.Combine(KeysDirectory, keyId + SoftwareToken.KeyFileSuffix));

            Assert.True(token.ChangePin(TokenSupport.Pin, TokenSupport.OtherPin).Success);

            Assert.Equal(TokenStatus.LoggedIn, token.Status);

            // Only the wrapping of the data-encryption key changes; key files stay byte for byte.
            Assert.Equal(keyFile, File.ReadAllBytes(Path.Combine(KeysDirectory, keyId + SoftwareToken.KeyFileSuffix)));
        }

        using var reopened = new SoftwareToken(TokenSupport.Options(KeysDirectory), _time);
        Assert.Equal(TokenErrors.WrongPin, reopened.Login(TokenSupport.Pin).Code);
        Assert.True(reopened.Login(TokenSupport.OtherPin).Success);

        // The key decrypts: it makes a CSR whose signature verifies with the key's public key.
        var csr = reopened.CreateCsr(keyId, Signer.Enrolment.CertificateSubjects.Signing(TestIdentities.Owner));
        Assert.True(csr.Success, csr.Message);
        var request = System.Security.Cryptography.X509Certificates.CertificateRequest.LoadSigningRequest(
            csr.Value.Der.ToArray(), System.Security.Cryptography.HashAlgorithmName.SHA256);
        Assert.Equal(
            reopened.GetKey(keyId).Value!.PublicKeySha256,
            Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(request.PublicKey.ExportSubjectPublicKeyInfo())));
    }

    [Fact]
    public void Logout_DropsTheKeys_AndRaisesChanged()
    {
        using var token = TokenSupport.Initialised(KeysDirectory, _time);
        var key = TokenSupport.Generate(token, KeyPurpose.Authentication);
        var changes = 0;
        token.Changed += (_, _) => changes++;

        token.Logout();

        Assert.Equal(1, changes);
        Assert.Equal(TokenStatus.LoggedOut, token.Status);
        Assert.Equal(TokenErrors.NotActive, token.GenerateKey(KeyPurpose.Authentication, "auth", null).Code);
        Assert.Equal(TokenErrors.NotActive, token.CreateCsr(key.Id, Signer.Enrolment.CertificateSubjects.Authentication(TestIdentities.Server)).Code);
        Assert.Equal(TokenErrors.NotActive, token.StoreSecret("tls", [1, 2, 3]).Code);
        Assert.Equal(TokenErrors.NotActive, token.LoadSecret("tls").Code);

        // Metadata stays readable.
        Assert.Equal([key.Id], token.Describe().Keys.Select(k => k.Id));

        // Logging out twice changes nothing.
        token.Logout();
        Assert.Equal(1, changes);
    }

    [Fact]
    public void Initialise_DefaultCost_RecordsSixHundredThousandIterationsAndLogsInAgain()
    {
        var options = new SoftwareTokenOptions { Directory = KeysDirectory };
        using (var token = new SoftwareToken(options, _time))
        {
            Assert.True(token.Initialise(TokenSupport.Pin).Success);
        }

        using (var json = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(KeysDirectory, SoftwareToken.TokenFileName))))
        {
            var kdf = json.RootElement.GetProperty("kdf");
            Assert.Equal(600_000, kdf.GetProperty("iterations").GetInt32());
            Assert.Equal("pbkdf2-hmac-sha256", kdf.GetProperty("algorithm").GetString());
            Assert.Equal(16, kdf.GetProperty("salt").GetBytesFromBase64().Length);
        }

        // Opened with cheaper options, the token still derives with what it recorded.
        using var reopened = new SoftwareToken(TokenSupport.Options(KeysDirectory), _time);
        Assert.Equal(TokenErrors.WrongPin, reopened.Login(TokenSupport.OtherPin).Code);
        Assert.True(reopened.Login(TokenSupport.Pin).Success);
    }

    [Fact]
    public void Open_CorruptTokenFile_Throws()
    {
        Directory.CreateDirectory(KeysDirectory);
        File.WriteAllText(Path.Combine(KeysDirectory, SoftwareToken.TokenFileName), "{\"format\":\"xgw-token/1\"}");

        Assert.Throws<InvalidDataException>(() => new SoftwareToken(TokenSupport.Options(KeysDirectory), _time));
    }
}
