namespace ExchangeGateway.Signer.Tests.Support;

/// <summary>A theory that runs only when <c>XGW_SIGNER_MEASURE=1</c>: measurements are not part of the test suite.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
internal sealed class MeasurementTheoryAttribute : TheoryAttribute
{
    public MeasurementTheoryAttribute()
    {
        if (Environment.GetEnvironmentVariable("XGW_SIGNER_MEASURE") != "1")
        {
            Skip = "a measurement; set XGW_SIGNER_MEASURE=1 to run it";
        }
    }
}
