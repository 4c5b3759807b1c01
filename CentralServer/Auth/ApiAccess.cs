namespace ExchangeGateway.CentralServer.Auth;

/// <summary>Endpoint metadata: the permission an admin API endpoint needs, its audit action, and whether it is loopback-only.</summary>
/// <param name="Permission">What the caller's roles must grant.</param>
/// <param name="Action">The audit action name, e.g. <c>member.create</c>.</param>
/// <param name="LoopbackOnly">True for key management: callers must connect from a loopback address.</param>
public sealed record ApiAccess(Permission Permission, string Action, bool LoopbackOnly = false);
