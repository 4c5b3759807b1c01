using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace ExchangeGateway.Cli;

/// <summary>
/// The global options and the one place that runs a command: it resolves the URL, API key and PIN,
/// calls the API, prints the result (<c>--json</c>: the API JSON; otherwise short text), and maps every
/// failure to its exit code and its output (<c>code: detail</c> on standard error, or
/// <c>{code, message, status}</c> on standard output with <c>--json</c>).
/// </summary>
internal sealed class CliContext
{
    /// <summary>The default admin listener.</summary>
    public const string DefaultUrl = "http://127.0.0.1:4000";

    /// <summary>The PIN's environment variable.</summary>
    public const string PinVariable = "XGW_TOKEN_PIN";

    /// <summary>The new PIN's environment variable (<c>token change-pin</c>).</summary>
    public const string NewPinVariable = "XGW_NEW_TOKEN_PIN";

    private const int MaxSecretFileBytes = 4096;
    private static readonly JsonSerializerOptions ErrorJson = new() { WriteIndented = false };

    public CliContext(CliEnvironment environment)
    {
        Environment = environment;
    }

    public CliEnvironment Environment { get; }

    public Option<string?> Url { get; } = new("--url")
    {
        Description = $"The admin API's URL (default: $XGW_URL, else {DefaultUrl})",
        Recursive = true,
    };

    public Option<string?> ApiKey { get; } = new("--api-key")
    {
        Description = "The API key (default: $XGW_API_KEY); prefer --api-key-file, arguments are visible to other users",
        Recursive = true,
    };

    public Option<string?> ApiKeyFile { get; } = new("--api-key-file")
    {
        Description = "A file holding the API key",
        Recursive = true,
    };

    public Option<bool> Json { get; } = new("--json")
    {
        Description = "Print the API's JSON (errors as {code, message, status})",
        Recursive = true,
    };

    public Option<int> RequestTimeout { get; } = new("--request-timeout")
    {
        Description = "Seconds one HTTP request may take (default 100)",
        Recursive = true,
        DefaultValueFactory = _ => 100,
    };

    /// <summary>Adds the global options to the root command.</summary>
    public void AddGlobalOptions(RootCommand root)
    {
        root.Options.Add(Url);
        root.Options.Add(ApiKey);
        root.Options.Add(ApiKeyFile);
        root.Options.Add(Json);
        root.Options.Add(RequestTimeout);
    }

    /// <summary>Makes <paramref name="run"/> the action of <paramref name="command"/>; <paramref name="needsKey"/> false for endpoints without a key.</summary>
    public void SetAction(Command command, Func<Invocation, Task<CommandOutput>> run, bool needsKey = true) =>
        command.SetAction((parse, cancellationToken) => RunAsync(parse, run, needsKey, cancellationToken));

    /// <summary>Reads a PIN from <paramref name="pinFile"/> when given, else from <paramref name="variable"/>; never from an argument.</summary>
    public string ReadPin(ParseResult parse, Option<string?> pinFile, string variable)
    {
        if (parse.GetValue(pinFile) is { } path)
        {
            return ReadSecretFile(path, "PIN");
        }

        if (Environment.GetVariable(variable) is { Length: > 0 } pin)
        {
            return pin;
        }

        throw new CliUsageException($"The token PIN is needed: give {pinFile.Name} FILE or set {variable}.");
    }

    /// <summary>Reads a whole input file (certificate, description, backup); a missing or unreadable one is a usage error.</summary>
    public static byte[] ReadInputFile(string path, long maxBytes)
    {
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                throw new CliUsageException($"{path} does not exist.");
            }

            if (info.Length > maxBytes)
            {
                throw new CliUsageException(string.Create(CultureInfo.InvariantCulture, $"{path} is larger than {maxBytes} bytes."));
            }

