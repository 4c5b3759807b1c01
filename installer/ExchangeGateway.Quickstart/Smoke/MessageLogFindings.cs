namespace ExchangeGateway.Quickstart.Smoke;

/// <summary>What <see cref="MessageLogProbe"/> found for one exchange on one security server.</summary>
internal sealed record MessageLogFindings(int Requests, int Responses, int Unclassified, IReadOnlyList<string> Databases)
{
    /// <summary>A request and a response record; or, where the schema does not say which is which, at least two records.</summary>
    public bool HasRequestAndResponse => (Requests >= 1 && Responses >= 1) || (Unclassified > 0 && Requests + Responses + Unclassified >= 2);

    public override string ToString() =>
        Databases.Count == 0
            ? "no SQLite database under the data folder"
            : $"{Requests} request, {Responses} response, {Unclassified} other record(s) in {string.Join(", ", Databases)}";
}
