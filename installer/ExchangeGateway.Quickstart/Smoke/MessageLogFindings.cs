namespace ExchangeGateway.Quickstart.Smoke;

/// <summary>What <see cref="MessageLogProbe"/> found for one exchange on one security server.</summary>
internal sealed record MessageLogFindings(int Requests, int Responses, IReadOnlySet<long> Sides, string? Problem)
{
    public bool HasRequestAndResponse => Requests >= 1 && Responses >= 1;

    public override string ToString() =>
        Problem ?? (Requests + Responses == 0 ? "no record with that X-Road-Id" : $"{Requests} request and {Responses} response record(s), written by the {string.Join(" and ", Sides.Select(s => s == 1 ? "client proxy" : s == 2 ? "server proxy" : $"side {s}"))}");
}
