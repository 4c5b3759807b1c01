namespace ExchangeGateway.Common.Exchange;

/// <summary>One HTTP header line carried inside a signed head: the name in lower case, the value as received.</summary>
/// <param name="Name">The header name, lower case (HTTP names are case-insensitive; one spelling keeps the head canonical).</param>
/// <param name="Value">The value; never contains CR, LF or NUL (<see cref="HeaderPolicy.IsSafeValue"/>).</param>
public readonly record struct MessageHeader(string Name, string Value);
