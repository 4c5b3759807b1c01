using ExchangeGateway.Config.Anchors;

namespace ExchangeGateway.Config.Model;

/// <summary>Another instance this one federates with, named by its configuration anchor.</summary>
public sealed record FederatedInstance
{
    /// <summary>Creates a federated-instance entry.</summary>
    public FederatedInstance(ConfigurationAnchor anchor)
    {
        Anchor = anchor;
    }

    /// <summary>The other instance's anchor (its instance id, download URLs and verification certificates).</summary>
    public ConfigurationAnchor Anchor { get; init => field = value ?? throw new ArgumentNullException(nameof(Anchor)); }

    /// <summary>The other instance's id.</summary>
    public string InstanceId => Anchor.InstanceId;
}
