using System.Globalization;

namespace Custodes.SupplyChain.Questionnaires;

/// <summary>What an organization's portfolio says about its recovery: its line of each provider's restore schedule (contracts §13), and where the facts come from.</summary>
/// <param name="Source">The portfolio and version the facts are from (the evidence cites it).</param>
/// <param name="Slots">Per provider whose compromise would have the organization's machines to restore: the provider's name and the organization's restore.</param>
public sealed record RecoveryFacts(string Source, IReadOnlyList<(string Provider, ScheduledRestore Slot)> Slots);

/// <summary>
/// Answers insurers' recovery questions from recovery facts rather than from requirement statuses: whether backups are immutable and offsite,
/// restore-tested, and whether the organization would be back within its recovery time objective if a provider were compromised. Each answer
/// cites the facts it rests on as evidence. Without any provider to restore from (no slot), the question falls back to its mapped requirements.
/// </summary>
public static class RecoveryAnswers
{
    /// <summary>The facts a template question may be <c>answered_from</c>.</summary>
    public static readonly IReadOnlyList<string> Facts = ["backups-immutable-offsite", "backups-restore-tested", "recovery-within-rto"];

    /// <summary>The answer, its evidence and rationale; null when the facts cannot answer (no provider would restore the organization).</summary>
    public static (Answer Answer, IReadOnlyList<string> Evidence, string Rationale)? Answer(string facts, RecoveryFacts recovery)
    {
        if (recovery.Slots.Count == 0) return null;
        var evidence = recovery.Slots.Select(s => $"{recovery.Source}: if {s.Provider} were compromised — {Describe(s.Slot)}").Distinct(StringComparer.Ordinal).ToArray();
        var slots = recovery.Slots.Select(s => s.Slot).ToArray();
        switch (facts)
        {
            case "backups-immutable-offsite":
            {
                var both = slots.Count(s => s is { Immutable: true, Offsite: true });
                var one = slots.Count(s => s.Immutable == true ^ s.Offsite == true);
                var answer = both == slots.Length ? Questionnaires.Answer.Yes : both + one == 0 ? Questionnaires.Answer.No : Questionnaires.Answer.Partial;
                return (answer, evidence, answer switch
                {
                    Questionnaires.Answer.Yes => "the backup described in the portfolio is immutable and kept offsite",
                    Questionnaires.Answer.No => slots.All(s => s.Backup == BackupState.None) ? "the portfolio describes no backup" : "the backup is neither immutable nor offsite",
                    _ => "the backup is immutable or offsite, not both",
                });
            }
            case "backups-restore-tested":
            {
                var tested = slots.Count(s => s.Backup == BackupState.Tested);
                var answer = tested == slots.Length ? Questionnaires.Answer.Yes : tested == 0 ? Questionnaires.Answer.No : Questionnaires.Answer.Partial;
                var last = slots.Select(s => s.LastRestoreTest).Max();
                return (answer, evidence, last is { } date
                    ? $"last restore test {date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)} ({(answer == Questionnaires.Answer.Yes ? "within" : "not within")} 180 days)"
                    : "no restore test is recorded");
            }
            case "recovery-within-rto":
            {
                if (slots.All(s => s.RtoHours is null)) return (Questionnaires.Answer.Unknown, evidence, "no recovery time objective is stated for the backup");
                var missed = recovery.Slots.Where(s => s.Slot.RtoMissed).ToArray();
                var unusable = slots.Any(s => s.Risk == RecoveryRisk.Critical);
                var answer = missed.Length == 0 && !unusable ? Questionnaires.Answer.Yes : Questionnaires.Answer.No;
                return (answer, evidence, answer == Questionnaires.Answer.Yes
                    ? $"restored within the {Hours.Text(slots.Where(s => s.RtoHours is not null).Min(s => s.RtoHours!.Value))} objective whichever provider is compromised"
                    : unusable ? "a compromise leaves no usable backup"
                    : $"if {missed[0].Provider} were compromised the restore would end after {Hours.Text(missed[0].Slot.DoneHour)}, beyond the {Hours.Text(missed[0].Slot.RtoHours!.Value)} objective");
            }
            default:
                return null;
        }
    }

    // No ';' inside: the CSV form of a questionnaire separates evidence items with it.
    private static string Describe(ScheduledRestore s) =>
        $"backup {s.Backup.ToString().ToLowerInvariant()}" +
        (s.Backup == BackupState.None ? "" : $", {(s.Immutable == true ? "immutable" : "not immutable")}, {(s.Offsite == true ? "offsite" : "on site")}" +
            (s.BackupProvider is { } p ? $", run by {p}" : "") +
            (s.LastRestoreTest is { } t ? $", restore test {t.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}" : "")) +
        $", back after {Hours.Text(s.DoneHour)}" + (s.RtoHours is { } rto ? $" (objective {Hours.Text(rto)})" : "") + $", risk {s.Risk.ToString().ToLowerInvariant()}";
}
