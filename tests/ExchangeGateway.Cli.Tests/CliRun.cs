using System.Text;
using System.Text.Json;

namespace ExchangeGateway.Cli.Tests;

/// <summary>What one in-process run of <c>xgw</c> produced.</summary>
internal sealed record CliResult(int ExitCode, string Out, string Error, byte[] StandardOutputBytes)
{
    public JsonElement OutJson()
    {
        using var document = JsonDocument.Parse(Out);
        return document.RootElement.Clone();
    }
}

/// <summary>Runs <c>xgw</c> in-process with captured output and a given environment (nothing from the real one).</summary>
internal static class CliRun
{
    public static async Task<CliResult> RunAsync(IReadOnlyDictionary<string, string>? variables, params string[] args)
    {
        var output = new StringWriter { NewLine = "\n" };
        var error = new StringWriter { NewLine = "\n" };
        var bytes = new MemoryStream();
        var environment = new CliEnvironment
        {
            Out = output,
            Error = error,
            OpenStandardOutput = () => new NonClosingStream(bytes),
            GetVariable = name => variables is not null && variables.TryGetValue(name, out var v) ? v : null,
        };
        var code = await Xgw.RunAsync(args, environment);
        return new CliResult(code, output.ToString(), error.ToString(), bytes.ToArray());
    }

    public static Task<CliResult> RunAsync(StubAdminApi stub, params string[] args) =>
        RunAsync(new Dictionary<string, string> { ["XGW_URL"] = stub.Url.ToString(), ["XGW_API_KEY"] = "test-key" }, args);

    public static Task<CliResult> RunAsync(StubAdminApi stub, IReadOnlyDictionary<string, string> extra, params string[] args)
    {
        var variables = new Dictionary<string, string> { ["XGW_URL"] = stub.Url.ToString(), ["XGW_API_KEY"] = "test-key" };
        foreach (var (k, v) in extra)
        {
            variables[k] = v;
        }

        return RunAsync(variables, args);
    }

    private sealed class NonClosingStream(Stream inner) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => inner.Length;

        public override long Position { get => inner.Position; set => throw new NotSupportedException(); }

        public override void Flush() => inner.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);
    }
}

/// <summary>A temporary directory removed after the test.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "xgw-cli-tests-" + Guid.NewGuid().ToString("N"));

    public string File(string name, string content)
    {
        var path = System.IO.Path.Combine(Path, name);
        System.IO.File.WriteAllText(path, content, new UTF8Encoding(false));
        return path;
    }

    public string File(string name, byte[] content)
    {
        var path = System.IO.Path.Combine(Path, name);
        System.IO.File.WriteAllBytes(path, content);
        return path;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
