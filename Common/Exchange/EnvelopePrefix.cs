namespace ExchangeGateway.Common.Exchange;

/// <summary>The parts of an envelope that come before the body (<see cref="EnvelopeFrame"/>).</summary>
/// <param name="Head">The canonical head bytes (<see cref="HeadCodec"/>).</param>
/// <param name="Signature">The encoded batch signature over the head's signing digest.</param>
/// <param name="SigningOcsp">The DER OCSP response for the signing certificate, stapled by the sender.</param>
/// <param name="AuthenticationOcsp">The DER OCSP response for the sender's TLS authentication certificate.</param>
public sealed record EnvelopePrefix(byte[] Head, byte[] Signature, byte[] SigningOcsp, byte[] AuthenticationOcsp);
