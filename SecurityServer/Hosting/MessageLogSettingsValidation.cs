using Microsoft.Extensions.Options;

namespace ExchangeGateway.SecurityServer.Hosting;

/// <summary>Stops start-up with the exact problem when <c>SecurityServer:MessageLog</c> is invalid (HOUSE-STYLE habit 5).</summary>
internal sealed class MessageLogSettingsValidation : IValidateOptions<SecurityServerOptions>
{
    public ValidateOptionsResult Validate(string? name, SecurityServerOptions options) =>
        options.MessageLog.Problem() is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
}
