using ExchangeGateway.SecurityServer.Admin;

namespace ExchangeGateway.SecurityServer.Tests.Admin;

/// <summary>Which approved TSAs the message log's integrator uses for a selection.</summary>
public sealed class TimestampingSelectionEffectiveTests
{
    private static readonly string[] Approved = ["tsa-a", "tsa-b", "tsa-c"];

    [Fact]
    public void NothingSelected_EveryApprovedTsa_InTheConfigurationsOrder()
    {
        Assert.Equal(Approved, TimestampingSelection.Effective(Approved, n => n, []));
    }

    [Fact]
    public void Selected_OnlyThose_InTheOperatorsOrder()
    {
        Assert.Equal(["tsa-c", "tsa-a"], TimestampingSelection.Effective(Approved, n => n, ["tsa-c", "tsa-a"]));
    }

    [Fact]
    public void SelectedButNoLongerApproved_IsSkippedNotUsed()
    {
        Assert.Equal(["tsa-b"], TimestampingSelection.Effective(Approved, n => n, ["withdrawn", "tsa-b"]));
        Assert.Empty(TimestampingSelection.Effective(Approved, n => n, ["withdrawn"]));
    }

    [Fact]
    public void Names_AreComparedExactly()
    {
        Assert.Empty(TimestampingSelection.Effective(Approved, n => n, ["TSA-A"]));
    }
}
