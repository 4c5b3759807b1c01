namespace ExchangeGateway.MessageLog.Search;

/// <summary>Where a record's body is (<c>record.body_state</c> and whether <c>body</c> is NULL).</summary>
public enum BodyLocation
{
    /// <summary>The body is stored in the live log.</summary>
    Present = 1,

    /// <summary>Body logging was off for the service: only its digest and length were logged.</summary>
    NotLogged = 2,

    /// <summary>Body retention erased it; the digest and the leaf stay.</summary>
    Erased = 3,

    /// <summary>The record's content moved to an archive file.</summary>
    Archived = 4,
}
