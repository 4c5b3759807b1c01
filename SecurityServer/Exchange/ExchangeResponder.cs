using ExchangeGateway.Common.Errors;
using ExchangeGateway.SecurityServer.Operations;

namespace ExchangeGateway.SecurityServer.Exchange;

/// <summary>
/// The one place an exchange failure becomes an answer: an X-Road error (header, JSON or XML body,
/// status from the code's family), one log line with the detail id, and one metric increment.
/// </summary>
public sealed class ExchangeResponder
{
    private static readonly object SoapFaultsKey = new();
    private readonly ILogger<ExchangeResponder> _logger;
    private readonly ExchangeMetrics _metrics;

    /// <summary>Creates the responder.</summary>
    public ExchangeResponder(ILogger<ExchangeResponder> logger, ExchangeMetrics metrics)
    {
        _logger = logger;
        _metrics = metrics;
    }

    /// <summary>
    /// Runs one exchange: a failure value becomes the X-Road error; a caller that went away is logged
    /// once; unreadable HTTP answers <paramref name="badRequest"/>; a bug answers <paramref name="internalError"/>
    /// instead of tearing the connection. The total time goes to the <paramref name="totalStage"/> histogram.
    /// </summary>
    public async Task RunAsync(HttpContext context, string side, string totalStage, ErrorCode badRequest, ErrorCode internalError, Func<HttpContext, Task<ExchangeFailure?>> exchange)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(exchange);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            var failure = await exchange(context).ConfigureAwait(false);
            if (failure is not null)
            {
                await FailAsync(context, side, failure).ConfigureAwait(false);
            }
            else if (!context.Response.Headers.ContainsKey(ErrorRenderer.XRoadErrorHeaderName))
            {
                Succeeded(side);
            }
        }
        catch (Exception ex) when (context.RequestAborted.IsCancellationRequested && ex is OperationCanceledException or IOException or BadHttpRequestException)
        {
            ExchangeLog.CallerGone(_logger, side);
        }
        catch (BadHttpRequestException ex)
        {
            await FailAsync(context, side, new ExchangeFailure(badRequest, ex.Message)).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // The exchange's last line of defence: a bug answers internal_error instead of tearing the connection.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            await UnexpectedAsync(context, side, ex, internalError).ConfigureAwait(false);
        }
        finally
        {
            Stage(totalStage, started);
        }
    }

    /// <summary>Answers <paramref name="context"/> with <paramref name="failure"/>; returns the error (its detail id is in the log).</summary>
    public async Task<ExchangeError> FailAsync(HttpContext context, string side, ExchangeFailure failure, Guid? detail = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(failure);
        var error = new ExchangeError(failure.Code, failure.Message, detail ?? Guid.NewGuid());
        ExchangeLog.Refused(_logger, side, error);
        _metrics.RecordExchange(side, ExchangeMetrics.OutcomeError, error.Code.Value);
        if (!context.Response.HasStarted)
        {
            await WriteErrorAsync(context, error).ConfigureAwait(false);
        }

        return error;
    }

    /// <summary>From now on, errors on <paramref name="context"/> are answered as SOAP faults (the IS spoke SOAP).</summary>
    public static void UseSoapFaults(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Items[SoapFaultsKey] = true;
    }

    /// <summary>
    /// Writes <paramref name="error"/> as the IS expects it: a SOAP fault (HTTP 200, as X-Road) after
    /// <see cref="UseSoapFaults"/>, else the REST error in the format its <c>Accept</c> header asks for.
    /// </summary>
    public static async Task WriteErrorAsync(HttpContext context, ExchangeError error)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(error);
        var rendered = context.Items.ContainsKey(SoapFaultsKey)
            ? ErrorRenderer.RenderSoapFault(error)
            : ErrorRenderer.RenderRest(error, context.Request.Headers.Accept.ToString());
        context.Response.StatusCode = rendered.StatusCode;
        context.Response.ContentType = rendered.ContentType;
        context.Response.Headers[ErrorRenderer.XRoadErrorHeaderName] = rendered.XRoadError;
        context.Response.ContentLength = rendered.Body.Length;
        await context.Response.Body.WriteAsync(rendered.Body, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>Counts an exchange refused further along (by the peer) whose error was passed on.</summary>
    public void Refused(string side, string code) => _metrics.RecordExchange(side, ExchangeMetrics.OutcomeError, code);

    /// <summary>Counts a successful exchange.</summary>
    public void Succeeded(string side) => _metrics.RecordExchange(side, ExchangeMetrics.OutcomeSuccess, ExchangeMetrics.CodeNone);

    /// <summary>Records how long a stage took.</summary>
    public void Stage(string stage, long startTimestamp) =>
        _metrics.RecordStage(stage, System.Diagnostics.Stopwatch.GetElapsedTime(startTimestamp));

    /// <summary>Logs a failure that is a bug, and answers <c>internal_error</c>.</summary>
    public Task<ExchangeError> UnexpectedAsync(HttpContext context, string side, Exception exception, ErrorCode code)
    {
        ArgumentNullException.ThrowIfNull(context);
        var failure = new ExchangeFailure(code, "An unexpected failure inside the security server; the detail id leads to its log.");
        var detail = Guid.NewGuid();
        ExchangeLog.Unexpected(_logger, side, detail, exception);
        return FailAsync(context, side, failure, detail);
    }
}
