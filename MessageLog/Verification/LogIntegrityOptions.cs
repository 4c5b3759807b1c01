using ExchangeGateway.Common.Crypto.Cms;
using ExchangeGateway.Common.Crypto.TimeStamping;
using ExchangeGateway.MessageLog.Integration;

namespace ExchangeGateway.MessageLog.Verification;

/// <summary>The trust material and bounds of one <see cref="LogIntegrityVerifier"/> run.</summary>
public sealed record LogIntegrityOptions
{
    /// <summary>The default bound on records per run.</summary>
    public const int DefaultMaxRecords = 100_000;

    /// <summary>The default bound on checkpoints per run.</summary>
    public const int DefaultMaxCheckpoints = 1_000;

    /// <summary>The default bound on body bytes hashed per run: 256 MiB.</summary>
    public const long DefaultMaxBodyBytes = 256L * 1024 * 1024;

    /// <summary>When set, every checkpoint must name this server id.</summary>
    public string? ServerId { get; init; }

    /// <summary>Verifies checkpoint signatures to the approved CAs of the global configuration in force.</summary>
    public required CmsSignatureVerifier Signatures { get; init; }

    /// <summary>
    /// Further checks of a checkpoint whose signature verified (e.g. that it names this server and the signer's
    /// certificate names the owner of the server it names); returns why it is wrong, or null. Optional.
    /// </summary>
    public Func<Checkpoint, CmsSignatureInfo, string?>? CheckSigner { get; init; }

    /// <summary>The approved TSAs' trust; null skips time-stamp checks (there is no TSA to trust).</summary>
    public TimeStampTrust? TimeStamps { get; init; }

    /// <summary>The run stops after this many records (it never stops inside a record).</summary>
    public int MaxRecords { get; init; } = DefaultMaxRecords;

    /// <summary>The run stops after this many checkpoints.</summary>
    public int MaxCheckpoints { get; init; } = DefaultMaxCheckpoints;

    /// <summary>The run stops after the record whose body takes the hashed bytes past this.</summary>
    public long MaxBodyBytes { get; init; } = DefaultMaxBodyBytes;

    /// <summary>Verify no further than this tree size (null: up to the newest checkpoint).</summary>
    public long? UpTo { get; init; }

    /// <summary>The clock time-stamps are checked against (the system clock when null).</summary>
    public TimeProvider? Time { get; init; }
}
