using System.Text;
using ExchangeGateway.Common.Identifiers;
using ExchangeGateway.SecurityServer.Descriptions;
using ExchangeGateway.SecurityServer.Registry;
using ExchangeGateway.SecurityServer.Tests.Registry;
using ExchangeGateway.Testing.Time;
using ExchangeGateway.Testing.Tools;

namespace ExchangeGateway.SecurityServer.Tests.Descriptions;

public sealed class ServiceDescriptionsTests : IDisposable
{
    private static readonly ClientId Hospital = RegistrySamples.Provider;
    private static readonly SubsystemId HospitalSubsystem = Hospital.AsSubsystem()!;

    private readonly TempDirectory _dir = new();
    private readonly LocalConfigurationStore _store;
    private readonly ServiceDescriptions _descriptions;
    private readonly HttpClient _http = new();

    public ServiceDescriptionsTests()
    {
        _store = new LocalConfigurationStore(_dir.Path);
        _store.CreateIfAbsent(LocalConfiguration.Create(RegistrySamples.ServerId, [new LocalClient { Id = Hospital }, new LocalClient { Id = RegistrySamples.Clinic.Member }]));
        _descriptions = new ServiceDescriptions(_store, new DescriptionDocuments(_dir.Path), new DescriptionFetcher(_http), new ManualTimeProvider(new DateTimeOffset(2025, 1, 31, 12, 0, 0, TimeSpan.Zero)));
    }

    public void Dispose()
    {
        _http.Dispose();
        _dir.Dispose();
    }

    private static ReadOnlyMemory<byte> Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static DescriptionRequest Wsdl(string text, string? serviceUrl = null) =>
        new() { Type = ServiceDescriptionType.Wsdl, Content = Utf8(text), ServiceUrl = serviceUrl };

    private LocalClient HospitalNow => _store.Current!.FindClient(Hospital)!;

    private LocalConfiguration OnDisk() => LocalConfigurationSerializer.Read(File.ReadAllBytes(_store.FilePath)).GetValueOrThrow();

    [Fact]
    public async Task AddAsync_Wsdl_MakesOneSoapServicePerOperationAndStoresTheDocument()
    {
        var wsdl = DescriptionSamples.Wsdl();

        var result = await _descriptions.AddAsync(Hospital, Wsdl(wsdl));

        Assert.True(result.Success, result.Failure?.Message);
        var change = result.Value!;
        Assert.Equal("1", change.Description.Id);
        Assert.Null(change.Description.Source);
        Assert.Equal(["getPatient", "ping"], change.Added.ToArray());
        var getPatient = _store.Current!.FindService(new ServiceId(HospitalSubsystem, "getPatient", "v1"))!;
        Assert.Equal((ServiceType.Soap, "1", "http://127.0.0.1:9000/soap", true), (getPatient.Type, getPatient.DescriptionId, getPatient.Url, getPatient.Enabled));
        Assert.Empty(getPatient.AccessRights);
        Assert.NotNull(_store.Current!.FindService(new ServiceId(HospitalSubsystem, "ping")));
        Assert.NotNull(OnDisk().FindService(new ServiceId(HospitalSubsystem, "getPatient", "v1")));
        Assert.Equal(Encoding.UTF8.GetBytes(wsdl), _descriptions.Documents.Read(change.Description.DocumentSha256));
        Assert.True(File.Exists(Path.Combine(_dir.Path, "descriptions", change.Description.DocumentSha256)));
    }

    [Fact]
    public async Task AddAsync_OpenApi_MakesOneRestServiceWithEndpoints()
    {
        var result = await _descriptions.AddAsync(Hospital, new DescriptionRequest { Type = ServiceDescriptionType.OpenApi3, Content = Utf8(DescriptionSamples.OpenApiJson), ServiceCode = "pets" });

        Assert.True(result.Success, result.Failure?.Message);
        var pets = _store.Current!.FindService(new ServiceId(HospitalSubsystem, "pets"))!;
        Assert.Equal((ServiceType.Rest, "http://127.0.0.1:9000/api"), (pets.Type, pets.Url));
        Assert.Equal(5, pets.Endpoints.Length);
        Assert.Equal("pets", HospitalNow.DescriptionOf(pets)!.ServiceCode);
    }