            return File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliUsageException($"{path} cannot be read: {ex.Message}", ex);
        }
    }

    /// <summary>Opens an input file for streaming (backups); a missing or unreadable one is a usage error.</summary>
    public static FileStream OpenInputFile(string path)
    {
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliUsageException($"{path} cannot be read: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// Runs a download into the file at <paramref name="path"/> (created, never overwritten; removed again when the
    /// download is refused or breaks) or, without a path, to standard output.
    /// </summary>
    public async Task<CommandOutput> DownloadAsync(string? path, Func<Stream, Task<long>> download)
    {
        ArgumentNullException.ThrowIfNull(download);
        if (path is null)
        {
            var stdout = Environment.OpenStandardOutput();
            await using (stdout.ConfigureAwait(false))
            {
                await download(stdout).ConfigureAwait(false);
            }

            return CommandOutput.None;
        }

        var file = CreateOutputFile(path);
        long written;
        try
        {
            await using (file.ConfigureAwait(false))
            {
                written = await download(file).ConfigureAwait(false);
            }
        }
        catch
        {
            // A refused or broken download leaves no partial file behind.
            File.Delete(path);
            throw;
        }

        return CommandOutput.Of(default, string.Create(CultureInfo.InvariantCulture, $"Wrote {Human.Bytes(written)} to {path}."));
    }

    /// <summary>Creates an output file (downloads, mode 0600 on Unix); refuses to overwrite an existing file.</summary>
    public static FileStream CreateOutputFile(string path)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None, Options = FileOptions.Asynchronous };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            return new FileStream(path, options);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliUsageException($"{path} cannot be created: {ex.Message}", ex);
        }
    }

    /// <summary>Prints a usage failure the way every failure is printed; returns <see cref="ExitCodes.Usage"/>.</summary>
    public int Usage(bool json, string message) => Fail(json, "cli.usage", message, null, ExitCodes.Usage);

    private async Task<int> RunAsync(ParseResult parse, Func<Invocation, Task<CommandOutput>> run, bool needsKey, CancellationToken cancellationToken)
    {
        var json = parse.GetValue(Json);
        Uri url;
        string? key;
        int timeout;
        try
        {
            url = ResolveUrl(parse);
            key = ResolveKey(parse, needsKey);
            timeout = parse.GetValue(RequestTimeout);
            if (timeout is < 1 or > 86_400)
            {
                throw new CliUsageException("--request-timeout must be between 1 and 86400 seconds.");
            }
        }
        catch (CliUsageException ex)
        {
            return Usage(json, ex.Message);
        }

        using var http = Environment.Handler is { } handler ? new HttpClient(handler, disposeHandler: false) : new HttpClient();
        http.Timeout = TimeSpan.FromSeconds(timeout);
        var client = new AdminClient(http, url, key);
        try
        {
            var output = await run(new Invocation(this, parse, client, url, json, cancellationToken)).ConfigureAwait(false);
            if (json)
            {
                if (output.Json.ValueKind != JsonValueKind.Undefined)
                {
                    await Environment.Out.WriteLineAsync(output.Json.GetRawText()).ConfigureAwait(false);
                }
            }
            else if (output.Human is not null)
            {
                await Environment.Out.WriteLineAsync(output.Human).ConfigureAwait(false);
            }

            await Environment.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
            return ExitCodes.Ok;
        }
        catch (CliUsageException ex)
        {
            return Usage(json, ex.Message);
        }
        catch (AdminApiException ex)
        {
            var message = ex.RetryAfter is { } retry
                ? string.Create(CultureInfo.InvariantCulture, $"{ex.Message} (retry after {retry.TotalSeconds:0} s)")
                : ex.Message;
            return Fail(json, ex.Code, message, ex.Status, ExitCodes.Refused);
        }
        catch (WaitTimeoutException ex)
        {
            return Fail(json, "cli.timeout", ex.Message, null, ExitCodes.Unreachable);
        }
        catch (HttpRequestException ex)
        {
            return Fail(json, "cli.unreachable", $"cannot reach {url}: {ex.Message}", null, ExitCodes.Unreachable);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Fail(json, "cli.timeout", string.Create(CultureInfo.InvariantCulture, $"{url} did not answer within {timeout} s"), null, ExitCodes.Unreachable);
        }
        catch (InvalidDataException ex)
        {
            return Fail(json, "cli.bad_response", ex.Message, null, ExitCodes.Refused);
        }
    }

    private int Fail(bool json, string code, string message, int? status, int exitCode)
    {
        if (json)
        {
            var text = JsonSerializer.Serialize(new ErrorModel(code, message, status), ErrorJson);
            Environment.Out.WriteLine(text);
            Environment.Out.Flush();
        }
        else
        {
            Environment.Error.WriteLine($"{code}: {message}");
            Environment.Error.Flush();
        }

        return exitCode;
    }

    private Uri ResolveUrl(ParseResult parse)
    {
        var text = parse.GetValue(Url) ?? Environment.GetVariable("XGW_URL") ?? DefaultUrl;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps) || !string.IsNullOrEmpty(url.Query))
        {
            throw new CliUsageException($"The URL '{text}' is not an absolute http or https URL.");
        }

        return url;
    }

    private string? ResolveKey(ParseResult parse, bool needsKey)
    {
        var given = parse.GetValue(ApiKey);
        var file = parse.GetValue(ApiKeyFile);
        if (given is not null && file is not null)
        {
            throw new CliUsageException("Give either --api-key or --api-key-file, not both.");
        }

        var key = given ?? (file is not null ? ReadSecretFile(file, "API key") : Environment.GetVariable("XGW_API_KEY"));
        if (string.IsNullOrWhiteSpace(key))
        {
            if (needsKey)
            {
                throw new CliUsageException("An API key is needed: give --api-key-file FILE, --api-key KEY or set XGW_API_KEY.");
            }

            return null;
        }

        key = key.Trim();
        if (key.Any(c => char.IsControl(c) || c > '\u007e'))
        {
            throw new CliUsageException("The API key holds characters an HTTP header cannot carry.");
        }

        return key;
    }

    /// <summary>A small secret file: UTF-8, trailing line breaks removed (editors add one).</summary>
    private static string ReadSecretFile(string path, string what)
    {
        var bytes = ReadInputFile(path, MaxSecretFileBytes);
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes).TrimEnd('\r', '\n');
        }
        catch (DecoderFallbackException ex)
        {
            throw new CliUsageException($"{path} is not UTF-8 text.", ex);
        }

        return text.Length == 0 ? throw new CliUsageException($"{path} holds no {what}.") : text;
    }

    private sealed record ErrorModel(
        [property: System.Text.Json.Serialization.JsonPropertyName("code")] string Code,
        [property: System.Text.Json.Serialization.JsonPropertyName("message")] string Message,
        [property: System.Text.Json.Serialization.JsonPropertyName("status")] int? Status);
}

/// <summary>One running command: its parse result, the client, and the context's helpers.</summary>
internal sealed record Invocation(CliContext Cli, ParseResult Parse, AdminClient Client, Uri Url, bool Json, CancellationToken CancellationToken)
{
    public T Value<T>(Option<T> option) => Parse.GetValue(option)!;

    public T Value<T>(Argument<T> argument) => Parse.GetValue(argument)!;
}

/// <summary><c>xgw wait</c> gave up (exit code 3).</summary>
internal sealed class WaitTimeoutException(string message) : Exception(message);
