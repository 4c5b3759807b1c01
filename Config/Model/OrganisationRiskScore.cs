using ExchangeGateway.Common.Identifiers;

namespace ExchangeGateway.Config.Model;

/// <summary>An organisation's assessed risk scores, used by the health-record transfer service.</summary>
public sealed record OrganisationRiskScore
{
    /// <summary>Creates a risk-score entry.</summary>
    /// <param name="member">The assessed member.</param>
    /// <param name="cybersecurityScore">0 (worst) to 100 (best).</param>
    /// <param name="privacyScore">0 (worst) to 100 (best).</param>
    /// <param name="assessedOn">The date of the assessment.</param>
    /// <param name="version">The version of the assessment method, e.g. <c>2025.1</c>.</param>
    public OrganisationRiskScore(MemberId member, int cybersecurityScore, int privacyScore, DateOnly assessedOn, string version)
    {
        Member = member;
        CybersecurityScore = cybersecurityScore;
        PrivacyScore = privacyScore;
        AssessedOn = assessedOn;
        Version = version;
    }

    /// <summary>The assessed member.</summary>
    public MemberId Member { get; init => field = value ?? throw new ArgumentNullException(nameof(Member)); }

    /// <summary>Cybersecurity score, 0–100.</summary>
    public int CybersecurityScore { get; init; }

    /// <summary>Privacy score, 0–100.</summary>
    public int PrivacyScore { get; init; }

    /// <summary>The assessment date.</summary>
    public DateOnly AssessedOn { get; init; }

    /// <summary>The assessment method's version.</summary>
    public string Version { get; init => field = value ?? throw new ArgumentNullException(nameof(Version)); }
}