    [Fact]
    public async Task AddAsync_ServiceUrlOverride_WinsOverTheDocument()
    {
        var result = await _descriptions.AddAsync(Hospital, Wsdl(DescriptionSamples.Wsdl("http://internal.invalid/x?y=1"), "http://127.0.0.1:9100/soap"));

        Assert.True(result.Success, result.Failure?.Message);
        Assert.All(result.Value!.Services, s => Assert.Equal("http://127.0.0.1:9100/soap", s.Url));
    }

    public static TheoryData<DescriptionRequest, DescriptionFailureKind, string> BadRequests() => new()
    {
        { new DescriptionRequest { Type = ServiceDescriptionType.Wsdl }, DescriptionFailureKind.InvalidRequest, "Give either url" },
        { new DescriptionRequest { Type = ServiceDescriptionType.Wsdl, Url = "http://127.0.0.1:1/x", Content = Utf8("x") }, DescriptionFailureKind.InvalidRequest, "not both" },
        { new DescriptionRequest { Type = ServiceDescriptionType.Wsdl, Url = "file:///etc/passwd" }, DescriptionFailureKind.InvalidRequest, "url must be an absolute http or https URL" },
        { new DescriptionRequest { Type = ServiceDescriptionType.OpenApi3, Content = Utf8(DescriptionSamples.OpenApiJson) }, DescriptionFailureKind.InvalidRequest, "needs serviceCode" },
        { new DescriptionRequest { Type = ServiceDescriptionType.OpenApi3, Content = Utf8(DescriptionSamples.OpenApiJson), ServiceCode = "getOpenAPI" }, DescriptionFailureKind.InvalidRequest, "reserved for a metaservice" },
        { new DescriptionRequest { Type = ServiceDescriptionType.Wsdl, Content = Utf8(DescriptionSamples.Wsdl()), ServiceCode = "x" }, DescriptionFailureKind.InvalidRequest, "serviceCode is for OpenAPI descriptions only" },
        { Wsdl(DescriptionSamples.Wsdl(), "http://127.0.0.1/x?q"), DescriptionFailureKind.InvalidRequest, "serviceUrl must not have a query" },
        { Wsdl("<html/>"), DescriptionFailureKind.InvalidDocument, "not wsdl:definitions" },
        { Wsdl(DescriptionSamples.Wsdl("http://127.0.0.1:9000/x", ("listMethods", null))), DescriptionFailureKind.InvalidDocument, "the service code 'listMethods' is reserved for a metaservice" },
        { Wsdl(DescriptionSamples.Wsdl("http://127.0.0.1:9000/x", ("a", "v1"), ("a", "v2"))), DescriptionFailureKind.InvalidDocument, "in more than one version" },
        { Wsdl(DescriptionSamples.Wsdl("/relative")), DescriptionFailureKind.InvalidDocument, "soap:address must be an absolute http or https URL; give serviceUrl" },
        { new DescriptionRequest { Type = ServiceDescriptionType.OpenApi3, Content = Utf8("{\"openapi\":\"3.0.0\",\"servers\":[{\"url\":\"/v1\"}]}"), ServiceCode = "pets" }, DescriptionFailureKind.InvalidDocument, "servers[0].url must be an absolute http or https URL; give serviceUrl" },
        { new DescriptionRequest { Type = ServiceDescriptionType.OpenApi3, Content = Utf8("{\"openapi\":\"3.0.0\"}"), ServiceCode = "pets" }, DescriptionFailureKind.InvalidDocument, "no servers[0].url; give serviceUrl" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task AddAsync_BadRequestOrDocument_ChangesNothing(DescriptionRequest request, DescriptionFailureKind kind, string expected)
    {
        var before = await File.ReadAllBytesAsync(_store.FilePath);

        var result = await _descriptions.AddAsync(Hospital, request);

        Assert.False(result.Success);
        Assert.Equal(kind, result.Failure.Kind);
        Assert.Contains(expected, result.Failure.Message, StringComparison.Ordinal);
        Assert.Equal(before, await File.ReadAllBytesAsync(_store.FilePath));
        Assert.False(Directory.Exists(Path.Combine(_dir.Path, "descriptions")));
    }

    [Fact]
    public async Task AddAsync_MemberOrUnknownClient_IsRefused()
    {
        var member = await _descriptions.AddAsync(RegistrySamples.Clinic.Member, Wsdl(DescriptionSamples.Wsdl()));
        var unknown = await _descriptions.AddAsync(RegistrySamples.Lab, Wsdl(DescriptionSamples.Wsdl()));

        Assert.Equal(DescriptionFailureKind.InvalidRequest, member.Failure!.Kind);
        Assert.Equal(DescriptionFailureKind.NotFound, unknown.Failure!.Kind);
    }

    [Fact]
    public async Task AddAsync_CodeTakenByAnotherService_IsAConflict()
    {
        await _descriptions.AddAsync(Hospital, Wsdl(DescriptionSamples.Wsdl()));

        var second = await _descriptions.AddAsync(Hospital, Wsdl(DescriptionSamples.Wsdl("http://127.0.0.1:9000/other", ("ping", null))));

        Assert.Equal(DescriptionFailureKind.Conflict, second.Failure!.Kind);
        Assert.Contains("'ping' from service description '1'", second.Failure.Message, StringComparison.Ordinal);
        Assert.Single(HospitalNow.Descriptions);
    }

    [Fact]
    public async Task RefreshAsync_AddsNewDropsVanishedAndKeepsRightsAndSettingsOfTheRest()
    {
        await _descriptions.AddAsync(Hospital, Wsdl(DescriptionSamples.Wsdl()));
        var clinic = AccessSubject.ForSubsystem(RegistrySamples.Clinic.AsSubsystem()!);
        _store.Update(local =>
        {
            var client = local.FindClient(Hospital)!;
            var getPatient = client.FindService("getPatient")! with { AccessRights = [new AccessRight(clinic)], ReadTimeoutMs = 1234 };
            var ping = client.FindService("ping")! with { AccessRights = [new AccessRight(clinic)] };
            return LocalConfigurationChange.Commit(local.WithClient(client.WithService(getPatient).WithService(ping)).GetValueOrThrow(), 0);
        });
        var oldSha = HospitalNow.Descriptions[0].DocumentSha256;

        var refreshed = await _descriptions.RefreshAsync(Hospital, "1", Utf8(DescriptionSamples.Wsdl("http://127.0.0.1:9000/soap2", ("getPatient", "v2"), ("admit", null))));

        Assert.True(refreshed.Success, refreshed.Failure?.Message);
        Assert.Equal(["admit"], refreshed.Value!.Added.ToArray());
        Assert.Equal(["ping"], refreshed.Value.Removed.ToArray());
        var getPatient = HospitalNow.FindService("getPatient")!;
        Assert.Equal(("v2", "http://127.0.0.1:9000/soap2", 1234), (getPatient.Version, getPatient.Url, getPatient.ReadTimeoutMs));
        Assert.Equal(clinic, Assert.Single(getPatient.AccessRights).Subject);
        Assert.Empty(HospitalNow.FindService("admit")!.AccessRights);
        Assert.Null(HospitalNow.FindService("ping"));
        Assert.Null(_descriptions.Documents.Read(oldSha));
        Assert.NotNull(_descriptions.Documents.Read(HospitalNow.Descriptions[0].DocumentSha256));
        Assert.Equal(["getPatient", "admit"], OnDisk().FindClient(Hospital)!.Services.Select(s => s.Code));
    }

    [Fact]
    public async Task RefreshAsync_UploadedWithoutContent_IsRefused()
    {
        await _descriptions.AddAsync(Hospital, Wsdl(DescriptionSamples.Wsdl()));

        var result = await _descriptions.RefreshAsync(Hospital, "1");

        Assert.Equal(DescriptionFailureKind.InvalidRequest, result.Failure!.Kind);
        Assert.Contains("was uploaded", result.Failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RefreshAsync_UnknownDescription_IsNotFound()
    {
        var result = await _descriptions.RefreshAsync(Hospital, "9", Utf8(DescriptionSamples.Wsdl()));

        Assert.Equal(DescriptionFailureKind.NotFound, result.Failure!.Kind);
    }

    [Fact]
    public async Task SetDisabled_SwitchesEveryServiceOfTheDescriptionAndKeepsTheNotice()
    {
        await _descriptions.AddAsync(Hospital, Wsdl(DescriptionSamples.Wsdl()));

        var disabled = _descriptions.SetDisabled(Hospital, "1", disabled: true, "Maintenance until 14:00");

        Assert.True(disabled.Success);
        Assert.All(HospitalNow.Services, s => Assert.False(s.Enabled));
        Assert.Equal((true, "Maintenance until 14:00"), (HospitalNow.Descriptions[0].Disabled, HospitalNow.Descriptions[0].DisabledNotice));
        Assert.Equal(AccessDecision.AccessDenied, AccessControl.Decide(_store.Current!, null, RegistrySamples.Clinic, new ServiceId(HospitalSubsystem, "ping"), "POST", string.Empty));

        // A refresh while disabled adds disabled services.
        var refreshed = await _descriptions.RefreshAsync(Hospital, "1", Utf8(DescriptionSamples.Wsdl("http://127.0.0.1:9000/soap", ("ping", null), ("admit", null))));
        Assert.False(HospitalNow.FindService(Assert.Single(refreshed.Value!.Added))!.Enabled);

        var enabled = _descriptions.SetDisabled(Hospital, "1", disabled: false);
        Assert.True(enabled.Success);
        Assert.All(HospitalNow.Services, s => Assert.True(s.Enabled));
        Assert.Null(HospitalNow.Descriptions[0].DisabledNotice);
    }

    [Fact]
    public void SetDisabled_NoticeWithControlCharacters_IsRefused()
    {
        var result = _descriptions.SetDisabled(Hospital, "1", disabled: true, "a\u0007");

        Assert.Equal(DescriptionFailureKind.InvalidRequest, result.Failure!.Kind);
    }

    [Fact]
    public async Task Delete_RemovesTheDescriptionItsServicesAndItsDocument()
    {
        var added = await _descriptions.AddAsync(Hospital, Wsdl(DescriptionSamples.Wsdl()));
        await _descriptions.AddAsync(Hospital, new DescriptionRequest { Type = ServiceDescriptionType.OpenApi3, Content = Utf8(DescriptionSamples.OpenApiJson), ServiceCode = "pets" });

        var deleted = _descriptions.Delete(Hospital, "1");

        Assert.True(deleted.Success);
        Assert.Equal(["getPatient", "ping"], deleted.Value!.Removed.ToArray());
        Assert.Equal(["pets"], HospitalNow.Services.Select(s => s.Code));
        Assert.Equal(["2"], HospitalNow.Descriptions.Select(d => d.Id));
        Assert.Null(_descriptions.Documents.Read(added.Value!.Description.DocumentSha256));
        Assert.Equal(DescriptionFailureKind.NotFound, _descriptions.Delete(Hospital, "1").Failure!.Kind);

        // Ids are not reused while a higher one exists.
        var third = await _descriptions.AddAsync(Hospital, Wsdl(DescriptionSamples.Wsdl()));
        Assert.Equal("3", third.Value!.Description.Id);
    }

    [Fact]
    public async Task AddAsync_UnreachableUrl_IsAFetchFailure()
    {
        var result = await _descriptions.AddAsync(Hospital, new DescriptionRequest { Type = ServiceDescriptionType.Wsdl, Url = "http://127.0.0.1:1/service?wsdl" });

        Assert.Equal(DescriptionFailureKind.FetchFailed, result.Failure!.Kind);
        Assert.Contains("could not be fetched", result.Failure.Message, StringComparison.Ordinal);
    }
}
