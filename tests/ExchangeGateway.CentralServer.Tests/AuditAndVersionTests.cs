using System.Net;
using System.Text.Json;
using ExchangeGateway.CentralServer.Registration;
using ExchangeGateway.CentralServer.Tests.Support;
using ExchangeGateway.Common.Identifiers;
using static ExchangeGateway.CentralServer.Tests.Support.ApiClient;

namespace ExchangeGateway.CentralServer.Tests;

public sealed class AuditAndVersionTests
{
    [Fact]
    public async Task Changes_EachOne_AppendsAuditEntryWithActorActionTargetAndVersion()
    {
        await using var f = await ServerFixture.StartAsync();
        var officerKey = await f.Admin.CreateKey("reg-officer", "registration-officer");
        using var officer = f.Server.Client(officerKey);
        await (await f.Admin.PostJson("api/v1/member-classes", new { code = "GOV", description = "Government" })).Expect(HttpStatusCode.Created);
        await (await officer.PostJson("api/v1/members", new { id = "EE/GOV/M1", name = "One" })).Expect(HttpStatusCode.Created);
        await (await officer.PutJson($"api/v1/members/{Enc("EE/GOV/M1")}", new { name = "Uno" })).Expect(HttpStatusCode.OK);
        await (await officer.PostJson("api/v1/members", new { id = "EE/GOV/M1", name = "dup" })).Expect(HttpStatusCode.Conflict, "registry.conflict");
        await (await officer.PostJson("api/v1/member-classes", new { code = "COM", description = "x" })).Expect(HttpStatusCode.Forbidden, "auth.forbidden");
        await (await officer.DeleteAsync($"api/v1/members/{Enc("EE/GOV/M1")}")).Expect(HttpStatusCode.NoContent);

        using var observer = f.Server.Client(await f.Admin.CreateKey("auditor", "observer"));
        var entries = (await (await observer.GetAsync("api/v1/audit")).Expect(HttpStatusCode.OK)).EnumerateArray().ToList();
        var officerId = officerKey[..16];
        string Row(JsonElement e) => $"{e.GetProperty("actorName").GetString()}|{e.GetProperty("action").GetString()}|{e.GetProperty("target").GetString()}|{e.GetProperty("outcome").GetString()}";
        Assert.Equal(
            [
                "initial-administrator|api-key.create|" + officerId + "|success",
                "initial-administrator|member-class.create|GOV|success",
                "reg-officer|member.create|EE/GOV/M1|success",
                "reg-officer|member.update|EE/GOV/M1|success",
                "reg-officer|member.create|EE/GOV/M1|registry.conflict",
                "reg-officer|member-class.create|/api/v1/member-classes|auth.forbidden",
                "reg-officer|member.delete|EE/GOV/M1|success",
            ],
            entries.Skip(1).Take(7).Select(Row));
        Assert.Equal("initialisation", entries[0].GetProperty("actorName").GetString());

        var successes = entries.Where(e => e.GetProperty("action").GetString()!.StartsWith("member", StringComparison.Ordinal) && e.GetProperty("outcome").GetString() == "success").ToList();
        Assert.Equal([1L, 2L, 3L, 4L], successes.Select(e => e.GetProperty("registryVersion").GetInt64()));
        Assert.All(entries.Where(e => e.GetProperty("actorName").GetString() == "reg-officer"), e => Assert.Equal(officerId, e.GetProperty("actorKeyId").GetString()));
        Assert.All(entries, e => Assert.True(DateTimeOffset.TryParse(e.GetProperty("at").GetString(), System.Globalization.CultureInfo.InvariantCulture, out _)));

        var raw = await (await observer.GetAsync("api/v1/audit?limit=1000")).Content.ReadAsStringAsync();
        Assert.DoesNotContain(officerKey, raw, StringComparison.Ordinal);
        Assert.DoesNotContain(f.Server.AdminKey!, raw, StringComparison.Ordinal);

        var page = (await (await observer.GetAsync($"api/v1/audit?after={entries[2].GetProperty("sequence").GetInt64()}&limit=2")).Expect(HttpStatusCode.OK)).EnumerateArray().ToList();
        Assert.Equal(entries.Skip(3).Take(2).Select(e => e.GetProperty("sequence").GetInt64()), page.Select(e => e.GetProperty("sequence").GetInt64()));
        await (await observer.GetAsync("api/v1/audit?after=-1")).Expect(HttpStatusCode.BadRequest, "request.invalid");
    }

    [Fact]
    public async Task RegistryVersion_IncrementsOnChangeOnly()
    {
        await using var f = await ServerFixture.StartAsync();
        async Task<long> Version() => (await (await f.Admin.GetAsync("api/v1/registry")).Expect(HttpStatusCode.OK)).GetProperty("version").GetInt64();

        Assert.Equal(0, await Version());
        await (await f.Admin.PostJson("api/v1/member-classes", new { code = "GOV", description = "Government" })).Expect(HttpStatusCode.Created);
        Assert.Equal(1, await Version());

        // Reads, refused changes and API key changes leave it alone.
        await (await f.Admin.GetAsync("api/v1/member-classes")).Expect(HttpStatusCode.OK);
        await (await f.Admin.GetAsync("api/v1/member-classes/GOV")).Expect(HttpStatusCode.OK);
        await (await f.Admin.PostJson("api/v1/member-classes", new { code = "GOV", description = "again" })).Expect(HttpStatusCode.Conflict, "registry.conflict");
        await (await f.Admin.PostJson("api/v1/members", new { id = "EE/NOPE/1", name = "x" })).Expect(HttpStatusCode.UnprocessableEntity, "registry.invalid_reference");
        await f.Admin.CreateKey("k", "observer");
        Assert.Equal(1, await Version());
        Assert.Equal(1, f.Server.Service<Registry>().ReadSnapshot().Version);

        await (await f.Admin.PostJson("api/v1/members", new { id = "EE/GOV/1", name = "x" })).Expect(HttpStatusCode.Created);
        await (await f.Admin.PutJson($"api/v1/members/{Enc("EE/GOV/1")}", new { name = "y" })).Expect(HttpStatusCode.OK);
        await (await f.Admin.DeleteAsync($"api/v1/members/{Enc("EE/GOV/1")}")).Expect(HttpStatusCode.NoContent);
        Assert.Equal(4, await Version());
    }

