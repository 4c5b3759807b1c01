namespace ExchangeGateway.CentralServer.Management;

/// <summary>A request whose signatures, owner and freshness were checked; ready to store.</summary>
/// <param name="Content">What it says.</param>
/// <param name="OwnerSigner">The subject of the owner's signing certificate.</param>
/// <param name="Request">The exact signed bytes.</param>
/// <param name="OwnerSignature">The owner's detached CMS signature.</param>
/// <param name="AuthSignature">The authentication key's detached CMS signature (auth-cert registration).</param>
internal sealed record VerifiedManagementRequest(
    ManagementRequestContent Content,
    string OwnerSigner,
    byte[] Request,
    byte[] OwnerSignature,
    byte[]? AuthSignature);
