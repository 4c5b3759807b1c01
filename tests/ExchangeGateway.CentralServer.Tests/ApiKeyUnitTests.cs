using ExchangeGateway.Common.Security;
using ExchangeGateway.CentralServer.Auth;
using Microsoft.AspNetCore.Http;

namespace ExchangeGateway.CentralServer.Tests;

public sealed class ApiKeyUnitTests
{
    [Fact]
    public void Generate_Key_IsIdDotBase64UrlOf32BytesAndParsesBackToItsHash()
    {
        var (id, key, hash) = ApiKeySecret.Generate();
        Assert.Matches("^[0-9a-f]{16}\\.[A-Za-z0-9_-]{43}$", key);
        Assert.True(ApiKeySecret.TryParse(key, out var parsedId, out var parsedHash));
        Assert.Equal(id, parsedId);
        Assert.Equal(hash, parsedHash);
        Assert.NotEqual(key, ApiKeySecret.Generate().Key);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("0123456789ABCDEF.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("0123456789abcdef:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("0123456789abcdef.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    [InlineData("0123456789abcdef.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA+A")]
    [InlineData("0123456789abcdef.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public void TryParse_Malformed_ReturnsFalse(string? key) =>
        Assert.False(ApiKeySecret.TryParse(key, out _, out _));

    [Theory]
    [InlineData("X-Api-Key abc", null, "abc")]
    [InlineData("x-api-key abc", null, "abc")]
    [InlineData(null, "abc", "abc")]
    [InlineData("X-Api-Key abc", "abc", "abc")]
    [InlineData("X-Api-Key abc", "def", null)]
    [InlineData("Bearer abc", null, null)]
    [InlineData("X-Api-Key ", null, null)]
    [InlineData(null, null, null)]
    public void ReadKey_HeaderForms_ReturnsKeyOrNull(string? authorization, string? header, string? expected)
    {
        var headers = new HeaderDictionary();
        if (authorization is not null)
        {
            headers["Authorization"] = authorization;
        }

        if (header is not null)
        {
            headers["X-Api-Key"] = header;
        }

        Assert.Equal(expected, ApiKeyAuthentication.ReadKey(headers));
    }

    [Fact]
    public void ReadKey_RepeatedHeader_ReturnsNull()
    {
        var headers = new HeaderDictionary { ["X-Api-Key"] = new(["a", "a"]) };
        Assert.Null(ApiKeyAuthentication.ReadKey(headers));
    }

    [Theory]
    [InlineData(Role.Observer, "ReadRegistry,ReadAudit")]
    [InlineData(Role.RegistrationOfficer, "ReadRegistry,ReadAudit,ManageRegistrations,ManageRequests")]
    [InlineData(Role.SecurityOfficer, "ReadRegistry,ReadAudit,ManageTrustServices,ManageSigningKeys")]
    [InlineData(Role.SystemAdministrator, "ReadRegistry,ReadAudit,ManageMemberClasses,ManageRegistrations,ManageRequests,ManageTrustServices,ManageSigningKeys,ManageApiKeys")]
    public void Grants_RoleMatrix_IsExactlyAsDocumented(Role role, string permissions)
    {
        var expected = permissions.Split(',').Select(Enum.Parse<Permission>).ToHashSet();
        foreach (var permission in Enum.GetValues<Permission>())
        {
            Assert.Equal(expected.Contains(permission), Roles.Grants([role], permission));
        }
    }

    [Fact]
    public void RoleNames_RoundTrip()
    {
        foreach (var role in Enum.GetValues<Role>())
        {
            Assert.True(Roles.TryParse(Roles.Name(role), out var parsed));
            Assert.Equal(role, parsed);
        }

        Assert.False(Roles.TryParse("Observer", out _));
    }
}
