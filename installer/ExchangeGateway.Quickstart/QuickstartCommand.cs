namespace ExchangeGateway.Quickstart;

/// <summary>The command line: what to run and where its state goes.</summary>
internal sealed record QuickstartCommand(QuickstartMode Mode, bool Headless, string StateDirectory, string EchoUrl)
{
    public const string Usage = """
        usage: quickstart [--smoke | --headless] [--state-dir DIR]
               quickstart echo [--urls URL] [--headless]

          (no option)   start the federation, print its URLs and a curl example, run until Ctrl-C
          --smoke       start it, run one REST and one SOAP exchange, check them and both message logs, stop; exit 0 or 1
          --headless    start it, print "READY <federation.json>", run until standard input closes or a signal
          --state-dir   where the state goes (default .xgw/quickstart; wiped and recreated on every run)
          echo          run only the echo provider (default --urls http://127.0.0.1:9000; port 0 picks one)
        """;

    /// <summary>Parses the arguments; null (after printing why) when they are not understood.</summary>
    public static QuickstartCommand? Parse(string[] args, TextWriter error)
    {
        var mode = QuickstartMode.Interactive;
        var headless = false;
        var stateDirectory = Path.Combine(".xgw", "quickstart");
        var echoUrl = "http://127.0.0.1:9000";
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "echo" when i == 0:
                    mode = QuickstartMode.Echo;
                    break;
                case "--smoke" when mode == QuickstartMode.Interactive:
                    mode = QuickstartMode.Smoke;
                    break;
                case "--headless":
                    headless = true;
                    break;
                case "--state-dir" when i + 1 < args.Length:
                    stateDirectory = args[++i];
                    break;
                case "--urls" when i + 1 < args.Length && mode == QuickstartMode.Echo:
                    echoUrl = args[++i];
                    break;
                case "-h" or "--help":
                    error.WriteLine(Usage);
                    return null;
                default:
                    error.WriteLine($"quickstart: unexpected argument '{args[i]}'");
                    error.WriteLine(Usage);
                    return null;
            }
        }

        if (mode == QuickstartMode.Smoke && headless)
        {
            error.WriteLine("quickstart: --smoke and --headless do not go together");
            error.WriteLine(Usage);
            return null;
        }

        return new QuickstartCommand(mode, headless, stateDirectory, echoUrl);
    }
}
