using System.Net;
using System.Net.Http.Headers;
using ExchangeGateway.Testing.Hosting;
using ExchangeGateway.Testing.Tools;
using ExchangeGateway.TrustServices.Hosting;

namespace ExchangeGateway.TrustServices.Tests.Hosting;

/// <summary>
/// The whole dev trust-services host as a new user meets it: started on a fresh data directory,
/// driven with nothing but OpenSSL and the PEM files it wrote.
/// </summary>
public sealed class TrustServicesHostInteropTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private readonly TempDirectory _work = new();
    private TrustServicesInstance _host = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _host = await TrustServicesInstance.StartAsync(_data.Path);
        _client = _host.CreateClient();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _host.DisposeAsync();
        _data.Dispose();
        _work.Dispose();
    }

    [Fact]
    public async Task OpenSslTsQuery_AnsweredByHostedTsa_VerifiesAgainstWrittenBundle()
    {
        await File.WriteAllTextAsync(_work.File("data.txt"), "checkpoint 42");
        var query = await OpenSsl.RunAsync(_work.Path, "ts", "-query", "-data", "data.txt", "-sha256", "-cert", "-out", "req.tsq");
        Assert.True(query.ExitCode == 0, query.Output);

        using var content = new ByteArrayContent(await File.ReadAllBytesAsync(_work.File("req.tsq")));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/timestamp-query");
        using var response = await _client.PostAsync("tsa", content);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/timestamp-reply", response.Content.Headers.ContentType?.MediaType);
        await File.WriteAllBytesAsync(_work.File("reply.tsr"), await response.Content.ReadAsByteArrayAsync());

        var verify = await OpenSsl.RunAsync(_work.Path, "ts", "-verify", "-in", "reply.tsr", "-data", "data.txt", "-CAfile", Path.Combine(_data.Path, DevTrustMaterial.BundlePem));

        Assert.True(verify.ExitCode == 0, verify.Output);
        Assert.Contains("Verification: OK", verify.Output, StringComparison.Ordinal);
    }
}
