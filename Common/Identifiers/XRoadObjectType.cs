namespace ExchangeGateway.Common.Identifiers;

/// <summary>
/// The kinds of identifier, named exactly as X-Road's <c>id:objectType</c> values so that the enum name
/// is the wire value. X-Road's LOCALGROUP is not modelled: local groups never cross the wire here.
/// </summary>
public enum XRoadObjectType
{
    /// <summary>An X-Road member (<see cref="MemberId"/>).</summary>
    MEMBER = 1,

    /// <summary>A subsystem of a member (<see cref="SubsystemId"/>).</summary>
    SUBSYSTEM,

    /// <summary>A service of a subsystem (<see cref="ServiceId"/>).</summary>
    SERVICE,

    /// <summary>A security server (<see cref="SecurityServerId"/>).</summary>
    SERVER,

    /// <summary>A global group (<see cref="GlobalGroupId"/>).</summary>
    GLOBALGROUP,
}
