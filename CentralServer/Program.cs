var app = WebApplication.CreateBuilder(args).Build();
app.MapGet("/health/live", () => Results.Text("live"));
await app.RunAsync().ConfigureAwait(false);
