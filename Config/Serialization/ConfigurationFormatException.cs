namespace ExchangeGateway.Config.Serialization;

/// <summary>Thrown inside the reader only, and turned into a <see cref="Common.Results.ParseResult{T}"/> at its edge.</summary>
internal sealed class ConfigurationFormatException(string message) : Exception(message);
