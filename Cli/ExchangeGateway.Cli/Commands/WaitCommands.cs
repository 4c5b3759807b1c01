using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using static ExchangeGateway.Cli.Commands.Symbols;

namespace ExchangeGateway.Cli.Commands;

/// <summary>
/// <c>xgw wait</c>: polls until a condition holds, for install scripts. Unreachable servers, 5xx and 429 are
/// retried until the timeout (a server may be restarting); any other refusal ends the wait at once (exit 1).
/// The timeout ends it with exit 3.
/// </summary>
internal static class WaitCommands
{
    public const int MaxTimeoutSeconds = 3600;

    public static Command Wait(CliContext cli)
    {
        var auth = Command("auth-registered", "Wait until an authentication certificate of the token is registered (the global configuration lists it)");
        Bind(cli, auth, async (i, ct) =>
        {
            var token = await i.Client.GetTokenAsync(ct).ConfigureAwait(false);
            var registered = Human.Items(token, "keys")
                .Where(k => Human.Normalise(Human.Get(k, "usage")) == "authentication")
                .SelectMany(k => Human.Items(k, "certificates"))
                .FirstOrDefault(c => Human.Normalise(Human.Get(c, "state")) == "registered");
            var states = string.Join(", ", Human.Items(token, "keys").SelectMany(k => Human.Items(k, "certificates")).Select(c => Human.Get(c, "state")));
            return registered.ValueKind == JsonValueKind.Object
                ? (true, token, $"Authentication certificate {Human.Get(registered, "id")} is registered.")
                : (false, token, states.Length == 0 ? "the token has no certificate" : "certificate states: " + states);
        });

        var clientId = Arg("client-id", "The client");
        var client = Command("client-registered", "Wait until a client is registered", clientId);
        Bind(cli, client, async (i, ct) =>
        {
            var json = await i.Client.GetClientAsync(i.Value(clientId), ct).ConfigureAwait(false);
            var status = Human.Get(json, "status");
            return Human.Normalise(status) == "registered"
                ? (true, json, $"Client {i.Value(clientId)} is registered.")
                : (false, json, "client status: " + status);
        });

        var ready = Command("ready", "Wait until the server reports ready (/health/ready)");
        Bind(cli, ready, needsKey: false, check: async (i, ct) =>
        {
            var response = await i.Client.GetReadinessAsync(ct).ConfigureAwait(false);
            return response.Status == 200
                ? (true, response.Json, "The server is ready.")
                : (false, response.Json, "not ready: " + Human.Get(response.Json, "reasons"));
        });

        return Group("wait", "Wait for a state (for install scripts)", auth, client, ready);
    }

    private static void Bind(CliContext cli, Command command, Func<Invocation, CancellationToken, Task<(bool Done, JsonElement Json, string Text)>> check, bool needsKey = true)
    {
        var timeout = new Option<int>("--timeout") { Description = "Give up after this many seconds (default 120, at most 3600)", DefaultValueFactory = _ => 120 };
        var interval = new Option<double>("--interval") { Description = "Seconds between polls (default 2)", DefaultValueFactory = _ => 2 };
        command.Options.Add(timeout);
        command.Options.Add(interval);
        cli.SetAction(command, i => PollAsync(i, check, i.Value(timeout), i.Value(interval)), needsKey);
    }

    private static async Task<CommandOutput> PollAsync(Invocation i, Func<Invocation, CancellationToken, Task<(bool Done, JsonElement Json, string Text)>> check, int timeoutSeconds, double intervalSeconds)
    {
        if (timeoutSeconds is < 1 or > MaxTimeoutSeconds)
        {
            throw new CliUsageException($"--timeout must be between 1 and {MaxTimeoutSeconds} seconds.");
        }

        if (intervalSeconds is < 0.05 or > 600 || double.IsNaN(intervalSeconds))
        {
            throw new CliUsageException("--interval must be between 0.05 and 600 seconds.");
        }

        var time = i.Cli.Environment.Time;
        var started = time.GetTimestamp();
        var limit = TimeSpan.FromSeconds(timeoutSeconds);
        var last = "no answer yet";
        using var deadline = new CancellationTokenSource(limit, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, i.CancellationToken);
        while (true)
        {
            try
            {
                var (done, json, text) = await check(i, linked.Token).ConfigureAwait(false);
                if (done)
                {
                    return CommandOutput.Of(json, text);
                }

                last = text;
            }
            catch (HttpRequestException ex)
            {
                last = "unreachable: " + ex.Message;
            }
            catch (AdminApiException ex) when (ex.Status is >= 500 or 429)
            {
                last = $"{ex.Code}: {ex.Message}";
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !i.CancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (TaskCanceledException) when (!i.CancellationToken.IsCancellationRequested)
            {
                last = "the request timed out";
            }

            var remaining = limit - time.GetElapsedTime(started);
            if (remaining <= TimeSpan.Zero)
            {
                break;
            }

            try
            {
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(intervalSeconds, remaining.TotalSeconds)), time, linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !i.CancellationToken.IsCancellationRequested)
            {
                break;
            }
        }

        throw new WaitTimeoutException(string.Create(CultureInfo.InvariantCulture, $"gave up after {timeoutSeconds} s; {last}"));
    }
}
