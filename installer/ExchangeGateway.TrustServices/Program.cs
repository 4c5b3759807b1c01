var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();
app.MapGet("/health/live", () => Results.Text("live"));
await app.RunAsync().ConfigureAwait(false);
