using System.Text;
using ExchangeGateway.Common.Identifiers;
using ExchangeGateway.SecurityServer.Registry;

namespace ExchangeGateway.SecurityServer.Tests.Registry;

/// <summary>A client's <c>status</c> in <c>serverconf.json</c>: written always, right after the id; absent reads as saved.</summary>
public sealed class ClientStatusSerializationTests
{
    private const string Malformed = "server.malformed_server_conf";

    public static TheoryData<ClientStatus, string> Statuses() => new()
    {
        { ClientStatus.Saved, "saved" },
        { ClientStatus.RegistrationInProgress, "registration-in-progress" },
        { ClientStatus.Registered, "registered" },
        { ClientStatus.DeletionInProgress, "deletion-in-progress" },
        { ClientStatus.GlobalError, "global-error" },
        { ClientStatus.DisablingInProgress, "disabling-in-progress" },
        { ClientStatus.Disabled, "disabled" },
        { ClientStatus.EnablingInProgress, "enabling-in-progress" },
    };

    [Theory]
    [MemberData(nameof(Statuses))]
    public void Write_EachStatus_WrittenAfterTheIdAndReadBack(ClientStatus status, string text)
    {
        var local = LocalConfiguration.Create(RegistrySamples.ServerId, [new LocalClient { Id = RegistrySamples.Provider, Status = status }]);

        var bytes = LocalConfigurationSerializer.Write(local);
        var read = LocalConfigurationSerializer.Read(bytes);

        Assert.Contains($"\"id\": \"{RegistrySamples.Provider}\",\n      \"status\": \"{text}\",\n      \"connectionType\"", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
        Assert.True(read.Success, read.Message);
        Assert.Equal(status, read.Value.Clients[0].Status);
        Assert.Equal(bytes, LocalConfigurationSerializer.Write(read.Value));
        Assert.Equal(text, LocalConfigurationSerializer.ClientStatusText(status));
    }

    [Fact]
    public void Read_StatusAbsent_IsSavedAndWrittenFromThenOn()
    {
        const string json = """{"serverId":"DEV/GOV/70000001/ss1","clients":[{"id":"DEV/GOV/70000001/hospital"}]}""";

        var read = LocalConfigurationSerializer.Read(RegistrySamples.Utf8(json));

        Assert.True(read.Success, read.Message);
        Assert.Equal(ClientStatus.Saved, read.Value.Clients[0].Status);
        Assert.Contains("\"status\": \"saved\"", Encoding.UTF8.GetString(LocalConfigurationSerializer.Write(read.Value)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"Registered\"", "$.clients[0].status must be one of saved, registration-in-progress, registered, deletion-in-progress, global-error, disabling-in-progress, disabled, enabling-in-progress")]
    [InlineData("\"\"", "$.clients[0].status must be one of saved,")]
    [InlineData("2", "$.clients[0].status")]
    [InlineData("null", "$.clients[0].status")]
    public void Read_BadStatus_RefusedNamingIt(string value, string expected)
    {
        var json = $$"""{"serverId":"DEV/GOV/70000001/ss1","clients":[{"id":"DEV/GOV/70000001/hospital","status":{{value}}}]}""";

        var read = LocalConfigurationSerializer.Read(RegistrySamples.Utf8(json));

        Assert.False(read.Success);
        Assert.Equal(Malformed, read.ErrorCode);
        Assert.Contains(expected, read.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadClientSettings_StatusInTheBody_RefusedAsUnknown()
    {
        // The admin API's client settings body never sets a status: only onboarding moves it.
        var read = LocalConfigurationSerializer.ReadClientSettings(RegistrySamples.Utf8("""{"connectionType":"http","status":"registered"}"""), 4096, ClientId.Parse("DEV/GOV/70000001/hospital"));

        Assert.False(read.Success);
        Assert.Contains("unknown member 'status'", read.Message, StringComparison.Ordinal);
    }
}
