using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("ExchangeGateway.CentralServer.Tests")]
