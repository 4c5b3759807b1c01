namespace ExchangeGateway.SecurityServer.Registry;

/// <summary>Thrown inside the reader when the document breaks the format; it never leaves <see cref="LocalConfigurationSerializer"/>.</summary>
internal sealed class LocalConfigurationFormatException(string message) : Exception(message);
