namespace ExchangeGateway.Common.Errors;

/// <summary>
/// Who is to blame for an error, which is also the leading part of its code. X-Road clients branch
/// on this prefix, so the set is closed.
/// </summary>
public enum ErrorFamily
{
    /// <summary><c>client</c>: the calling information system sent something wrong.</summary>
    Client = 1,

    /// <summary><c>server.clientproxy</c>: the consumer's own security server failed.</summary>
    ServerClientProxy,

    /// <summary><c>server.serverproxy</c>: the provider's security server failed or refused.</summary>
    ServerServerProxy,

    /// <summary><c>server</c>: a server-side failure not tied to either proxy role (configuration, storage).</summary>
    Server,
}
