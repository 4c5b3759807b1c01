namespace ExchangeGateway.SecurityServer.Registry;

/// <summary>
/// What an update function passed to <see cref="LocalConfigurationStore.Update{T}"/> decided: a new snapshot
/// to write and publish (or none), and the value to hand back to the caller. Build it with
/// <see cref="LocalConfigurationChange.Commit{T}"/> or <see cref="LocalConfigurationChange.Keep{T}"/>.
/// </summary>
/// <typeparam name="T">The caller's result, e.g. the changed item or why nothing changed.</typeparam>
public readonly struct LocalConfigurationChange<T>
{
    internal LocalConfigurationChange(LocalConfiguration? next, T result)
    {
        Next = next;
        Result = result;
    }

    /// <summary>The snapshot to write and publish; null to leave everything as it is.</summary>
    public LocalConfiguration? Next { get; }

    /// <summary>The value <see cref="LocalConfigurationStore.Update{T}"/> returns.</summary>
    public T Result { get; }
}
