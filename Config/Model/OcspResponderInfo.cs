namespace ExchangeGateway.Config.Model;

/// <summary>An OCSP responder (RFC 6960) of an approved CA.</summary>
public sealed record OcspResponderInfo
{
    /// <summary>Creates a responder entry.</summary>
    /// <param name="url">Absolute http(s) URL of the responder.</param>
    /// <param name="certificate">DER of the responder's certificate when it is pinned; empty when the CA signs responses itself or delegates by EKU.</param>
    public OcspResponderInfo(string url, ReadOnlyMemory<byte> certificate = default)
    {
        Url = url;
        Certificate = certificate;
    }

    /// <summary>The responder URL.</summary>
    public string Url { get; init => field = value ?? throw new ArgumentNullException(nameof(Url)); }

    /// <summary>DER of the responder certificate, or empty when none is configured.</summary>
    public ReadOnlyMemory<byte> Certificate { get; init => field = Frozen.Bytes(value); }

    /// <summary>True when a responder certificate is configured.</summary>
    public bool HasCertificate => !Certificate.IsEmpty;
}
