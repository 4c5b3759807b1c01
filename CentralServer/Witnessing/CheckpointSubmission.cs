namespace ExchangeGateway.CentralServer.Witnessing;

/// <summary>
/// The body POSTed to <c>/witness/v1/checkpoints</c>: a security server's newest time-stamped checkpoint and
/// the RFC 6962 consistency proof from the checkpoint the Central Server last witnessed for it.
/// </summary>
/// <param name="Server">The security server's canonical id.</param>
/// <param name="Checkpoint">The checkpoint's canonical bytes (MessageLog's <c>Checkpoint.Encode</c>), base64.</param>
/// <param name="Signature">Detached CMS over those bytes by the server owner's signing certificate, base64.</param>
/// <param name="TimeStampToken">RFC 3161 token over SHA-256 of the signature's DER, base64.</param>
/// <param name="FromSize">The tree size last witnessed for the server (0 when none), as <c>GET …/latest</c> answered.</param>
/// <param name="Consistency">The proof from <paramref name="FromSize"/> to the checkpoint's size, 64 lower-case hex digits per hash.</param>
internal sealed record CheckpointSubmission(string Server, string Checkpoint, string Signature, string TimeStampToken, long FromSize, IReadOnlyList<string> Consistency);
