using ExchangeGateway.Common.Results;
using ExchangeGateway.Config.Client;
using ExchangeGateway.Config.Tests.Support;
using ExchangeGateway.Testing.Time;
using ExchangeGateway.Testing.Tools;

namespace ExchangeGateway.Config.Tests.Client;

[CollectionDefinition(nameof(MemoryMeasurement), DisableParallelization = true)]
public sealed class MemoryMeasurement;

[Collection(nameof(MemoryMeasurement))]
public sealed class ConfigurationClientMemoryTests
{
    [Fact]
    public async Task PollOnceAsync_HundredMegabyteStreamedBody_RejectedWithoutBufferingIt()
    {
        const long total = 100L * 1024 * 1024;
        long sent = 0;
        var time = new ManualTimeProvider(Samples.Start.AddMinutes(1));
        using var key = Samples.CreateSigningCertificate("conf-signing", Samples.Start);
        using var storage = new TempDirectory();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        await using var server = await FakeCentralServer.StartAsync();
        server.Handle(async ctx =>
        {
            // Chunked (no Content-Length), from one reused buffer: the fake never holds 100 MB either.
            var buffer = new byte[64 * 1024];
            Array.Fill(buffer, (byte)'A');
            try
            {
                while (sent < total && !ctx.RequestAborted.IsCancellationRequested)
                {
                    await ctx.Response.Body.WriteAsync(buffer, ctx.RequestAborted);
                    Interlocked.Add(ref sent, buffer.Length);
                }
            }
            catch (OperationCanceledException)
            {
            }
            catch (IOException)
            {
            }
        });
        using var client = new ConfigurationClient(Samples.Anchor("EE", [server.Url], key), http, new ConfigurationClientOptions { StorageDirectory = storage.Path }, time);

        var before = GC.GetTotalAllocatedBytes(precise: true);
        var result = await client.PollOnceAsync();
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        Assert.Equal(TrustFailure.DocumentTooLarge, result.Failure);
        Assert.Null(client.Current);
        // The cap is ~13.7 MB; reading up to it allocates about that much. 100 MB would mean buffering it all.
        Assert.True(allocated < 48L * 1024 * 1024, $"allocated {allocated} bytes");

        // Not asserted: how much the fake wrote. Kestrel completes writes to a connection the client has
        // dropped without always signalling RequestAborted, so its count is no measure of bytes received.
    }
}
