namespace ExchangeGateway.CentralServer.Witnessing;

/// <summary>One refused checkpoint submission, as the admin API lists it.</summary>
/// <param name="At">When it was refused.</param>
/// <param name="Code">The refusal code, e.g. <c>witness.inconsistent</c>.</param>
/// <param name="Message">Why.</param>
/// <param name="TreeSize">The submitted checkpoint's size, when it parsed.</param>
internal sealed record WitnessRefusal(DateTimeOffset At, string Code, string Message, long? TreeSize);
