namespace ExchangeGateway.SecurityServer.Metaservices;

/// <summary>Why a metaservice answered nothing; the caller maps it to its X-Road error (<see cref="MetaserviceErrors.Suffix"/>).</summary>
public enum MetaserviceError
{
    /// <summary>The provider is not hosted here, or has no such service of the right type, or no document for it (<c>unknown_service</c>).</summary>
    UnknownService,

    /// <summary>The caller may not call the service whose document it asked for (<c>access_denied</c>).</summary>
    AccessDenied,
}
