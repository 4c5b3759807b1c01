using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using ExchangeGateway.Signer.Enrolment;
using ExchangeGateway.Signer.Keys;
using ExchangeGateway.Signer.Tests.Support;
using ExchangeGateway.Signer.Tokens;
using ExchangeGateway.Testing.Pki;
using ExchangeGateway.Testing.Time;
using ExchangeGateway.Testing.Tools;

namespace ExchangeGateway.Signer.Tests.Tokens;

public sealed class SoftwareTokenKeyTests : IDisposable
{
    private readonly ManualTimeProvider _time = new();
    private readonly TempDirectory _dir = new();
    private readonly TestPki _pki;

    public SoftwareTokenKeyTests()
    {
        _pki = TestPki.Create(_time);
    }

    private string KeysDirectory => _dir.File("keys");

    public void Dispose()
    {
        _pki.Dispose();
        _dir.Dispose();
    }

    [Theory]
    [InlineData(KeyAlgorithm.EcdsaP256, "ECDsa", 256)]
    [InlineData(KeyAlgorithm.Rsa2048, "RSA", 2048)]
    [InlineData(KeyAlgorithm.Rsa3072, "RSA", 3072)]
    public void GenerateKey_EachAlgorithm_WritesAnOwnerOnlyEncryptedFileAndSigns(KeyAlgorithm algorithm, string family, int bits)
    {
        using var token = TokenSupport.Initialised(KeysDirectory, _time);

        var result = token.GenerateKey(KeyPurpose.Signing, "owner signing", TestIdentities.Owner, algorithm);

        Assert.True(result.Success, result.Message);
        var key = result.Value;
        Assert.Matches("^[0-9a-f]{32}$", key.Id);
        Assert.Equal("owner signing", key.FriendlyName);
        Assert.Equal(KeyPurpose.Signing, key.Usage);
        Assert.Equal(algorithm, key.Algorithm);
        Assert.Equal(TestIdentities.Owner, key.Member);
        Assert.Equal(_time.GetUtcNow(), key.CreatedAt);
        var path = Path.Combine(KeysDirectory, key.Id + SoftwareToken.KeyFileSuffix);
        Assert.Equal("XGWK1"u8.ToArray(), File.ReadAllBytes(path)[..5]);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }

