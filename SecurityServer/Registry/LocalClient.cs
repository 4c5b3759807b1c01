using System.Collections.Immutable;
using ExchangeGateway.Common.Identifiers;

namespace ExchangeGateway.SecurityServer.Registry;

/// <summary>
/// A client (member or subsystem) hosted on this security server: how its information systems connect,
/// which IS certificates (SHA-256 of the DER, lowercase hex) authenticate them, and the services it offers.
/// Only subsystems offer services.
/// </summary>
public sealed record LocalClient
{
    /// <summary>The client, e.g. <c>DEV/GOV/70000001/consumer</c>.</summary>
    public required ClientId Id { get; init; }

    /// <summary>The registration state (serverconf.json <c>status</c>; <c>saved</c> when absent).</summary>
    public ClientStatus Status { get; init; } = ClientStatus.Saved;

    /// <summary>How its information systems may connect.</summary>
    public ConnectionType ConnectionType { get; init; } = ConnectionType.Http;

    /// <summary>SHA-256 of the DER of each accepted IS TLS certificate, 64 lowercase hex digits.</summary>
    public ImmutableArray<string> IsCertificateHashes { get; init; } = [];

    /// <summary>The services it offers (empty for a member client).</summary>
    public ImmutableArray<LocalService> Services { get; init; } = [];

    /// <summary>The service descriptions (WSDL, OpenAPI) it registered; empty for a member client.</summary>
    public ImmutableArray<ServiceDescription> Descriptions { get; init; } = [];

    /// <summary>The client's local groups (<c>local-group:CODE</c> in its access rights), in creation order.</summary>
    public ImmutableArray<LocalGroup> LocalGroups { get; init; } = [];

    /// <summary>The local group with <paramref name="code"/> (ordinal), or null.</summary>
    public LocalGroup? FindLocalGroup(string code)
    {
        foreach (var group in LocalGroups)
        {
            if (string.Equals(group.Code, code, StringComparison.Ordinal))
            {
                return group;
            }
        }

        return null;
    }

    /// <summary>A copy with <paramref name="group"/> added, or replacing the one with its code (in place).</summary>
    public LocalClient WithLocalGroup(LocalGroup group)
    {
        ArgumentNullException.ThrowIfNull(group);
        for (var i = 0; i < LocalGroups.Length; i++)
        {
            if (string.Equals(LocalGroups[i].Code, group.Code, StringComparison.Ordinal))
            {
                return this with { LocalGroups = LocalGroups.SetItem(i, group) };
            }
        }

        return this with { LocalGroups = LocalGroups.Add(group) };
    }

    /// <summary>A copy without the local group <paramref name="code"/>; the same instance when there is none.</summary>
    public LocalClient WithoutLocalGroup(string code)
    {
        for (var i = 0; i < LocalGroups.Length; i++)
        {
            if (string.Equals(LocalGroups[i].Code, code, StringComparison.Ordinal))
            {
                return this with { LocalGroups = LocalGroups.RemoveAt(i) };
            }
        }

        return this;
    }

    /// <summary>The description with <paramref name="id"/> (ordinal), or null.</summary>
    public ServiceDescription? FindDescription(string id)
    {
        foreach (var description in Descriptions)
        {
            if (string.Equals(description.Id, id, StringComparison.Ordinal))
            {
                return description;
            }
        }

        return null;
    }

    /// <summary>The description <paramref name="service"/> was made from, or null when it was configured by hand.</summary>
    public ServiceDescription? DescriptionOf(LocalService service)
    {
        ArgumentNullException.ThrowIfNull(service);
        return service.DescriptionId is { } id ? FindDescription(id) : null;
    }

    /// <summary>A copy with <paramref name="description"/> added, or replacing the one with its id (in place).</summary>
    public LocalClient WithDescription(ServiceDescription description)
    {
        ArgumentNullException.ThrowIfNull(description);
        for (var i = 0; i < Descriptions.Length; i++)
        {
            if (string.Equals(Descriptions[i].Id, description.Id, StringComparison.Ordinal))
            {
                return this with { Descriptions = Descriptions.SetItem(i, description) };
            }
        }

        return this with { Descriptions = Descriptions.Add(description) };
    }

    /// <summary>The service with <paramref name="code"/> (ordinal), or null.</summary>
    public LocalService? FindService(string code)
    {
        foreach (var service in Services)
        {
            if (string.Equals(service.Code, code, StringComparison.Ordinal))
            {
                return service;
            }
        }

        return null;
    }

    /// <summary>A copy with <paramref name="service"/> added, or replacing the one with its code (in place).</summary>
    public LocalClient WithService(LocalService service)
    {
        ArgumentNullException.ThrowIfNull(service);
        var index = IndexOf(service.Code);
        return this with { Services = index < 0 ? Services.Add(service) : Services.SetItem(index, service) };
    }

    /// <summary>A copy without the service with <paramref name="code"/>; the same instance when there is none.</summary>
    public LocalClient WithoutService(string code)
    {
        var index = IndexOf(code);
        return index < 0 ? this : this with { Services = Services.RemoveAt(index) };
    }

    private int IndexOf(string code)
    {
        for (var i = 0; i < Services.Length; i++)
        {
            if (string.Equals(Services[i].Code, code, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}
