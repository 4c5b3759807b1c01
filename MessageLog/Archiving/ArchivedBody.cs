namespace ExchangeGateway.MessageLog.Archiving;

/// <summary>The body byte of a records-part entry.</summary>
internal enum ArchivedBody : byte
{
    /// <summary>Body logging was off: no body.</summary>
    NotLogged = 0,

    /// <summary>Erased by body retention before archiving: no body.</summary>
    Erased = 1,

    /// <summary>u64 length, then the body.</summary>
    Plain = 2,

    /// <summary>u64 length, then the AES-256-GCM ciphertext (as long as the body), then the 16-byte tag.</summary>
    Encrypted = 3,
}
