namespace ExchangeGateway.MessageLog.Storage;

/// <summary>
/// What is committed but not yet covered by a time-stamped checkpoint, and since when: the input of the
/// fail-closed rule. Kept in memory and updated after each commit; seeded from the database on open.
/// </summary>
/// <remarks>
/// One entry per span of commits (the first commit time and the last sequence of the span). Commits
/// within <see cref="Granularity"/> of a span's start join it, so a long TSA outage at thousands of
/// commits per second keeps a few entries per second, not one per commit. The age it reports is then at
/// most <see cref="Granularity"/> too old: it errs towards refusing early, never late.
/// </remarks>
internal sealed class BacklogTracker
{
    internal static readonly TimeSpan Granularity = TimeSpan.FromMilliseconds(100);

    private readonly Lock _gate = new();
    private readonly Queue<CommitSpan> _spans = new();
    private CommitSpan? _tail;
    private long _committed;
    private long _stampedSize;
    private CheckpointStatus? _lastCheckpoint;
    private CheckpointStatus? _lastStamped;

    public long Committed
    {
        get
        {
            lock (_gate)
            {
                return _committed;
            }
        }
    }

    public long Backlog
    {
        get
        {
            lock (_gate)
            {
                return _committed - _stampedSize;
            }
        }
    }

    public DateTimeOffset? OldestUnstampedAt
    {
        get
        {
            lock (_gate)
            {
                return _spans.TryPeek(out var head) ? head.FirstAt : null;
            }
        }
    }

    public CheckpointStatus? LastCheckpoint
    {
        get
        {
            lock (_gate)
            {
                return _lastCheckpoint;
            }
        }
    }

    public CheckpointStatus? LastStampedCheckpoint
    {
        get
        {
            lock (_gate)
            {
                return _lastStamped;
            }
        }
    }

    /// <summary>Sets the state found on open.</summary>
    public void Seed(long committed, CheckpointStatus? lastCheckpoint, CheckpointStatus? lastStamped, DateTimeOffset? oldestUnstampedAt)
    {
        lock (_gate)
        {
            _committed = committed;
            _lastCheckpoint = lastCheckpoint;
            _lastStamped = lastStamped;
            _stampedSize = lastStamped?.TreeSize ?? 0;
            _spans.Clear();
            _tail = null;
            if (committed > _stampedSize && oldestUnstampedAt is { } at)
            {
                Enqueue(new CommitSpan(at, committed));
            }
        }
    }

    /// <summary>Records a commit of sequences up to <paramref name="lastSequence"/> at <paramref name="at"/>.</summary>
    public void RecordCommit(long lastSequence, DateTimeOffset at)
    {
        lock (_gate)
        {
            _committed = lastSequence;
            if (lastSequence <= _stampedSize)
            {
                return;
            }

            if (_tail is { } tail && at - tail.FirstAt < Granularity && at >= tail.FirstAt)
            {
                tail.LastSequence = lastSequence;
            }
            else
            {
                Enqueue(new CommitSpan(at, lastSequence));
            }
        }
    }

    /// <summary>Records a new checkpoint, stamped or not.</summary>
    public void CheckpointAdded(CheckpointStatus checkpoint)
    {
        lock (_gate)
        {
            if (_lastCheckpoint is null || checkpoint.TreeSize >= _lastCheckpoint.TreeSize)
            {
                _lastCheckpoint = checkpoint;
            }
        }
    }

    /// <summary>Records that a checkpoint is now time-stamped; everything up to its size leaves the backlog.</summary>
    public void Stamped(CheckpointStatus checkpoint)
    {
        lock (_gate)
        {
            if (_lastCheckpoint is null || checkpoint.TreeSize >= _lastCheckpoint.TreeSize)
            {
                _lastCheckpoint = checkpoint;
            }

            if (checkpoint.TreeSize < _stampedSize)
            {
                return;
            }

            _lastStamped = checkpoint;
            _stampedSize = checkpoint.TreeSize;
            while (_spans.TryPeek(out var head) && head.LastSequence <= _stampedSize)
            {
                _spans.Dequeue();
            }

            if (_spans.Count == 0)
            {
                _tail = null;
            }
        }
    }

    private void Enqueue(CommitSpan span)
    {
        _spans.Enqueue(span);
        _tail = span;
    }

    // A class so the tail can be extended in place while it sits in the queue.
    private sealed class CommitSpan(DateTimeOffset firstAt, long lastSequence)
    {
        public DateTimeOffset FirstAt { get; } = firstAt;

        public long LastSequence { get; set; } = lastSequence;
    }
}
