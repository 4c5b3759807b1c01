namespace ExchangeGateway.CentralServer.Hosting;

/// <summary>The Central Server's log events, with stable ids (2000–2999). Never secrets, never bodies.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Created Central Server database for instance {InstanceId} in {DataDirectory}")]
    internal static partial void Initialised(ILogger logger, string instanceId, string dataDirectory);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "Central Server for instance {InstanceId} starting; registry version {Version}, database {DatabasePath}")]
    internal static partial void Starting(ILogger logger, string instanceId, long version, string databasePath);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Warning, Message = "Created the initial system-administrator API key {KeyId}; it was printed to standard output once")]
    internal static partial void InitialKeyCreated(ILogger logger, string keyId);

    [LoggerMessage(EventId = 2201, Level = LogLevel.Information, Message = "Registry change {Action} by API key {KeyId}")]
    internal static partial void Changed(ILogger logger, string action, string keyId);

    [LoggerMessage(EventId = 2202, Level = LogLevel.Information, Message = "Registry change {Action} refused: {Code}")]
    internal static partial void ChangeRefused(ILogger logger, string action, string code);

    [LoggerMessage(EventId = 2301, Level = LogLevel.Warning, Message = "API key {KeyId} with roles {Roles} created by {CreatedBy}")]
    internal static partial void ApiKeyCreated(ILogger logger, string keyId, string roles, string createdBy);

    [LoggerMessage(EventId = 2302, Level = LogLevel.Warning, Message = "API key {KeyId} revoked by {RevokedBy}")]
    internal static partial void ApiKeyRevoked(ILogger logger, string keyId, string revokedBy);

    [LoggerMessage(EventId = 2901, Level = LogLevel.Error, Message = "Unhandled failure in {Method} {Path}")]
    internal static partial void Unhandled(ILogger logger, Exception exception, string method, string path);
}
