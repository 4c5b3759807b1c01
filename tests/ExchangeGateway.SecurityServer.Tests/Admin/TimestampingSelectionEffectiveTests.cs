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

/// <summary>A selection file replaced underneath (a restore) is picked up by <see cref="TimestampingSelection.Reload"/>.</summary>
public sealed class TimestampingSelectionReloadTests
{
    [Fact]
    public void Reload_FileReplacedByARestore_NamesFollowAndChangedIsRaised()
    {
        using var directory = new ExchangeGateway.Testing.Tools.TempDirectory();
        var selection = new TimestampingSelection(directory.Path);
        Assert.True(selection.Add("tsa-a"));
        var changed = 0;
        selection.Changed += (_, _) => changed++;

        File.WriteAllText(selection.FilePath, """{"names":["tsa-b","tsa-c"]}""" + "\n");
        selection.Reload();

        Assert.Equal(["tsa-b", "tsa-c"], selection.Names);
        Assert.Equal(1, changed);
    }

    [Fact]
    public void Reload_InvalidFile_Throws_AndKeepsTheSelection()
    {
        using var directory = new ExchangeGateway.Testing.Tools.TempDirectory();
        var selection = new TimestampingSelection(directory.Path);
        Assert.True(selection.Add("tsa-a"));

        File.WriteAllText(selection.FilePath, "{\"names\": 42}");

        Assert.Throws<InvalidOperationException>(selection.Reload);
        Assert.Equal(["tsa-a"], selection.Names);
    }
}
