namespace ExchangeGateway.Common.Errors;

/// <summary>
/// One known error suffix (the part after the family, e.g. <c>access_denied</c>). Instances exist only
/// in <see cref="ErrorCatalog"/> so that the vocabulary is defined in one place.
/// </summary>
public sealed record ErrorCatalogEntry
{
    internal ErrorCatalogEntry(string suffix, string description, ErrorFamilies families)
    {
        // A typo here would silently mint a new public error code; fail at type initialisation instead.
        if (!ErrorCode.IsSnakeSegment(suffix))
        {
            throw new ArgumentException($"Catalogue suffix '{suffix}' is not a snake_case segment.", nameof(suffix));
        }

        if (families == ErrorFamilies.None)
        {
            throw new ArgumentException("A catalogue entry must allow at least one family.", nameof(families));
        }

        Suffix = suffix;
        Description = description;
        Families = families;
    }

    /// <summary>The snake_case suffix, e.g. <c>outdated_global_conf</c>.</summary>
    public string Suffix { get; }

    /// <summary>What the error means, for operators and documentation.</summary>
    public string Description { get; }

    /// <summary>The families this suffix may be combined with.</summary>
    public ErrorFamilies Families { get; }

    /// <summary>True when the suffix may appear under <paramref name="family"/>.</summary>
    public bool AllowsFamily(ErrorFamily family) => (Families & ErrorCatalog.FlagOf(family)) != 0;

    /// <inheritdoc />
    public override string ToString() => Suffix;
}
