using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using ExchangeGateway.MessageLog.Verification;
using ExchangeGateway.SecurityServer.Tests.Exchange;
using Xunit.Abstractions;
using Microsoft.Data.Sqlite;

namespace ExchangeGateway.SecurityServer.Tests.Processes;

/// <summary>
/// T3 (RELIABILITY.md row 38): security servers run as separate processes, and one of them is killed with
/// SIGKILL at a random moment under load, again and again. No acknowledged exchange may be missing from
/// either message log afterwards, and both logs' trees verify. Bounded: at most 10 rounds and 75 s.
/// </summary>
public sealed class SigkillTests : IClassFixture<ProcessFederation>
{
    private const int Workers = 6;
    private readonly ProcessFederation _f;
    private readonly ITestOutputHelper _output;

    public SigkillTests(ProcessFederation federation, ITestOutputHelper output)
    {
        _f = federation;
        _output = output;
    }

    [Fact]
    public async Task SigkillDuringLoad_LosesNoAcknowledgedMessage_AndBothLogsVerify()
    {
        var acknowledged = new ConcurrentBag<string>();
        var failed = 0;
        var random = new Random(20261121);
        var clock = Stopwatch.StartNew();
        var rounds = 0;
        for (; rounds < 10 && clock.Elapsed < TimeSpan.FromSeconds(75); rounds++)
        {
            var victim = rounds % 2 == 0 ? "ss2" : "ss1";
            using var stop = new CancellationTokenSource();
            var load = Enumerable.Range(0, Workers).Select(_ => LoadAsync(acknowledged, () => Interlocked.Increment(ref failed), stop.Token)).ToArray();
            await Task.Delay(random.Next(100, 1500));
            _f.Process(victim).KillHard();
            await Task.Delay(300);
            await stop.CancelAsync();
            await Task.WhenAll(load);

            _f.Process(victim).Start();
            try
            {
                await Federation.WaitReadyAsync(victim == "ss1" ? _f.Ports1 : _f.Ports2);
            }
            catch (TimeoutException ex)
            {
                throw new TimeoutException($"{ex.Message}; {victim} log: {_f.Process(victim).LogTail()}", ex);
            }
        }

        _output.WriteLine($"{rounds} rounds in {clock.Elapsed.TotalSeconds:F0} s: {acknowledged.Count} exchanges acknowledged, {failed} interrupted");
        Assert.True(acknowledged.Count > 0, "no exchange was acknowledged at all");
        Assert.True(failed > 0, "the kills never interrupted an exchange; the test proved nothing");

        var ss1 = Records("ss1");
        var ss2 = Records("ss2");
        var missing = acknowledged.Where(id => ss1.GetValueOrDefault(id) < 2 || ss2.GetValueOrDefault(id) < 2).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} of {acknowledged.Count} acknowledged exchanges are missing a record, e.g. {missing.FirstOrDefault()}; ss1 log: {_f.Process("ss1").LogTail()}; ss2 log: {_f.Process("ss2").LogTail()}");

        foreach (var server in new[] { "ss1", "ss2" })
        {
            var verdict = MessageLogVerifier.Verify(Database(server), new MessageLogVerifierOptions());
            Assert.True(verdict.IsValid, $"{server}: {verdict.Failure} at {verdict.Sequence}: {verdict.Message}");
        }
    }

    private async Task LoadAsync(ConcurrentBag<string> acknowledged, Action onFailure, CancellationToken stop)
    {
        using var http = new HttpClient { BaseAddress = _f.ClientProxy.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        while (!stop.IsCancellationRequested)
        {
            var id = Guid.NewGuid().ToString();
            using var request = new HttpRequestMessage(HttpMethod.Post, $"r1/{Federation.ProviderSubsystem}/echo/kill")
            {
                Content = new ByteArrayContent(new byte[512]),
            };
            request.Headers.Add("X-Road-Client", Federation.Consumer);
            request.Headers.Add("X-Road-Id", id);
            try
            {
                using var response = await http.SendAsync(request, CancellationToken.None);
                await response.Content.ReadAsByteArrayAsync(CancellationToken.None);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    acknowledged.Add(id);
                    continue;
                }
            }
            catch (HttpRequestException)
            {
                // The client's own server was killed mid-exchange: not acknowledged.
            }
            catch (TaskCanceledException)
            {
            }

            onFailure();
            await Task.Delay(20, CancellationToken.None);
        }
    }

    private string Database(string server) => Path.Combine(_f.DataDirectory(server), "messagelog.db");

    private Dictionary<string, int> Records(string server)
    {
        using var connection = new SqliteConnection($"Data Source={Database(server)};Mode=ReadOnly");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT message_id, COUNT(*) FROM record WHERE error_code IS NULL GROUP BY message_id";
        using var reader = command.ExecuteReader();
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        while (reader.Read())
        {
            counts[reader.GetString(0)] = Convert.ToInt32(reader.GetInt64(1), CultureInfo.InvariantCulture);
        }

        return counts;
    }
}
