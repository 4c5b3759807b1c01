using ExchangeGateway.CentralServer.Registration;
using ExchangeGateway.Common.Crypto.Cms;
using ExchangeGateway.Common.Crypto.Merkle;
using ExchangeGateway.Config.Serialization;
using ExchangeGateway.Config.Signing;

namespace ExchangeGateway.CentralServer.Publication;

/// <summary>
/// Generates, signs, stores and logs global configuration: a new generation whenever the registry
/// changed since the last one, and at least every <see cref="PublicationOptions.GenerationInterval"/>.
/// Each generation is appended to the publication log and a signed checkpoint is stored with it in the
/// same transaction. Thread-safe.
/// </summary>
public sealed class ConfigurationPublisher
{
    private readonly Registry _registry;
    private readonly PublicationStore _store;
    private readonly SigningKeyManager _keys;
    private readonly PublicationOptions _options;
    private readonly TimeProvider _time;
    private MerkleTree _log;
    private readonly Lock _gate = new();
    private PublishedConfiguration? _latest;

    /// <summary>Creates the publisher and rebuilds the publication log from the store.</summary>
    public ConfigurationPublisher(Registry registry, PublicationStore store, SigningKeyManager keys, PublicationOptions options, TimeProvider time)
    {
        _registry = registry;
        _store = store;
        _keys = keys;
        _options = options;
        _time = time;
        _log = LoadLog(store);
        _latest = store.Latest();
    }

    /// <summary>The newest published generation, or null before the first.</summary>
    public PublishedConfiguration? Latest => Volatile.Read(ref _latest);

    /// <summary>Publishes a new generation when the registry changed or the interval passed (or when forced).</summary>
    public PublishedConfiguration PublishIfDue(bool force = false)
    {
        lock (_gate)
        {
            var snapshot = _registry.ReadSnapshot();
            var now = _time.GetUtcNow();
            var latest = _latest;
            if (!force && latest is not null && latest.RegistryVersion == snapshot.Version && now < latest.GeneratedAt + _options.GenerationInterval)
            {
                return latest;
            }

            var serial = (latest?.Serial ?? 0) + 1;
            var configuration = ConfigurationGenerator.Generate(snapshot, serial, now, _options);
            var content = GlobalConfigurationSerializer.Write(configuration);
            using var signer = _keys.LoadActive();
            var signed = SignedConfiguration.Sign(content, signer, now);
            var envelope = SignedConfigurationEnvelope.Write(signed);

            var leaf = MerkleHasher.HashLeaf(content);
            var index = _log.AppendLeafHash(leaf);
            var root = _log.RootHash;
            var checkpointSignature = CmsDetachedSigner.Sign(PublicationCheckpoint.SignedContent(_log.Size, root), signer, now);
            var published = new PublishedConfiguration(serial, configuration.GeneratedAt, configuration.ExpiresAt, snapshot.Version, envelope, signed.ContentSha256Hex(), index);
            try
            {
                _store.AddPublication(published, leaf.ToArray(), _log.Size, root.ToArray(), checkpointSignature, now);
            }
            catch
            {
                // The in-memory log must never run ahead of what is durable.
                _log = LoadLog(_store);
                throw;
            }

            Volatile.Write(ref _latest, published);
            return published;
        }
    }

    /// <summary>The newest signed checkpoint of the publication log.</summary>
    public PublicationCheckpoint? Checkpoint()
    {
        var stored = _store.LatestCheckpoint();
        return stored is { } c ? new PublicationCheckpoint(c.TreeSize, new MerkleHash(c.RootHash), c.Signature) : null;
    }

    /// <summary>RFC 6962 consistency proof between two log sizes; null when the sizes are out of range.</summary>
    public MerkleHash[]? ConsistencyProof(long from, long to)
    {
        lock (_gate)
        {
            return from < 0 || from > to || to > _log.Size ? null : _log.GetConsistencyProof(from, to);
        }
    }

    /// <summary>Inclusion proof of a generation in the log of <paramref name="treeSize"/>; null when out of range.</summary>
    public (long LeafIndex, MerkleHash[] Proof)? InclusionProof(long serial, long treeSize)
    {
        var published = _store.Find(serial);
        lock (_gate)
        {
            if (published is null || treeSize > _log.Size || published.LogIndex >= treeSize)
            {
                return null;
            }

            return (published.LogIndex, _log.GetInclusionProof(published.LogIndex, treeSize));
        }
    }

    private static MerkleTree LoadLog(PublicationStore store)
    {
        var tree = new MerkleTree();
        foreach (var leaf in store.LeafHashes())
        {
            tree.AppendLeafHash(new MerkleHash(leaf));
        }

        return tree;
    }
}
