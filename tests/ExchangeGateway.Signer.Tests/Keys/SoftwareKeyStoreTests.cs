using System.Security.Cryptography;
using ExchangeGateway.Common.Identifiers;
using ExchangeGateway.Signer.Keys;
using ExchangeGateway.Signer.Tests.Support;
using ExchangeGateway.Testing.Pki;
using ExchangeGateway.Testing.Tools;

namespace ExchangeGateway.Signer.Tests.Keys;

public sealed class SoftwareKeyStoreTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly TestPki _pki = TestPki.Create();

    public void Dispose()
    {
        _pki.Dispose();
        _dir.Dispose();
    }

    [Theory]
    [InlineData(KeyAlgorithm.EcdsaP256)]
    [InlineData(KeyAlgorithm.Rsa2048)]
    public void CreateKey_WritesOwnerOnlyPkcs8ThatLoadsBack(KeyAlgorithm algorithm)
    {
        var store = new SoftwareKeyStore(_dir.File("keys"));
        var slot = KeySlot.ForSigning(TestIdentities.Owner);

        using var created = store.CreateKey(slot, algorithm);
        using var loaded = store.LoadKey(slot);

        Assert.NotNull(loaded);
        Assert.Equal(created.ExportSubjectPublicKeyInfo(), loaded.ExportSubjectPublicKeyInfo());
        Assert.Equal(algorithm == KeyAlgorithm.EcdsaP256 ? typeof(ECDsa) : typeof(RSA), loaded is ECDsa ? typeof(ECDsa) : typeof(RSA));
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", File.ReadAllText(store.KeyPath(slot)), StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(store.KeyPath(slot)));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(store.Directory));
        }

        // Nothing but the key file is left behind (no temporary files).
        Assert.Equal([store.KeyPath(slot)], Directory.GetFiles(store.Directory));
    }

    [Fact]
    public void CreateKey_Rsa3072_HasThatSize()
    {
        var store = new SoftwareKeyStore(_dir.Path);
        using var key = store.CreateKey(KeySlot.Authentication, KeyAlgorithm.Rsa3072);

        Assert.Equal(3072, Assert.IsAssignableFrom<RSA>(key).KeySize);
    }

    [Fact]
    public void CreateKey_SlotAlreadyHasKey_ThrowsAndKeepsTheKey()
    {
        var store = new SoftwareKeyStore(_dir.Path);
        using var first = store.CreateKey(KeySlot.Authentication);
        var before = File.ReadAllBytes(store.KeyPath(KeySlot.Authentication));

        Assert.Throws<InvalidOperationException>(() => store.CreateKey(KeySlot.Authentication));
        Assert.Equal(before, File.ReadAllBytes(store.KeyPath(KeySlot.Authentication)));
    }

    [Fact]
    public void LoadKey_Missing_ReturnsNull()
    {
        Assert.Null(new SoftwareKeyStore(_dir.Path).LoadKey(KeySlot.Authentication));
    }

    [Fact]
    public void LoadKey_NotAKey_Throws()
    {
        var store = new SoftwareKeyStore(_dir.Path);
        File.WriteAllText(store.KeyPath(KeySlot.Authentication), "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");

        Assert.Throws<CryptographicException>(() => store.LoadKey(KeySlot.Authentication));
    }

    [Fact]
    public void StoreCertificate_ForAnotherKey_Throws()
    {
        var store = new SoftwareKeyStore(_dir.Path);
        using var key = store.CreateKey(KeySlot.Authentication);
        var foreign = _pki.IssueAuthentication("DEV", "GOV", "70000001", "ss1");

        Assert.Throws<InvalidOperationException>(() => store.StoreCertificate(KeySlot.Authentication, foreign, [_pki.IntermediateCertificate]));
        Assert.False(store.HasCertificate(KeySlot.Authentication));
    }

    [Fact]
    public void StoreCertificate_WithoutKey_Throws()
    {
        var store = new SoftwareKeyStore(_dir.Path);
        var certificate = _pki.IssueAuthentication("DEV", "GOV", "70000001", "ss1");

        Assert.Throws<InvalidOperationException>(() => store.StoreCertificate(KeySlot.Authentication, certificate, []));
    }

    [Fact]
    public void LoadSigningIdentity_AfterEnrolment_CarriesKeyAndChain()
    {
        var store = new SoftwareKeyStore(_dir.Path);
        TestIdentities.Enrol(_pki, store, KeySlot.ForSigning(TestIdentities.Owner));

        using var identity = store.LoadSigningIdentity(TestIdentities.Owner);

        Assert.NotNull(identity);
        Assert.True(identity.Certificate.HasPrivateKey);
        Assert.Equal(TestIdentities.Owner, identity.Member);
        Assert.Equal([_pki.IntermediateCertificate.Thumbprint, _pki.RootCertificate.Thumbprint], identity.Chain.Select(c => c.Thumbprint));
        var certificateText = File.ReadAllText(store.CertificatePath(KeySlot.ForSigning(TestIdentities.Owner)));
        Assert.Equal(3, certificateText.Split("-----BEGIN CERTIFICATE-----").Length - 1);
        Assert.Null(store.LoadSigningIdentity(TestIdentities.Other));
        Assert.Null(store.LoadAuthenticationIdentity());
    }

    [Fact]
    public void LoadSigningIdentity_CertificateOfAnotherKey_Throws()
    {
        var store = new SoftwareKeyStore(_dir.Path);
        TestIdentities.Enrol(_pki, store, KeySlot.ForSigning(TestIdentities.Owner));
        TestIdentities.Enrol(_pki, store, KeySlot.ForSigning(TestIdentities.Other));
        File.Copy(store.CertificatePath(KeySlot.ForSigning(TestIdentities.Other)), store.CertificatePath(KeySlot.ForSigning(TestIdentities.Owner)), overwrite: true);

        Assert.Throws<InvalidOperationException>(() => store.LoadSigningIdentity(TestIdentities.Owner));
    }

    [Fact]
    public void KeySlot_AwkwardMemberCodes_GetSafeDistinctFileNamesThatListBack()
    {
        var store = new SoftwareKeyStore(_dir.Path);
        MemberId[] members =
        [
            MemberId.Parse("DEV/GOV/..x"),
            MemberId.Parse("DEV/GOV/a,b=c+d"),
            MemberId.Parse("DEV/gov/x"),
            MemberId.Parse("DEV/GOV/x"),
            MemberId.Parse("DEV/GOV/(1)'?"),
        ];

        foreach (var member in members)
        {
            using var key = store.CreateKey(KeySlot.ForSigning(member));
            var path = store.KeyPath(KeySlot.ForSigning(member));
            Assert.Equal(store.Directory, Path.GetDirectoryName(path));
            Assert.DoesNotContain("..", Path.GetFileName(path), StringComparison.Ordinal);
        }

        Assert.Equal(members.Select(m => m.ToString()).Order(StringComparer.Ordinal), store.ListSigningMembers().Select(m => m.ToString()));
        Assert.Equal("sign_DEV_GOV_%2E%2Ex", KeySlot.ForSigning(members[0]).FileStem);
        Assert.Equal("auth", KeySlot.Authentication.FileStem);
    }
}
