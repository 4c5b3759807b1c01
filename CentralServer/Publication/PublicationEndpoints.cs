using System.Globalization;
using ExchangeGateway.Common.Crypto.Merkle;
using ExchangeGateway.Config.Signing;

namespace ExchangeGateway.CentralServer.Publication;

/// <summary>
/// The public download side (default port 4180): the latest signed configuration with revalidation
/// headers, any earlier generation by serial (immutable), and the publication log's checkpoint and
/// proofs. Nothing here needs authentication: everything is signed.
/// </summary>
public static class PublicationEndpoints
{
    /// <summary>Maps <c>/globalconf</c> and <c>/globalconf/log/*</c>.</summary>
    public static void MapPublication(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet("/globalconf", (HttpContext context, ConfigurationPublisher publisher) =>
        {
            var latest = publisher.Latest;
            if (latest is null)
            {
                return Results.Text("no configuration has been generated yet", statusCode: StatusCodes.Status503ServiceUnavailable);
            }

            var etag = $"\"{latest.ContentSha256}\"";
            var headers = context.Response.Headers;
            headers.ETag = etag;

            // Always revalidate: a cached copy may be valid for minutes, but a newer one must be seen at once.
            headers.CacheControl = "no-cache";
            headers.LastModified = latest.GeneratedAt.ToString("R", CultureInfo.InvariantCulture);
            headers["X-Configuration-Serial"] = latest.Serial.ToString(CultureInfo.InvariantCulture);
            if (context.Request.Headers.IfNoneMatch.Contains(etag))
            {
                return Results.StatusCode(StatusCodes.Status304NotModified);
            }

            return Results.Bytes(latest.Envelope, SignedConfigurationEnvelope.MediaType);
        });

        endpoints.MapGet("/globalconf/{serial:long}", (HttpContext context, long serial, PublicationStore store) =>
        {
            var found = store.Find(serial);
            if (found is null)
            {
                return Results.NotFound();
            }

            // A generation never changes once published.
            context.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
            context.Response.Headers.ETag = $"\"{found.ContentSha256}\"";
            return Results.Bytes(found.Envelope, SignedConfigurationEnvelope.MediaType);
        });

        endpoints.MapGet("/globalconf/log/checkpoint", (ConfigurationPublisher publisher) =>
        {
            var checkpoint = publisher.Checkpoint();
            return checkpoint is null
                ? Results.Text("no configuration has been generated yet", statusCode: StatusCodes.Status503ServiceUnavailable)
                : Results.Json(new
                {
                    treeSize = checkpoint.TreeSize,
                    rootHash = checkpoint.RootHash.ToString(),
                    signature = Convert.ToBase64String(checkpoint.Signature),
                    signedContent = Convert.ToBase64String(PublicationCheckpoint.SignedContent(checkpoint.TreeSize, checkpoint.RootHash)),
                });
        });

        endpoints.MapGet("/globalconf/log/consistency", (long from, long to, ConfigurationPublisher publisher) =>
        {
            var proof = publisher.ConsistencyProof(from, to);
            return proof is null
                ? Results.Problem(detail: "Sizes must satisfy 0 <= from <= to <= log size.", statusCode: StatusCodes.Status400BadRequest, extensions: Code("publication.invalid_range"))
                : Results.Json(new { from, to, proof = Hex(proof) });
        });

        endpoints.MapGet("/globalconf/log/inclusion", (long serial, long treeSize, ConfigurationPublisher publisher) =>
        {
            var proof = publisher.InclusionProof(serial, treeSize);
            return proof is not { } p
                ? Results.Problem(detail: "Unknown serial, or a tree size that does not include it.", statusCode: StatusCodes.Status400BadRequest, extensions: Code("publication.invalid_range"))
                : Results.Json(new { serial, treeSize, leafIndex = p.LeafIndex, proof = Hex(p.Proof) });
        });
    }

    private static string[] Hex(MerkleHash[] proof) => proof.Select(h => h.ToString()).ToArray();

    private static Dictionary<string, object?> Code(string code) => new() { ["code"] = code };
}
