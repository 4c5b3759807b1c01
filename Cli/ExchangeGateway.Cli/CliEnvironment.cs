namespace ExchangeGateway.Cli;

/// <summary>What <c>xgw</c> reads from and writes to outside its arguments: output, environment variables, the HTTP stack. Tests replace it.</summary>
public sealed record CliEnvironment
{
    /// <summary>Standard output (results).</summary>
    public required TextWriter Out { get; init; }

    /// <summary>Standard error (refusals and usage errors in human mode).</summary>
    public required TextWriter Error { get; init; }

    /// <summary>Opens standard output as bytes, for downloads without <c>--out</c>.</summary>
    public required Func<Stream> OpenStandardOutput { get; init; }

    /// <summary>Reads an environment variable; null when unset.</summary>
    public required Func<string, string?> GetVariable { get; init; }

    /// <summary>The handler under the HTTP client; null for the default socket handler.</summary>
    public HttpMessageHandler? Handler { get; init; }

    /// <summary>The clock <c>xgw wait</c> measures its timeout with.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>The process's console and environment.</summary>
    public static CliEnvironment System { get; } = new()
    {
        Out = Console.Out,
        Error = Console.Error,
        OpenStandardOutput = Console.OpenStandardOutput,
        GetVariable = Environment.GetEnvironmentVariable,
    };
}
