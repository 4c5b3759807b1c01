using ExchangeGateway.SecurityServer.Hosting;

var app = SecurityServerHost.Build(args);
await app.RunAsync().ConfigureAwait(false);