        var certificate = TokenSupport.Certify(_pki, token, key);
        var identity = Assert.Single(token.GetSigningIdentities());
        using (identity)
        {
            Assert.Equal(family, identity.PrivateKey is ECDsa ? "ECDsa" : "RSA");
            Assert.Equal(bits, identity.PrivateKey.KeySize);
            Assert.Equal(certificate.Id, identity.CertificateSha256);
            Assert.Equal(key.PublicKeySha256, Convert.ToHexStringLower(SHA256.HashData(identity.PrivateKey.ExportSubjectPublicKeyInfo())));
        }
    }

    [Fact]
    public void KeyDirectory_HoldsNoPlaintextKeyPinOrSecret()
    {
        const string Secret = "internal-tls-secret-0123456789";
        using var token = TokenSupport.Initialised(KeysDirectory, _time);
        var auth = TokenSupport.Generate(token, KeyPurpose.Authentication);
        var ec = TokenSupport.Generate(token, KeyPurpose.Signing);
        var rsa = token.GenerateKey(KeyPurpose.Signing, "other rsa", TestIdentities.Other, KeyAlgorithm.Rsa2048).Value!;
        TokenSupport.Certify(_pki, token, auth);
        TokenSupport.Certify(_pki, token, ec);
        using (var otherCertificate = TokenSupport.Issue(_pki, token, rsa))
        {
            Assert.True(token.ImportCertificate(otherCertificate.RawData).Success);
        }

        Assert.True(token.StoreSecret("internal-tls", Encoding.ASCII.GetBytes(Secret)).Success);

        // What must not be found: the PEM label, each key's PKCS#8 DER and its base64 and hex, and the
        // private numbers themselves; the PIN, in case it were stored; the secret.
        var forbidden = new List<(string What, byte[] Bytes)>
        {
            ("PEM label", Encoding.ASCII.GetBytes("PRIVATE KEY")),
            ("PIN", Encoding.UTF8.GetBytes(TokenSupport.Pin)),
            ("secret", Encoding.ASCII.GetBytes(Secret)),
        };
        var publicKeys = new List<byte[]>();
        void Forbid(AsymmetricAlgorithm key)
        {
            publicKeys.Add(key.ExportSubjectPublicKeyInfo());
            var pkcs8 = key.ExportPkcs8PrivateKey();
            forbidden.Add(("PKCS#8 DER", pkcs8));
            forbidden.Add(("PKCS#8 base64", Encoding.ASCII.GetBytes(Convert.ToBase64String(pkcs8)[..64])));
            forbidden.Add(("PKCS#8 hex", Encoding.ASCII.GetBytes(Convert.ToHexStringLower(pkcs8)[..64])));
            if (key is ECDsa ecdsa)
            {
                var d = ecdsa.ExportParameters(includePrivateParameters: true).D!;
                forbidden.Add(("EC private scalar", d));
                forbidden.Add(("EC private scalar hex", Encoding.ASCII.GetBytes(Convert.ToHexStringLower(d))));
                forbidden.Add(("EC private scalar base64", Encoding.ASCII.GetBytes(Convert.ToBase64String(d))));
            }
            else
            {
                var p = ((RSA)key).ExportParameters(includePrivateParameters: true);
                foreach (var (name, value) in new[] { ("d", p.D!), ("p", p.P!), ("q", p.Q!), ("dp", p.DP!), ("dq", p.DQ!), ("qinv", p.InverseQ!) })
                {
                    forbidden.Add(("RSA " + name, value));
                }
            }
        }

        using (var identity = token.GetAuthenticationIdentity())
        using (var authKey = identity!.Certificate.GetECDsaPrivateKey()!)
        {
            Forbid(authKey);
        }

        var identities = token.GetSigningIdentities();
        Assert.Equal(2, identities.Count);
        Assert.Contains(identities, i => i.PrivateKey is RSA);
        foreach (var i in identities)
        {
            Forbid(i.PrivateKey);
            i.Dispose();
        }

        Assert.Equal(3, publicKeys.Count);
        var files = Directory.GetFiles(_dir.Path, "*", SearchOption.AllDirectories);
        Assert.Contains(files, f => f.EndsWith(SoftwareToken.KeyFileSuffix, StringComparison.Ordinal));
        Assert.Contains(files, f => f.EndsWith("secret-internal-tls.bin", StringComparison.Ordinal));
        foreach (var file in files)
        {
            var bytes = File.ReadAllBytes(file);
            foreach (var (what, pattern) in forbidden)
            {
                Assert.True(bytes.AsSpan().IndexOf(pattern) < 0, $"{file} contains the {what}");
            }
        }

        // The search itself finds what is there: each key's public key is in token.json.
        var tokenJson = File.ReadAllText(Path.Combine(KeysDirectory, SoftwareToken.TokenFileName));
        Assert.All(publicKeys, k => Assert.Contains(Convert.ToBase64String(k), tokenJson, StringComparison.Ordinal));
    }

    [Fact]
    public void TokenFiles_DecryptByHandFromTheDocumentedFormat()
    {
        using var token = TokenSupport.Initialised(KeysDirectory, _time);
        var key = token.GenerateKey(KeyPurpose.Signing, "owner", TestIdentities.Owner, KeyAlgorithm.Rsa2048).Value!;
        var certificate = TokenSupport.Certify(_pki, token, key);
        Assert.True(token.StoreSecret("tls", "s3cret"u8).Success);

        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(Path.Combine(KeysDirectory, SoftwareToken.TokenFileName)));
        var root = json.RootElement;
        Assert.Equal("xgw-token/1", root.GetProperty("format").GetString());
        var kdf = root.GetProperty("kdf");
        Assert.Equal("pbkdf2-hmac-sha256", kdf.GetProperty("algorithm").GetString());
        var kek = Rfc2898DeriveBytes.Pbkdf2(
            Encoding.UTF8.GetBytes(TokenSupport.Pin), kdf.GetProperty("salt").GetBytesFromBase64(), kdf.GetProperty("iterations").GetInt32(), HashAlgorithmName.SHA256, 32);
        var wrapped = root.GetProperty("dek");
        var dek = new byte[32];
        using (var aes = new AesGcm(kek, 16))
        {
            aes.Decrypt(wrapped.GetProperty("nonce").GetBytesFromBase64(), wrapped.GetProperty("ciphertext").GetBytesFromBase64(), wrapped.GetProperty("tag").GetBytesFromBase64(), dek, "xgw-dek"u8);
        }

        static byte[] OpenFile(byte[] dek, string path, string aad)
        {
            var file = File.ReadAllBytes(path);
            Assert.Equal("XGWK1"u8.ToArray(), file[..5]);
            var plaintext = new byte[file.Length - 33];
            using var aes = new AesGcm(dek, 16);
            aes.Decrypt(file.AsSpan(5, 12), file.AsSpan(33), file.AsSpan(17, 16), plaintext, Encoding.ASCII.GetBytes(aad));
            return plaintext;
        }

        using var rsa = RSA.Create();
        rsa.ImportPkcs8PrivateKey(OpenFile(dek, Path.Combine(KeysDirectory, key.Id + ".key"), "xgw-key:" + key.Id), out _);
        Assert.Equal(2048, rsa.KeySize);
        Assert.Equal(key.PublicKeySha256, Convert.ToHexStringLower(SHA256.HashData(rsa.ExportSubjectPublicKeyInfo())));
        Assert.Equal("s3cret"u8.ToArray(), OpenFile(dek, Path.Combine(KeysDirectory, "secret-tls.bin"), "xgw-secret:tls"));

        var entry = root.GetProperty("keys")[0];
        Assert.Equal(key.Id, entry.GetProperty("id").GetString());
        Assert.Equal("signing", entry.GetProperty("usage").GetString());
        Assert.Equal("rsa2048", entry.GetProperty("algorithm").GetString());
        Assert.Equal("DEV/GOV/70000001", entry.GetProperty("member").GetString());
        Assert.Equal(rsa.ExportSubjectPublicKeyInfo(), entry.GetProperty("publicKey").GetBytesFromBase64());
        var stored = entry.GetProperty("certificates")[0];
        Assert.Equal(certificate.Der.ToArray(), stored.GetProperty("der").GetBytesFromBase64());
        Assert.Equal("registered", stored.GetProperty("state").GetString());
        Assert.True(stored.GetProperty("active").GetBoolean());
        Assert.Equal(2, stored.GetProperty("chain").GetArrayLength());
        Assert.Equal(1, entry.GetProperty("csrs").GetArrayLength());
        Assert.Equal(0, root.GetProperty("failedAttempts").GetInt32());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, root.GetProperty("lockedUntil").ValueKind);

        // The wrong PIN's key does not unwrap the DEK.
        var wrongKek = Rfc2898DeriveBytes.Pbkdf2(
            Encoding.UTF8.GetBytes(TokenSupport.OtherPin), kdf.GetProperty("salt").GetBytesFromBase64(), kdf.GetProperty("iterations").GetInt32(), HashAlgorithmName.SHA256, 32);
        using (var aes = new AesGcm(wrongKek, 16))
        {
            Assert.ThrowsAny<CryptographicException>(() => aes.Decrypt(wrapped.GetProperty("nonce").GetBytesFromBase64(), wrapped.GetProperty("ciphertext").GetBytesFromBase64(), wrapped.GetProperty("tag").GetBytesFromBase64(), new byte[32], "xgw-dek"u8));
        }
    }

    [Fact]
    public void ReopenAndLogin_SameKeySigns_SignatureVerifies()
    {
        string certificateId;
        byte[] publicKey;
        using (var token = TokenSupport.Initialised(KeysDirectory, _time))
        {
            var key = TokenSupport.Generate(token, KeyPurpose.Signing);
            certificateId = TokenSupport.Certify(_pki, token, key).Id;
            using var identity = Assert.Single(token.GetSigningIdentities());
            publicKey = identity.PrivateKey.ExportSubjectPublicKeyInfo();
        }

        using var reopened = new SoftwareToken(TokenSupport.Options(KeysDirectory), _time);
        Assert.Empty(reopened.GetSigningIdentities());
        Assert.Equal(TokenErrors.NotActive, reopened.SignCms(certificateId, "x"u8, _time.GetUtcNow()).Code);
        Assert.True(reopened.Login(TokenSupport.Pin).Success);

        var content = "management request body"u8.ToArray();
        var cms = reopened.SignCms(certificateId, content, _time.GetUtcNow());

        Assert.True(cms.Success, cms.Message);
        var signed = new SignedCms(new ContentInfo(content), detached: true);
        signed.Decode(cms.Value);
        signed.CheckSignature(verifySignatureOnly: true);
        var signer = Assert.Single(signed.SignerInfos.Cast<SignerInfo>()).Certificate!;
        Assert.Equal(certificateId, Convert.ToHexStringLower(SHA256.HashData(signer.RawData)));
        Assert.Equal(publicKey, signer.PublicKey.ExportSubjectPublicKeyInfo());
        Assert.Contains(signed.Certificates.Cast<X509Certificate2>(), c => c.Thumbprint == _pki.IntermediateCertificate.Thumbprint);
        var verified = new Common.Crypto.Cms.CmsSignatureVerifier(_pki.CreateValidator()).Verify(cms.Value, content, _time.GetUtcNow(), Common.Crypto.X509.CertificatePurpose.Signing, requireSigningCertificateAttribute: true);
        Assert.True(verified.IsValid, verified.Message);

        // Other content does not verify with that signature.
        var tampered = new SignedCms(new ContentInfo("other body"u8.ToArray()), detached: true);
        tampered.Decode(cms.Value);
        Assert.ThrowsAny<CryptographicException>(() => tampered.CheckSignature(verifySignatureOnly: true));

        using var identity2 = Assert.Single(reopened.GetSigningIdentities());
        Assert.Equal(publicKey, identity2.PrivateKey.ExportSubjectPublicKeyInfo());
    }

    [Fact]
    public void KeyFile_Altered_OrCopiedOverAnotherKey_DoesNotDecrypt()
    {
        using var token = TokenSupport.Initialised(KeysDirectory, _time);
        var first = TokenSupport.Generate(token, KeyPurpose.Signing);
        var second = token.GenerateKey(KeyPurpose.Signing, "other", TestIdentities.Other).Value!;
        var subject = CertificateSubjects.Signing(TestIdentities.Owner);
        var firstPath = Path.Combine(KeysDirectory, first.Id + SoftwareToken.KeyFileSuffix);
        var secondPath = Path.Combine(KeysDirectory, second.Id + SoftwareToken.KeyFileSuffix);
        var original = File.ReadAllBytes(firstPath);

        var flipped = original.ToArray();
        flipped[^1] ^= 1;
        File.WriteAllBytes(firstPath, flipped);
        Assert.Throws<CryptographicException>(() => token.CreateCsr(first.Id, subject));

        // The file name is bound into the encryption: the second key's file under the first key's name fails.
        File.Copy(secondPath, firstPath, overwrite: true);
        Assert.Throws<CryptographicException>(() => token.CreateCsr(first.Id, subject));

        File.WriteAllBytes(firstPath, original);
        Assert.True(token.CreateCsr(first.Id, subject).Success);
    }

    [Theory]
    [InlineData(KeyPurpose.Signing, "sign", false)]
    [InlineData(KeyPurpose.Authentication, "auth", true)]
    [InlineData(KeyPurpose.Signing, "", true)]
    [InlineData(KeyPurpose.Signing, "   ", true)]
    [InlineData(KeyPurpose.Signing, "tab\there", true)]
    [InlineData((KeyPurpose)7, "sign", true)]
    public void GenerateKey_InvalidRequest_ChangesNothing(KeyPurpose usage, string name, bool withMember)
    {
        using var token = TokenSupport.Initialised(KeysDirectory, _time);
        var before = TokenSupport.Snapshot(KeysDirectory);

        var result = token.GenerateKey(usage, name, withMember ? TestIdentities.Owner : null);

        Assert.Equal(TokenErrors.InvalidRequest, result.Code);
        TokenSupport.AssertSameFiles(before, KeysDirectory);
        Assert.Empty(token.Describe().Keys);
    }

    [Fact]
    public void GenerateKey_NameTooLongOrUnknownAlgorithm_IsInvalidRequest()
    {
        using var token = TokenSupport.Initialised(KeysDirectory, _time);

        Assert.Equal(TokenErrors.InvalidRequest, token.GenerateKey(KeyPurpose.Authentication, new string('n', 256), null).Code);
        Assert.Equal(TokenErrors.InvalidRequest, token.GenerateKey(KeyPurpose.Authentication, "auth", null, (KeyAlgorithm)9).Code);
        Assert.True(token.GenerateKey(KeyPurpose.Authentication, new string('n', 255), null).Success);
    }

    [Fact]
    public async Task ConcurrentChanges_AllLandInTokenJson()
    {
        using var token = TokenSupport.Initialised(KeysDirectory, _time);

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => token.GenerateKey(KeyPurpose.Authentication, "key " + i, null))));

        Assert.All(results, r => Assert.True(r.Success, r.Message));
        using var reopened = new SoftwareToken(TokenSupport.Options(KeysDirectory), _time);
        Assert.Equal(results.Select(r => r.Value!.Id).Order(StringComparer.Ordinal), reopened.Describe().Keys.Select(k => k.Id).Order(StringComparer.Ordinal));
        Assert.Equal(8, Directory.GetFiles(KeysDirectory, "*" + SoftwareToken.KeyFileSuffix).Length);
        Assert.Empty(Directory.GetFiles(KeysDirectory, "*.tmp"));
    }

    [Fact]
    public void RenameKey_PersistsAndUnknownKeyIsNotFound()
    {
        string id;
        using (var token = TokenSupport.Initialised(KeysDirectory, _time))
        {
            id = TokenSupport.Generate(token, KeyPurpose.Authentication).Id;
            token.Logout();
            var changes = 0;
            token.Changed += (_, _) => changes++;

            Assert.Equal("renamed", token.RenameKey(id, "renamed").Value!.FriendlyName);
            Assert.Equal(1, changes);
            Assert.Equal(TokenErrors.KeyNotFound, token.RenameKey(new string('0', 32), "x").Code);
            Assert.Equal(TokenErrors.InvalidRequest, token.RenameKey(id, "").Code);
        }

        using var reopened = new SoftwareToken(TokenSupport.Options(KeysDirectory), _time);
        Assert.Equal("renamed", reopened.GetKey(id).Value!.FriendlyName);
    }

    [Fact]
    public void DeleteKey_RemovesFileCertificatesAndCsrs_NeedsLoginAndRefusesWhileRegistered()
    {
        using var token = TokenSupport.Initialised(KeysDirectory, _time);
        var key = TokenSupport.Generate(token, KeyPurpose.Authentication);
        var certificate = TokenSupport.Certify(_pki, token, key);
        Assert.True(token.SetState(certificate.Id, CertificateState.RegistrationInProgress).Success);
        Assert.True(token.CreateCsr(key.Id, CertificateSubjects.Authentication(TestIdentities.Server)).Success);
        var path = Path.Combine(KeysDirectory, key.Id + SoftwareToken.KeyFileSuffix);

        var before = TokenSupport.Snapshot(KeysDirectory);
        Assert.Equal(TokenErrors.InUse, token.DeleteKey(key.Id).Code);
        TokenSupport.AssertSameFiles(before, KeysDirectory);

        Assert.True(token.SetState(certificate.Id, CertificateState.Saved).Success);
        token.Logout();
        Assert.Equal(TokenErrors.NotActive, token.DeleteKey(key.Id).Code);
        Assert.True(File.Exists(path));

        Assert.True(token.Login(TokenSupport.Pin).Success);
        Assert.True(token.DeleteKey(key.Id).Success);

        Assert.False(File.Exists(path));
        Assert.Empty(token.Describe().Keys);
        Assert.Equal(TokenErrors.CertificateNotFound, token.GetCertificate(certificate.Id).Code);
        Assert.Equal(TokenErrors.KeyNotFound, token.DeleteKey(key.Id).Code);
    }

    [Fact]
    public void CreateCsr_IsAVerifiedPkcs10ForTheKey_PersistedAndDeletable()
    {
        string csrId;
        byte[] der;
        var subject = CertificateSubjects.Signing(TestIdentities.Owner);
        using (var token = TokenSupport.Initialised(KeysDirectory, _time))
        {
            var key = TokenSupport.Generate(token, KeyPurpose.Signing, KeyAlgorithm.Rsa2048);

            var csr = token.CreateCsr(key.Id, subject);

            Assert.True(csr.Success, csr.Message);
            Assert.Matches("^[0-9a-f]{32}$", csr.Value.Id);
            Assert.Equal(key.Id, csr.Value.KeyId);
            Assert.Equal(TestIdentities.Owner, csr.Value.Member);
            Assert.Equal(subject.Name, csr.Value.Subject);
            csrId = csr.Value.Id;
            der = csr.Value.Der.ToArray();

            // LoadSigningRequest checks the request's own signature (proof of possession).
            var request = CertificateRequest.LoadSigningRequest(der, HashAlgorithmName.SHA256, CertificateRequestLoadOptions.Default, RSASignaturePadding.Pkcs1);
            Assert.Equal(subject.RawData, request.SubjectName.RawData);
            Assert.Equal(key.PublicKeySha256, Convert.ToHexStringLower(SHA256.HashData(request.PublicKey.ExportSubjectPublicKeyInfo())));
            Assert.Equal(TokenErrors.KeyNotFound, token.CreateCsr(new string('a', 32), subject).Code);
            Assert.Equal(TokenErrors.InvalidRequest, token.CreateCsr(key.Id, new X500DistinguishedName("")).Code);
        }

        using var reopened = new SoftwareToken(TokenSupport.Options(KeysDirectory), _time);
        Assert.Equal(der, reopened.GetCsr(csrId).Value!.Der.ToArray());
        Assert.True(reopened.DeleteCsr(csrId).Success);
        Assert.Equal(TokenErrors.CsrNotFound, reopened.GetCsr(csrId).Code);
        Assert.Equal(TokenErrors.CsrNotFound, reopened.DeleteCsr(csrId).Code);
    }

    [Fact]
    public void Secrets_RoundTripAcrossReopen_AndRefuseBadNames()
    {
        byte[] secret = [0, 1, 2, 250, 251, 252];
        using (var token = TokenSupport.Initialised(KeysDirectory, _time))
        {
            Assert.True(token.StoreSecret("internal-tls", secret).Success);
            Assert.Equal(TokenErrors.KeyNotFound, token.LoadSecret("other").Code);
            Assert.Equal(TokenErrors.InvalidRequest, token.StoreSecret("../escape", secret).Code);
            Assert.Equal(TokenErrors.InvalidRequest, token.StoreSecret("Upper", secret).Code);
            Assert.Equal(TokenErrors.InvalidRequest, token.StoreSecret(".hidden", secret).Code);
            Assert.Equal(TokenErrors.InvalidRequest, token.StoreSecret("big", new byte[64 * 1024 + 1]).Code);
            Assert.Equal(["secret-internal-tls.bin", SoftwareToken.TokenFileName], Directory.GetFiles(KeysDirectory).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        }

        using var reopened = new SoftwareToken(TokenSupport.Options(KeysDirectory), _time);
        Assert.Equal(TokenErrors.NotActive, reopened.LoadSecret("internal-tls").Code);
        Assert.True(reopened.Login(TokenSupport.Pin).Success);
        Assert.Equal(secret, reopened.LoadSecret("internal-tls").Value);

        // Replacing works.
        Assert.True(reopened.StoreSecret("internal-tls", [9]).Success);
        Assert.Equal([9], reopened.LoadSecret("internal-tls").Value!);
    }

    [Fact]
    public void Reload_ReadsChangesMadeOnDisk_AndLogsOut()
    {
        using var token = TokenSupport.Initialised(KeysDirectory, _time);
        using (var other = new SoftwareToken(TokenSupport.Options(KeysDirectory), _time))
        {
            Assert.True(other.Login(TokenSupport.Pin).Success);
            TokenSupport.Generate(other, KeyPurpose.Authentication);
        }

        Assert.Empty(token.Describe().Keys);
        var changes = 0;
        token.Changed += (_, _) => changes++;

        token.Reload();

        Assert.Equal(1, changes);
        Assert.Single(token.Describe().Keys);
        Assert.Equal(TokenStatus.LoggedOut, token.Status);
    }

    [Fact]
    public void Open_TokenFileWithAKeyIdThatIsNotAFileName_Throws()
    {
        using (var token = TokenSupport.Initialised(KeysDirectory, _time))
        {
            TokenSupport.Generate(token, KeyPurpose.Authentication);
        }

        var path = Path.Combine(KeysDirectory, SoftwareToken.TokenFileName);
        var json = File.ReadAllText(path);
        var id = System.Text.Json.JsonDocument.Parse(json).RootElement.GetProperty("keys")[0].GetProperty("id").GetString()!;
        File.WriteAllText(path, json.Replace(id, "../../etc/passwd", StringComparison.Ordinal));

        Assert.Throws<InvalidDataException>(() => new SoftwareToken(TokenSupport.Options(KeysDirectory), _time));
    }
}
