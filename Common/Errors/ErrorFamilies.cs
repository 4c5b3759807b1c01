namespace ExchangeGateway.Common.Errors;

/// <summary>The set of <see cref="ErrorFamily"/> values a catalogue suffix may be combined with.</summary>
[Flags]
public enum ErrorFamilies
{
    /// <summary>No family; never used by a catalogue entry.</summary>
    None = 0,

    /// <summary><see cref="ErrorFamily.Client"/>.</summary>
    Client = 1 << 0,

    /// <summary><see cref="ErrorFamily.ServerClientProxy"/>.</summary>
    ServerClientProxy = 1 << 1,

    /// <summary><see cref="ErrorFamily.ServerServerProxy"/>.</summary>
    ServerServerProxy = 1 << 2,

    /// <summary><see cref="ErrorFamily.Server"/>.</summary>
    Server = 1 << 3,

    /// <summary>Either proxy role.</summary>
    Proxies = ServerClientProxy | ServerServerProxy,

    /// <summary>Every <c>server.*</c> family.</summary>
    AnyServer = Proxies | Server,

    /// <summary>Every family.</summary>
    All = Client | AnyServer,
}
