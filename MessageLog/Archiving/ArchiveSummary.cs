namespace ExchangeGateway.MessageLog.Archiving;

/// <summary>One archive file a retention pass wrote.</summary>
/// <param name="Id">The archive's number.</param>
/// <param name="FirstSequence">Its first record.</param>
/// <param name="LastSequence">Its last record.</param>
/// <param name="FileName">The file in the archive directory.</param>
/// <param name="Bytes">The file's size.</param>
/// <param name="Bodies">Bodies carried into the archive.</param>
/// <param name="Encrypted">True when the bodies are encrypted.</param>
public sealed record ArchiveSummary(long Id, long FirstSequence, long LastSequence, string FileName, long Bytes, long Bodies, bool Encrypted)
{
    /// <summary>Records in the archive.</summary>
    public long Records => LastSequence - FirstSequence + 1;
}
