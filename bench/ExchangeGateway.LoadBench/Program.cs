using ExchangeGateway.LoadBench;

return await LoadBenchApp.RunAsync(args, Console.Out, Console.Error);
