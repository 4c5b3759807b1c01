namespace ExchangeGateway.LoadBench.Runner;

/// <summary>What the load sends: the REST exchange (any body, echoed), or X-Road 4.0 SOAP (<c>echoData</c>, its data echoed).</summary>
internal enum BenchProtocol
{
    REST,
    SOAP,
}
