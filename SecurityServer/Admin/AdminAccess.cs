namespace ExchangeGateway.SecurityServer.Admin;

/// <summary>Endpoint metadata: the permission an admin endpoint needs, its action name for logs, and whether it is loopback-only.</summary>
/// <param name="Permission">What the caller's roles must grant.</param>
/// <param name="Action">The action name, e.g. <c>service.put</c>.</param>
/// <param name="LoopbackOnly">True for key management: callers must connect from a loopback address.</param>
public sealed record AdminAccess(AdminPermission Permission, string Action, bool LoopbackOnly = false);
