using ExchangeGateway.Common.Errors;

namespace ExchangeGateway.Common.Tests.Errors;

public sealed class ErrorCodeTests
{
    [Theory]
    [InlineData("Server.ServerProxy.AccessDenied", "server.serverproxy.access_denied", ErrorFamily.ServerServerProxy)]
    [InlineData("Client.InvalidClientIdentifier", "client.invalid_client_identifier", ErrorFamily.Client)]
    [InlineData("Server.ClientProxy.SslAuthenticationFailed", "server.clientproxy.ssl_authentication_failed", ErrorFamily.ServerClientProxy)]
    [InlineData("Server.ServerProxy.ServiceFailed.HttpError", "server.serverproxy.service_failed.http_error", ErrorFamily.ServerServerProxy)]
    [InlineData("Server.ClientProxy.OutdatedGlobalConf", "server.clientproxy.outdated_global_conf", ErrorFamily.ServerClientProxy)]
    [InlineData("Server.ClientProxy.HSMNonOperational", "server.clientproxy.hsm_non_operational", ErrorFamily.ServerClientProxy)]
    [InlineData("Server.ServerProxy.IOError", "server.serverproxy.io_error", ErrorFamily.ServerServerProxy)]
    [InlineData("Server.ServerProxy.Http2Error", "server.serverproxy.http2_error", ErrorFamily.ServerServerProxy)]
    [InlineData("Server.ServerProxy.OpMonitor.InternalError", "server.serverproxy.op_monitor.internal_error", ErrorFamily.ServerServerProxy)]
    [InlineData("Server.DatabaseError", "server.database_error", ErrorFamily.Server)]
    [InlineData("Client.MimeParsingFailed", "client.mime_parsing_failed", ErrorFamily.Client)]
    [InlineData("Server.ClientProxy.CannotGetMemberIdFromCertificate", "server.clientproxy.cannot_get_member_id_from_certificate", ErrorFamily.ServerClientProxy)]
    [InlineData("client.invalid_identifier", "client.invalid_identifier", ErrorFamily.Client)]
    [InlineData("server.serverproxy.access_denied", "server.serverproxy.access_denied", ErrorFamily.ServerServerProxy)]
    [InlineData("server.clientproxy.outdated_global_conf", "server.clientproxy.outdated_global_conf", ErrorFamily.ServerClientProxy)]
    [InlineData("server.database_error", "server.database_error", ErrorFamily.Server)]
    [InlineData("server.clientproxy.MaintenanceMode", "server.clientproxy.maintenance_mode", ErrorFamily.ServerClientProxy)]
    [InlineData("Server.ServerProxy.service_failed.HttpError", "server.serverproxy.service_failed.http_error", ErrorFamily.ServerServerProxy)]
    [InlineData("client.x1", "client.x1", ErrorFamily.Client)]
    public void TryParse_SnakeOrCamelCase_NormalisesToSnakeCase(string text, string expected, ErrorFamily family)
    {
        var result = ErrorCode.TryParse(text);

        Assert.True(result.Success, result.Message);
        Assert.Equal(expected, result.Value.Value);
        Assert.Equal(expected, result.Value.ToString());
        Assert.Equal(family, result.Value.Family);
        Assert.Equal(result.Value, ErrorCode.Parse(expected));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("client")]
    [InlineData("Client")]
    [InlineData("server")]
    [InlineData("Server.ServerProxy")]
    [InlineData("server.clientproxy")]
    [InlineData("client.")]
    [InlineData(".client.x")]
    [InlineData("client..x")]
    [InlineData("client.x.")]
    [InlineData("CLIENT.X")]
    [InlineData("SERVER.SERVERPROXY.ACCESS_DENIED")]
    [InlineData("Signer.KeyNotFound")]
    [InlineData("signer.key_not_found")]
    [InlineData("clientproxy.access_denied")]
    [InlineData("client.Access_Denied")]
    [InlineData("client.access__denied")]
    [InlineData("client.access_denied_")]
    [InlineData("client._access")]
    [InlineData("client.1access")]
    [InlineData("client.accessDenied")]
    [InlineData("client.access-denied")]
    [InlineData(" client.access_denied")]
    [InlineData("client.access_denied ")]
    [InlineData("client.access_denied\r\nX-Evil: 1")]
    [InlineData("client.\u00e4")]
    [InlineData("client.\uff21ccess")]
    [InlineData("Client/InvalidClientIdentifier")]
    public void TryParse_Malformed_FailsWithoutEchoingInput(string? text)
    {
        var result = ErrorCode.TryParse(text);

        Assert.False(result.Success);
        Assert.Equal("server.invalid_response", result.ErrorCode);
        Assert.DoesNotContain(result.Message!, char.IsControl);
        if (!string.IsNullOrEmpty(text))
        {
            Assert.DoesNotContain(text, result.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void TryParse_LongerThanMaxLength_Fails()
    {
        var text = "client." + new string('a', ErrorCode.MaxLength);

        Assert.False(ErrorCode.TryParse(text).Success);
    }

    [Fact]
    public void TryParse_FailureCode_IsTheCatalogueCode()
    {
        Assert.Equal(ErrorCode.Server(ErrorCatalog.InvalidResponse).Value, ErrorCode.TryParse("nope").ErrorCode);
    }

    [Fact]
    public void Builders_CatalogueEntries_ProduceSnakeCaseCodes()
    {
        Assert.Equal("client.invalid_identifier", ErrorCode.Client(ErrorCatalog.InvalidIdentifier).Value);
        Assert.Equal("server.clientproxy.outdated_global_conf", ErrorCode.ClientProxy(ErrorCatalog.OutdatedGlobalConf).Value);
        Assert.Equal("server.serverproxy.access_denied", ErrorCode.ServerProxy(ErrorCatalog.AccessDenied).Value);
        Assert.Equal("server.database_error", ErrorCode.Server(ErrorCatalog.DatabaseError).Value);
        Assert.Equal("server.serverproxy.service_failed.http_error", ErrorCode.ServerProxy(ErrorCatalog.ServiceFailed).WithQualifier(ErrorCatalog.HttpError).Value);
    }

    [Fact]
    public void Builders_ExposeFamilyAndSuffix()
    {
        var code = ErrorCode.ServerProxy(ErrorCatalog.ServiceFailed).WithQualifier(ErrorCatalog.HttpError);

        Assert.Equal(ErrorFamily.ServerServerProxy, code.Family);
        Assert.Equal("service_failed.http_error", code.Suffix);
    }

    [Fact]
    public void Create_EntryNotAllowedInFamily_Throws()
    {
        Assert.Throws<ArgumentException>(() => ErrorCode.Client(ErrorCatalog.AccessDenied));
        Assert.Throws<ArgumentException>(() => ErrorCode.Server(ErrorCatalog.InvalidIdentifier));
        Assert.Throws<ArgumentException>(() => ErrorCode.ClientProxy(ErrorCatalog.ClientProxyVersionNotSupported));
    }

    [Fact]
    public void Equality_ParsedCamelCaseAndBuiltCode_AreEqual()
    {
        var parsed = ErrorCode.Parse("Server.ServerProxy.AccessDenied");
        var built = ErrorCode.ServerProxy(ErrorCatalog.AccessDenied);

        Assert.Equal(built, parsed);
        Assert.Equal(built.GetHashCode(), parsed.GetHashCode());
    }

    [Fact]
    public void Parse_Malformed_ThrowsFormatException()
    {
        Assert.Throws<FormatException>(() => ErrorCode.Parse("nope"));
    }
}
