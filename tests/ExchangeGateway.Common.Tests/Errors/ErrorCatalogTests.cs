using System.Text;
using ExchangeGateway.Common.Errors;

namespace ExchangeGateway.Common.Tests.Errors;

public sealed class ErrorCatalogTests
{
    public static TheoryData<string> RequiredSuffixes => new()
    {
        // X-Road's vocabulary.
        "access_denied", "unknown_service", "service_disabled", "service_failed", "ssl_authentication_failed",
        "outdated_global_conf", "invalid_signature_value", "inconsistent_response", "network_error", "database_error",
        "missing_header_field", "duplicate_header_field", "invalid_client_identifier", "timestamper_failed",
        "maintenance_mode", "invalid_message", "invalid_xml", "mime_parsing_failed", "incorrect_validation_info",
        "unknown_member", "invalid_security_server", "http_error", "io_error", "hsm_non_operational",
        // The gateway's own.
        "invalid_identifier", "duplicate_message_id", "invalid_object_type", "request_too_large",
        "invalid_protocol_version", "signature_verification", "wrong_service_type", "internal_error", "token_not_active",
    };

    [Theory]
    [MemberData(nameof(RequiredSuffixes))]
    public void TryGet_RequiredSuffix_IsCatalogued(string suffix)
    {
        Assert.True(ErrorCatalog.TryGet(suffix, out var entry));
        Assert.Equal(suffix, entry.Suffix);
        Assert.False(string.IsNullOrWhiteSpace(entry.Description));
    }

    [Fact]
    public void Entries_AreUniqueSnakeCaseAndDescribed()
    {
        var suffixes = ErrorCatalog.Entries.Select(e => e.Suffix).ToList();

        Assert.Equal(suffixes.Count, suffixes.Distinct(StringComparer.Ordinal).Count());
        Assert.All(ErrorCatalog.Entries, e =>
        {
            Assert.Matches("^[a-z][a-z0-9]*(_[a-z0-9]+)*$", e.Suffix);
            Assert.False(string.IsNullOrWhiteSpace(e.Description));
            Assert.NotEqual(ErrorFamilies.None, e.Families);
            Assert.Equal(e.Suffix, e.ToString());
        });
    }

    [Fact]
    public void Entries_EveryAllowedFamily_BuildsCodeThatRoundTripsInBothSpellings()
    {
        foreach (var entry in ErrorCatalog.Entries)
        {
            foreach (var family in Enum.GetValues<ErrorFamily>())
            {
                if (!entry.AllowsFamily(family))
                {
                    Assert.Throws<ArgumentException>(() => ErrorCode.Create(family, entry));
                    continue;
                }

                var code = ErrorCode.Create(family, entry);
                Assert.True(ErrorCatalog.IsKnown(code));
                Assert.Equal(code, ErrorCode.Parse(code.Value));
                Assert.Equal(code, ErrorCode.Parse(ToXRoadCamelCase(code.Value)));
            }
        }
    }

    [Theory]
    [InlineData("server.serverproxy.op_monitor.internal_error")]
    [InlineData("client.access_denied")]
    [InlineData("server.serverproxy.service_failed.no_such_thing")]
    [InlineData("client.something_new")]
    public void IsKnown_ValidButUncataloguedCode_IsFalse(string text)
    {
        Assert.False(ErrorCatalog.IsKnown(ErrorCode.Parse(text)));
    }

    [Fact]
    public void IsKnown_QualifiedCatalogueCode_IsTrue()
    {
        Assert.True(ErrorCatalog.IsKnown(ErrorCode.Parse("Server.ServerProxy.ServiceFailed.HttpError")));
    }

    [Fact]
    public void TryGet_UnknownOrDifferentlyCasedSuffix_IsFalse()
    {
        Assert.False(ErrorCatalog.TryGet("AccessDenied", out _));
        Assert.False(ErrorCatalog.TryGet("ACCESS_DENIED", out _));
        Assert.False(ErrorCatalog.TryGet("no_such_code", out _));
    }

    // server.serverproxy.service_failed.http_error -> Server.ServerProxy.ServiceFailed.HttpError
    private static string ToXRoadCamelCase(string snake)
    {
        var sb = new StringBuilder();
        foreach (var segment in snake.Split('.'))
        {
            if (sb.Length > 0)
            {
                sb.Append('.');
            }

            switch (segment)
            {
                case "serverproxy": sb.Append("ServerProxy"); continue;
                case "clientproxy": sb.Append("ClientProxy"); continue;
            }

            foreach (var word in segment.Split('_'))
            {
                sb.Append(char.ToUpperInvariant(word[0])).Append(word.AsSpan(1));
            }
        }

        return sb.ToString();
    }
}