    [Fact]
    public async Task ReadSnapshot_WholeRegistry_IsSortedAndComplete()
    {
        await using var f = await ServerFixture.StartAsync();
        await f.Admin.SeedMember("M2");
        await f.Admin.SeedMember("M1");
        await (await f.Admin.PostJson("api/v1/security-servers", new { id = "EE/GOV/M1/ss1", address = "ss1.example" })).Expect(HttpStatusCode.Created);
        await (await f.Admin.PostJson($"api/v1/security-servers/{Enc("EE/GOV/M1/ss1")}/clients", new { id = "EE/GOV/M2/sub" })).Expect(HttpStatusCode.OK);
        await (await f.Admin.PostJson("api/v1/global-groups", new { id = "EE/g", description = "x" })).Expect(HttpStatusCode.Created);
        await (await f.Admin.PostJson($"api/v1/global-groups/{Enc("EE/g")}/members", new { id = "EE/GOV/M1" })).Expect(HttpStatusCode.OK);

        var snapshot = f.Server.Service<Registry>().ReadSnapshot();
        Assert.Equal("EE", snapshot.InstanceId);
        Assert.Equal(9, snapshot.Version); // 3 + 2 (class exists) + server, client, group, group member
        Assert.Equal("GOV", Assert.Single(snapshot.MemberClasses).Code);
        Assert.Equal([MemberId.Parse("EE/GOV/M1"), MemberId.Parse("EE/GOV/M2")], snapshot.Members.Select(m => m.Id));
        Assert.Equal(2, snapshot.Subsystems.Length);
        var server = Assert.Single(snapshot.SecurityServers);
        Assert.Equal(ClientId.Parse("EE/GOV/M2/sub"), Assert.Single(server.Clients));
        Assert.Equal(ClientId.Parse("EE/GOV/M1"), Assert.Single(Assert.Single(snapshot.GlobalGroups).Members));
        Assert.Empty(snapshot.CertificationAuthorities);
        Assert.Empty(snapshot.TimestampingAuthorities);
    }

    [Fact]
    public async Task ReadSnapshot_DuringConcurrentChanges_AlwaysMatchesItsVersion()
    {
        await using var f = await ServerFixture.StartAsync();
        var registry = f.Server.Service<Registry>();
        var actor = new Actor("test", "test");
        Assert.True(registry.Change(actor, "member-class.create", "GOV", e => e.AddMemberClass("GOV", "Government")).Success);

        // Each change adds one member and one subsystem together, so a consistent snapshot has
        // members == subsystems == version - 1.
        using var cts = new CancellationTokenSource();
        var writer = Task.Run(() =>
        {
            for (var i = 0; i < 150; i++)
            {
                var member = new MemberId("EE", "GOV", $"M{i:D3}");
                var result = registry.Change(actor, "member.create", member.ToString(), e =>
                {
                    var added = e.AddMember(member, "m");
                    return added.Success ? e.AddSubsystem(new SubsystemId(member, "sub"), null) : added.Failure!;
                });
                Assert.True(result.Success);
            }
        });

        var seen = 0;
        while (!writer.IsCompleted || seen == 0)
        {
            var s = registry.ReadSnapshot();
            Assert.Equal(s.Version - 1, s.Members.Length);
            Assert.Equal(s.Members.Length, s.Subsystems.Length);
            seen++;
        }

        await writer;
        Assert.Equal(151, registry.ReadSnapshot().Version);
    }

    [Fact]
    public async Task Change_FailingSecondStep_RollsBackFirstStep()
    {
        await using var f = await ServerFixture.StartAsync();
        var registry = f.Server.Service<Registry>();
        var actor = new Actor(null, "test");
        registry.Change(actor, "member-class.create", "GOV", e => e.AddMemberClass("GOV", "Government"));
        var result = registry.Change(actor, "member.create", "EE/GOV/1", e =>
        {
            var added = e.AddMember(MemberId.Parse("EE/GOV/1"), "m");
            Assert.True(added.Success);
            return e.AddSubsystem(SubsystemId.Parse("EE/GOV/2/sub"), null);
        });
        Assert.Equal("registry.invalid_reference", result.Failure!.Code);
        var snapshot = registry.ReadSnapshot();
        Assert.Empty(snapshot.Members);
        Assert.Equal(1, snapshot.Version);
    }

    [Fact]
    public async Task WaitForChangeAsync_CompletesAfterNextChange()
    {
        await using var f = await ServerFixture.StartAsync();
        var registry = f.Server.Service<Registry>();
        var wait = registry.WaitForChangeAsync(registry.Version, CancellationToken.None);
        Assert.False(wait.IsCompleted);
        await (await f.Admin.PostJson("api/v1/member-classes", new { code = "GOV", description = "Government" })).Expect(HttpStatusCode.Created);
        await wait.WaitAsync(TimeSpan.FromSeconds(10));
        await registry.WaitForChangeAsync(0, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(1));
    }
}
