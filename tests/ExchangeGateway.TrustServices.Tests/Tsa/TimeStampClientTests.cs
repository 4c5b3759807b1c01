using System.Net;
using System.Security.Cryptography;
using ExchangeGateway.Common.Crypto.TimeStamping;
using ExchangeGateway.Common.Results;
using ExchangeGateway.Testing.Hosting;
using ExchangeGateway.Testing.Pki;
using ExchangeGateway.TrustServices.Tsa;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ExchangeGateway.TrustServices.Tests.Tsa;

/// <summary>The client against misbehaving TSAs on loopback: every failure is a value, not an exception.</summary>
public sealed class TimeStampClientTests : IDisposable
{
    private static readonly byte[] Hash = SHA256.HashData("checkpoint"u8);
    private readonly TestPki _pki = TestPki.Create();

    public void Dispose() => _pki.Dispose();

    [Fact]
    public async Task RequestAsync_TsaAnswers503_FailsWithServiceUnavailable()
    {
        await using var host = await LoopbackHost.StartAsync(null, app => app.MapPost("/tsa", (HttpContext c) =>
        {
            c.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return Task.CompletedTask;
        }));

        var result = await RequestAsync(host.BaseAddress);

        Assert.Equal(TrustFailure.ServiceUnavailable, result.Failure);
        Assert.Contains("503", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequestAsync_ReplyWithWrongContentType_FailsWithServiceUnavailable()
    {
        await using var host = await LoopbackHost.StartAsync(null, app => app.MapPost("/tsa", (HttpContext c) =>
        {
            c.Response.ContentType = "text/html";
            return c.Response.WriteAsync("<html>proxy error</html>");
        }));

        var result = await RequestAsync(host.BaseAddress);

        Assert.Equal(TrustFailure.ServiceUnavailable, result.Failure);
    }

    [Fact]
    public async Task RequestAsync_OversizeReply_FailsWithServiceUnavailable()
    {
        await using var host = await LoopbackHost.StartAsync(null, app => app.MapPost("/tsa", async (HttpContext c) =>
        {
            // No Content-Length: the client must stop reading by itself.
            c.Response.ContentType = TimeStampMediaTypes.Reply;
            for (var i = 0; i < 10; i++)
            {
                await c.Response.Body.WriteAsync(new byte[16 * 1024]);
                await c.Response.Body.FlushAsync();
            }
        }));

        var result = await RequestAsync(host.BaseAddress);

        Assert.Equal(TrustFailure.ServiceUnavailable, result.Failure);
        Assert.Contains("exceeds", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequestAsync_TsaNotListening_FailsWithServiceUnavailable()
    {
        Uri address;
        await using (var host = await LoopbackHost.StartAsync(null, _ => { }))
        {
            address = host.BaseAddress;
        }

        var result = await RequestAsync(address);

        Assert.Equal(TrustFailure.ServiceUnavailable, result.Failure);
    }

    [Fact]
    public async Task RequestAsync_TsaTooSlow_FailsWithServiceUnavailable()
    {
        using var release = new CancellationTokenSource();
        await using var host = await LoopbackHost.StartAsync(null, app => app.MapPost("/tsa", async (HttpContext c) =>
        {
            await Task.Delay(Timeout.Infinite, CancellationTokenSource.CreateLinkedTokenSource(release.Token, c.RequestAborted).Token).ContinueWith(_ => { }, TaskScheduler.Default);
        }));

        var result = await RequestAsync(host.BaseAddress, TimeSpan.FromMilliseconds(200));
        await release.CancelAsync();

        Assert.Equal(TrustFailure.ServiceUnavailable, result.Failure);
    }

    [Fact]
    public async Task RequestAsync_CallerCancels_Throws()
    {
        await using var host = await LoopbackHost.StartAsync(null, app => app.MapTimeStamping("/tsa", new TimeStampAuthority(_pki.Tsa, TimeProvider.System)));
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => RequestAsync(host.BaseAddress, cancellationToken: cts.Token));
    }

    [Fact]
    public async Task RequestAsync_TsaRefusesPolicy_FailsWithTimeStampRejected()
    {
        await using var host = await LoopbackHost.StartAsync(null, app => app.MapTimeStamping("/tsa", new TimeStampAuthority(_pki.Tsa, TimeProvider.System)));
        using var http = new HttpClient();
        var client = new TimeStampClient(http, new TimeStampVerifier(), new TimeStampClientOptions { Endpoint = new Uri(host.BaseAddress, "tsa"), PolicyOid = "1.2.3.4.5" });

        var result = await client.RequestAsync(Hash, HashAlgorithmName.SHA256, new TimeStampTrust(_pki.CreateValidator()));

        Assert.Equal(TrustFailure.TimeStampRejected, result.Failure);
        Assert.Contains("UnacceptedPolicy", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequestAsync_TsaFromUnknownCa_FailsAsUntrusted()
    {
        using var other = TestPki.Create(name: "Other");
        await using var host = await LoopbackHost.StartAsync(null, app => app.MapTimeStamping("/tsa", new TimeStampAuthority(other.Tsa, TimeProvider.System)));

        var result = await RequestAsync(host.BaseAddress);

        Assert.Equal(TrustFailure.UntrustedCertificate, result.Failure);
    }

    private async Task<VerificationResult<IssuedTimeStamp>> RequestAsync(Uri baseAddress, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        using var http = new HttpClient();
        var client = new TimeStampClient(http, new TimeStampVerifier(), new TimeStampClientOptions
        {
            Endpoint = new Uri(baseAddress, "tsa"),
            Timeout = timeout ?? TimeSpan.FromSeconds(10),
        });
        return await client.RequestAsync(Hash, HashAlgorithmName.SHA256, new TimeStampTrust(_pki.CreateValidator()), cancellationToken);
    }
}
