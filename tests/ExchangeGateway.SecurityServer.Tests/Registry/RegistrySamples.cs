using System.Collections.Immutable;
using System.Text;
using ExchangeGateway.Common.Identifiers;
using ExchangeGateway.Config.Model;
using ExchangeGateway.SecurityServer.Registry;

namespace ExchangeGateway.SecurityServer.Tests.Registry;

/// <summary>Sample local and global configurations shared by the registry tests.</summary>
internal static class RegistrySamples
{
    /// <summary>The example of ISSUE4-CONTRACTS.md, verbatim.</summary>
    public const string ContractExample = """
        {
          "serverId": "DEV/GOV/70000001/ss1",
          "clients": [
            {
              "id": "DEV/GOV/70000001/consumer",
              "connectionType": "http",
              "isCertificates": [],
              "services": [
                {
                  "code": "echo",
                  "type": "rest",
                  "url": "http://127.0.0.1:9000",
                  "enabled": true,
                  "connectTimeoutMs": 5000,
                  "readTimeoutMs": 30000,
                  "totalTimeoutMs": 60000,
                  "verifyTls": true,
                  "logBodies": true,
                  "endpoints": [ { "method": "*", "path": "/**" } ],
                  "accessRights": [ { "subject": "DEV/ORG/70000002/clinic", "method": "*", "path": "/**" } ]
                }
              ]
            }
          ]
        }
        """;

    public static readonly SecurityServerId ServerId = SecurityServerId.Parse("DEV/GOV/70000001/ss1");
    public static readonly ClientId Provider = ClientId.Parse("DEV/GOV/70000001/hospital");
    public static readonly ClientId Clinic = ClientId.Parse("DEV/ORG/70000002/clinic");
    public static readonly ClientId Pharmacy = ClientId.Parse("DEV/ORG/70000003/pharmacy");
    public static readonly ClientId Lab = ClientId.Parse("DEV/ORG/70000004/lab");
    public static readonly GlobalGroupId Hospitals = GlobalGroupId.Parse("DEV/hospitals");

    public static ReadOnlyMemory<byte> Utf8(string text) => Encoding.UTF8.GetBytes(text);

    public static ServiceId Service(string code) => new(Provider.AsSubsystem()!, code);

    /// <summary>
    /// The provider <c>hospital</c> with services: <c>records</c> (clinic: GET /patients/*/summary, POST
    /// /patients/*/notes; group hospitals: whole service; pharmacy: GET /public/**), <c>open</c> (clinic, whole
    /// service), <c>off</c> (disabled, clinic whole service) and <c>closed</c> (no rights).
    /// </summary>
    public static LocalConfiguration Configuration() => LocalConfiguration.Create(ServerId,
    [
        new LocalClient
        {
            Id = Provider,
            Services =
            [
                Rest("records") with
                {
                    AccessRights =
                    [
                        new AccessRight(AccessSubject.ForSubsystem(Clinic.AsSubsystem()!), "GET", PathGlob.Parse("/patients/*/summary")),
                        new AccessRight(AccessSubject.ForSubsystem(Clinic.AsSubsystem()!), "POST", PathGlob.Parse("/patients/*/notes")),
                        new AccessRight(AccessSubject.ForGroup(Hospitals)),
                        new AccessRight(AccessSubject.ForSubsystem(Pharmacy.AsSubsystem()!), "GET", PathGlob.Parse("/public/**")),
                    ],
                },
                Rest("open") with { AccessRights = [new AccessRight(AccessSubject.ForSubsystem(Clinic.AsSubsystem()!))] },
                Rest("off") with { Enabled = false, AccessRights = [new AccessRight(AccessSubject.ForSubsystem(Clinic.AsSubsystem()!))] },
                Rest("closed"),
            ],
        },
        new LocalClient { Id = ClientId.Parse("DEV/GOV/70000001"), ConnectionType = ConnectionType.Https },
    ]);

    public static LocalService Rest(string code, string url = "http://127.0.0.1:9000") => new()
    {
        Code = code,
        Url = url,
        Endpoints = [new ServiceEndpoint("*", PathGlob.AnyPath)],
    };

    /// <summary>Global configuration where <see cref="Lab"/> is in <see cref="Hospitals"/>.</summary>
    public static GlobalConfiguration Global(params ClientId[] hospitals) => new()
    {
        InstanceId = "DEV",
        Serial = 7,
        GeneratedAt = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero),
        ExpiresAt = new DateTimeOffset(2026, 1, 1, 0, 10, 0, TimeSpan.Zero),
        Settings = new ConfigurationSettings(TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(1), TimeSpan.FromHours(4), TimeSpan.FromMinutes(1)),
        ManagementServiceAddress = "http://127.0.0.1:4180/managementservice",
        GlobalGroups = [new GlobalGroup(Hospitals, "Hospitals", hospitals.Length == 0 ? [Lab] : hospitals)],
    };

    public static ImmutableArray<T> Array<T>(params T[] items) => [.. items];
}
