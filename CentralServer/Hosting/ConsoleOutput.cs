namespace ExchangeGateway.CentralServer.Hosting;

/// <summary>
/// Where one-time secrets (the initial administrator key) are printed: standard output, never a log.
/// Tests replace it to capture what an operator would see.
/// </summary>
/// <param name="writer">The writer; <see cref="Console.Out"/> in production.</param>
public sealed class ConsoleOutput(TextWriter writer)
{
    /// <summary>Standard output.</summary>
    public static ConsoleOutput Standard => new(Console.Out);

    /// <summary>The writer.</summary>
    public TextWriter Writer { get; } = writer;

    /// <summary>Prints a newly created key with instructions.</summary>
    public void PrintKey(string heading, string keyId, string roles, string key)
    {
        Writer.WriteLine();
        Writer.WriteLine("==================================================================");
        Writer.WriteLine(heading);
        Writer.WriteLine($"  key id : {keyId}");
        Writer.WriteLine($"  roles  : {roles}");
        Writer.WriteLine($"  API key: {key}");
        Writer.WriteLine("This key is shown once and stored only as a hash. Keep it safe;");
        Writer.WriteLine("send it as 'Authorization: X-Api-Key <key>'.");
        Writer.WriteLine("==================================================================");
        Writer.WriteLine();
        Writer.Flush();
    }
}
