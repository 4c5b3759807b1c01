using ExchangeGateway.Common.Errors;

namespace ExchangeGateway.SecurityServer.Metaservices;

/// <summary>Maps a <see cref="MetaserviceError"/> to its catalogue entry.</summary>
public static class MetaserviceErrors
{
    /// <summary>The error catalogue suffix, e.g. <c>unknown_service</c>; prefix it with the deciding side's family.</summary>
    public static string Suffix(MetaserviceError error) => Entry(error).Suffix;

    /// <summary>The error catalogue entry.</summary>
    public static ErrorCatalogEntry Entry(MetaserviceError error) => error switch
    {
        MetaserviceError.UnknownService => ErrorCatalog.UnknownService,
        MetaserviceError.AccessDenied => ErrorCatalog.AccessDenied,
        _ => throw new ArgumentOutOfRangeException(nameof(error), error, null),
    };
}
