using System.Net;
using ExchangeGateway.Config.Anchors;
using ExchangeGateway.Config.Client;
using ExchangeGateway.Testing.Pki;
using ExchangeGateway.Testing.Time;
using ExchangeGateway.Testing.Tools;

namespace ExchangeGateway.CentralServer.Tests.Support;

/// <summary>What the management request tests share: a Central Server on a loopback port, its seed, and a configuration client following it.</summary>
internal static class ManagementServer
{
    /// <summary>POSTs a management request envelope to the server's <c>/managementservice</c>.</summary>
    public static async Task<HttpResponseMessage> SendAsync(int port, string envelope)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
        return await http.PostRaw("managementservice", envelope);
    }

    /// <summary>The test PKI's issuing CA approved, and the members M1 and M2.</summary>
    public static async Task SeedAsync(HttpClient admin, TestPki pki)
    {
        await (await admin.PostJson("api/v1/certification-authorities", new
        {
            name = "Test issuing CA",
            certificate = pki.IntermediateCertificate.ExportCertificatePem(),
            ocspUrl = "http://127.0.0.1:9/ocsp",
        })).Expect(HttpStatusCode.Created);
        await admin.SeedMember("M1");
        await admin.SeedMember("M2");
    }

    /// <summary>A configuration client on the server's anchor, with its own storage folder.</summary>
    public static async Task<ConfigurationClient> NewClientAsync(HttpClient admin, TempDirectory directory, ManualTimeProvider time)
    {
        using var response = await admin.GetAsync("api/v1/anchor");
        var anchor = ConfigurationAnchorSerializer.Read(await response.Content.ReadAsByteArrayAsync());
        Assert.True(anchor.Success, anchor.Message);
        var storage = directory.File("client-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(storage);
        return new ConfigurationClient(anchor.Value, new HttpClient(), new ConfigurationClientOptions { StorageDirectory = storage }, time);
    }

    /// <summary>Polls until a verified configuration satisfies <paramref name="condition"/> (at most 100 polls).</summary>
    public static async Task<Config.Model.GlobalConfiguration> PollUntilAsync(ConfigurationClient client, Func<Config.Model.GlobalConfiguration, bool> condition)
    {
        for (var i = 0; i < 100; i++)
        {
            var result = await client.PollOnceAsync();
            if (result.IsValid && condition(result.Value))
            {
                return result.Value;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("the expected configuration was not published within 100 polls");
    }

    /// <summary>Starts a Central Server on <paramref name="port"/> publishing every 5 s, valid for a minute.</summary>
    public static Task<CentralServerInstance> StartAsync(string dataDirectory, int port, ManualTimeProvider time, params string[] extra) =>
        CentralServerInstance.StartAsync(
            dataDirectory,
            time: time,
            extraArgs:
            [
                $"--urls=http://127.0.0.1:{port}",
                $"--CentralServer:Publication:ConfigurationUrl=http://127.0.0.1:{port}",
                "--CentralServer:Publication:GenerationInterval=00:00:05",
                "--CentralServer:Publication:Validity=00:01:00",
                .. extra,
            ]);

    /// <summary>A free loopback port.</summary>
    public static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
