using ExchangeGateway.TrustServices.Hosting;

var app = TrustServicesHost.Build(args);
await app.RunAsync().ConfigureAwait(false);
