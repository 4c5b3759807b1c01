using ExchangeGateway.Config.Client;
using ExchangeGateway.Config.Model;

namespace ExchangeGateway.SecurityServer.Exchange;

/// <summary>
/// Hands out the <see cref="TrustContext"/> of the current, unexpired global configuration, building a
/// new one only when the configuration client swapped in another snapshot.
/// </summary>
public sealed class TrustContextProvider
{
    private readonly ConfigurationClient _configuration;
    private readonly TimeProvider _time;
    private TrustContext? _current;

    /// <summary>Creates the provider.</summary>
    public TrustContextProvider(ConfigurationClient configuration, TimeProvider time)
    {
        _configuration = configuration;
        _time = time;
    }

    /// <summary>The context for the valid configuration, or false when there is none (missing or expired: fail closed).</summary>
    public bool TryGet(out TrustContext context)
    {
        if (!_configuration.TryGetValid(_time.GetUtcNow(), out GlobalConfiguration configuration))
        {
            context = null!;
            return false;
        }

        var current = Volatile.Read(ref _current);
        if (current is null || !ReferenceEquals(current.Configuration, configuration))
        {
            current = new TrustContext(configuration);
            Volatile.Write(ref _current, current);
        }

        context = current;
        return true;
    }
}
