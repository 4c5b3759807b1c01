namespace ExchangeGateway.Config.Model;

/// <summary>Instance-wide settings. Durations are whole seconds (finer parts are truncated).</summary>
public sealed record ConfigurationSettings
{
    /// <summary>Creates the settings.</summary>
    public ConfigurationSettings(TimeSpan ocspFreshness, TimeSpan timeStampingInterval, TimeSpan acceptableTimeStampFailurePeriod, TimeSpan refreshInterval)
    {
        OcspFreshness = ocspFreshness;
        TimeStampingInterval = timeStampingInterval;
        AcceptableTimeStampFailurePeriod = acceptableTimeStampFailurePeriod;
        RefreshInterval = refreshInterval;
    }

    /// <summary>How old an OCSP response's thisUpdate may be.</summary>
    public TimeSpan OcspFreshness { get; init => field = Frozen.Duration(value); }

    /// <summary>How often the message log time-stamps its checkpoints.</summary>
    public TimeSpan TimeStampingInterval { get; init => field = Frozen.Duration(value); }

    /// <summary>How long time-stamping may fail before security servers refuse new messages.</summary>
    public TimeSpan AcceptableTimeStampFailurePeriod { get; init => field = Frozen.Duration(value); }

    /// <summary>A hint for how often security servers should download the configuration.</summary>
    public TimeSpan RefreshInterval { get; init => field = Frozen.Duration(value); }
}
