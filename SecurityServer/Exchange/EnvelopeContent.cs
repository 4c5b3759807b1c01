using System.Net;
using System.Net.Http.Headers;
using ExchangeGateway.Common.Exchange;

namespace ExchangeGateway.SecurityServer.Exchange;

/// <summary>An envelope as an HTTP body: the prefix, then the body straight from its buffer (no copy).</summary>
internal sealed class EnvelopeContent : HttpContent
{
    private static readonly MediaTypeHeaderValue EnvelopeType = new(EnvelopeFrame.MediaType);
    private readonly byte[] _prefix;
    private readonly ReadOnlyMemory<byte> _body;

    public EnvelopeContent(byte[] prefix, ReadOnlyMemory<byte> body)
    {
        _prefix = prefix;
        _body = body;
        Headers.ContentType = EnvelopeType;
    }

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        await stream.WriteAsync(_prefix, cancellationToken).ConfigureAwait(false);
        if (!_body.IsEmpty)
        {
            await stream.WriteAsync(_body, cancellationToken).ConfigureAwait(false);
        }
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override bool TryComputeLength(out long length)
    {
        length = _prefix.Length + _body.Length;
        return true;
    }
}
