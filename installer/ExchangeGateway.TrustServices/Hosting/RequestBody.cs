namespace ExchangeGateway.TrustServices.Hosting;

/// <summary>Reads a request body into memory under a hard size cap, whatever the framing.</summary>
public static class RequestBody
{
    /// <summary>
    /// Reads at most <paramref name="maxBytes"/>. Returns null when the body is larger (the caller answers
    /// 413); a declared Content-Length over the cap is refused before anything is read.
    /// </summary>
    public static async Task<byte[]?> ReadBoundedAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ContentLength is { } declared && declared > maxBytes)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[Math.Min(maxBytes + 1, 8192)];
        while (true)
        {
            var read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return buffer.ToArray();
            }

            if (buffer.Length + read > maxBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }
    }
}
