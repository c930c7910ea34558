using System.Globalization;
using Custodes.SupplyChain;

namespace Custodes.Web.Pages.SupplyChain;

/// <summary>A customer's backup in a sentence for the dashboard: "a tested, immutable, offsite copy (last restore test 1 Aug)".</summary>
public static class RecoveryOutlookWords
{
    public static string Backup(ScheduledRestore slot)
    {
        if (slot.Backup == BackupState.None) return "none recorded";
        var kind = string.Join(", ", new[]
        {
            slot.Backup switch { BackupState.Tested => "tested", BackupState.Stale => "not tested recently", _ => "never tested" },
            slot.Immutable == true ? "immutable" : "deletable",
            slot.Offsite == true ? "offsite" : "on-site",
        });
        var tested = slot.LastRestoreTest is { } t ? $" (last restore test {t.ToString("d MMM yyyy", CultureInfo.InvariantCulture)})" : "";
        return $"a {kind} copy{tested}";
    }
}
