namespace ExchangeGateway.MessageLog.Records;

/// <summary>Which proxy of the security server wrote a record. The numeric values are part of the canonical encoding.</summary>
public enum RecordSide
{
    /// <summary>The client proxy: the server of the organisation that sent the request.</summary>
    Client = 1,

    /// <summary>The server proxy: the server of the organisation that provides the service.</summary>
    Server = 2,
}
