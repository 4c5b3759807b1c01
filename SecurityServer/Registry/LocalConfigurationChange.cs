namespace ExchangeGateway.SecurityServer.Registry;

/// <summary>Builds the outcome of an update function for <see cref="LocalConfigurationStore.Update{T}"/>.</summary>
public static class LocalConfigurationChange
{
    /// <summary>Write <paramref name="next"/> to disk, publish it, and return <paramref name="result"/>.</summary>
    public static LocalConfigurationChange<T> Commit<T>(LocalConfiguration next, T result)
    {
        ArgumentNullException.ThrowIfNull(next);
        return new LocalConfigurationChange<T>(next, result);
    }

    /// <summary>Change nothing and return <paramref name="result"/> (a refusal, or a no-op).</summary>
    public static LocalConfigurationChange<T> Keep<T>(T result) => new(null, result);
}
