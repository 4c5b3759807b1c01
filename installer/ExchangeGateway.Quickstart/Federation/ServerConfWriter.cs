using System.Text.Json;
using System.Text.Json.Nodes;

namespace ExchangeGateway.Quickstart.Federation;

/// <summary>Writes each security server's <c>serverconf.json</c> (format in ISSUE4-CONTRACTS.md).</summary>
internal static class ServerConfWriter
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>ss1: hosts the consumer subsystem, which calls over plain HTTP; it offers no services.</summary>
    public static JsonObject Consumer(SecurityServerPlan server) => new()
    {
        ["serverId"] = server.ServerId,
        ["clients"] = new JsonArray
        {
            new JsonObject
            {
                ["id"] = server.ClientId,
                ["connectionType"] = "http",
                ["isCertificates"] = new JsonArray(),
                ["services"] = new JsonArray(),
            },
        },
    };

    /// <summary>ss2: hosts the provider subsystem with the REST service <c>echo</c>, open to the consumer subsystem only.</summary>
    public static JsonObject Provider(SecurityServerPlan server, string echoUrl, string consumerClient) => new()
    {
        ["serverId"] = server.ServerId,
        ["clients"] = new JsonArray
        {
            new JsonObject
            {
                ["id"] = server.ClientId,
                ["connectionType"] = "http",
                ["isCertificates"] = new JsonArray(),
                ["services"] = new JsonArray
                {
                    new JsonObject
                    {
                        ["code"] = FederationPlan.ServiceCode,
                        ["type"] = "rest",
                        ["url"] = echoUrl,
                        ["enabled"] = true,
                        ["connectTimeoutMs"] = 5000,
                        ["readTimeoutMs"] = 30000,
                        ["totalTimeoutMs"] = 60000,
                        ["verifyTls"] = true,
                        ["logBodies"] = true,
                        ["endpoints"] = new JsonArray { new JsonObject { ["method"] = "*", ["path"] = "/**" } },
                        ["accessRights"] = new JsonArray { new JsonObject { ["subject"] = consumerClient, ["method"] = "*", ["path"] = "/**" } },
                    },
                },
            },
        },
    };

    public static void Write(string path, JsonObject serverConf)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, serverConf.ToJsonString(Indented) + "\n");
    }
}
