using System.Globalization;

namespace Custodes.Agreements;

/// <summary>
/// Checks each obligation of an agreement against the facts: met, breached (why, and since when) or unknown (which data is missing).
/// Pure: the same agreement, facts and time give the same answer, so the stored statuses, the CLI and the benchmark agree.
/// </summary>
public static class CheckObligations
{
    /// <summary>The requirement a remote-tools MFA promise rests on (NIST SP 800-171 r2 3.5.3).</summary>
    public const string MfaRequirement = "3.5.3";

    /// <summary>The rule whose open alerts breach a remote-tools MFA promise.</summary>
    public const string MfaDisabledRule = "mfa-disabled";

    /// <summary>How recent the provider's last log must be for <see cref="ObligationKind.WatchedRmm"/>.</summary>
    public static readonly TimeSpan WatchedWithin = TimeSpan.FromHours(24);

    public static IReadOnlyList<ObligationResult> Run(Agreement agreement, ObligationFacts facts, DateTimeOffset now)
    {
        var results = new ObligationResult[agreement.Obligations.Count];
        for (var i = 0; i < results.Length; i++) results[i] = Check(agreement, agreement.Obligations[i], facts, now);
        return results;
    }

    public static ObligationResult Check(Agreement agreement, Obligation o, ObligationFacts facts, DateTimeOffset now)
    {
        var (state, reason, since) = o.Kind switch
        {
            ObligationKind.ValidAttestation => Attestation(o, facts),
            ObligationKind.MinimumScore => Score(o, facts),
            ObligationKind.CmmcLevel => Cmmc(o, facts),
            ObligationKind.MfaOnRemoteTools => Mfa(facts),
            ObligationKind.IncidentNoticeHours => IncidentNotice(agreement, o, facts, now),
            ObligationKind.RestoreTestWithinDays => RestoreTest(o, facts, now),
            ObligationKind.ImmutableBackup => Immutable(facts),
            ObligationKind.RightToAudit => RightToAudit(facts),
            ObligationKind.WatchedRmm => WatchedRmm(facts, now),
            _ => FreeText(o, facts),
        };
        if (state != ObligationState.Breached) since = null;
        // A breach with no date of its own (a missing letter, a setting) dates from when it was first seen, not from each check.
        else if (since is null)
            since = facts.Previous.TryGetValue(o.Id, out var previous) && previous.State == ObligationState.Breached && previous.Since is { } first ? first : now;
        return new ObligationResult(o.Id, o.Kind, state, reason, since);
    }

    private static (ObligationState, string, DateTimeOffset?) Met(string reason) => (ObligationState.Met, reason, null);
    private static (ObligationState, string, DateTimeOffset?) Breached(string reason, DateTimeOffset? since = null) => (ObligationState.Breached, reason, since);
    private static (ObligationState, string, DateTimeOffset?) Unknown(string missing) => (ObligationState.Unknown, missing, null);

    private static string NoAccount(ObligationFacts f) =>
        $"{f.ProviderName} has no account in this installation, so its letters, assessment and logs cannot be checked (link it in the portfolio with custodes_organization)";

    /// <summary>A letter that no longer stands: breached since it was revoked or expired, or because its signature does not verify.</summary>
    private static (ObligationState, string, DateTimeOffset?)? NotInForce(LetterFacts l, ObligationFacts f)
    {
        if (l.Revoked)
            return Breached($"{f.ProviderName}'s letter {l.LetterId} was revoked{(l.RevokedAt is { } at ? $" on {Day(at)}" : "")}{(l.RevocationReason is { } r ? $": {r}" : "")}", l.RevokedAt);
        if (l.Expired)
            return Breached($"{f.ProviderName}'s letter {l.LetterId} expired{(l.ValidUntil is { } until ? $" on {Day(until)}" : "")}",
                l.ValidUntil is { } u ? new DateTimeOffset(u.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : null);
        if (!l.SignatureValid) return Breached($"the signature of {f.ProviderName}'s letter {l.LetterId} does not verify with its assessor's registered key");
        return null;
    }

    private static (ObligationState, string, DateTimeOffset?) Attestation(Obligation o, ObligationFacts f)
    {
        if (!f.ProviderHasAccount) return Unknown(NoAccount(f));
        if (f.Letter is not { } l) return Breached($"{f.ProviderName} holds no letter of attestation in this installation");
        if (NotInForce(l, f) is { } broken) return broken;
        if (!string.Equals(l.Framework, Catalogs.CatalogSet.Find(o.Framework!)?.Framework ?? o.Framework, StringComparison.Ordinal))
            return Breached($"{f.ProviderName}'s current letter {l.LetterId} attests {l.Framework ?? "an unknown framework"}, not {o.Framework}", l.IssuedAt);
        return Met($"letter {l.LetterId} for {l.Framework} is valid{(l.ValidUntil is { } until ? $" until {Day(until)}" : "")}");
    }

    private static (ObligationState, string, DateTimeOffset?) Score(Obligation o, ObligationFacts f)
    {
        if (!f.ProviderHasAccount) return Unknown(NoAccount(f));
        if (f.Letter is not { } l) return Unknown($"{f.ProviderName} holds no letter here, so no score is attested");
        if (NotInForce(l, f) is { } broken) return broken;
        if (l.Score is not { } score) return Unknown($"{f.ProviderName}'s letter {l.LetterId} attests no score");
        return score >= o.Value
            ? Met($"the attested score is {score} (at least {o.Value} promised)")
            : Breached($"the attested score is {score}, below the {o.Value} promised (letter {l.LetterId})", l.IssuedAt);
    }

    private static (ObligationState, string, DateTimeOffset?) Cmmc(Obligation o, ObligationFacts f)
    {
        if (!f.ProviderHasAccount) return Unknown(NoAccount(f));
        if (f.Letter is not { } l) return Unknown($"{f.ProviderName} holds no letter here, so no CMMC status is attested");
        if (NotInForce(l, f) is { } broken) return broken;
        if (l.CmmcLevel2 is not { } status) return Unknown($"{f.ProviderName}'s letter {l.LetterId} carries no CMMC Level 2 status");
        var rank = Rank(status);
        return rank >= Rank(o.CmmcStatus!)
            ? Met($"CMMC Level 2 status is {status}")
            : Breached($"CMMC Level 2 status is {status}, not {o.CmmcStatus}{(o.CmmcStatus == "conditional" ? " or final" : "")} as promised (letter {l.LetterId})", l.IssuedAt);

        static int Rank(string s) => s switch { "final" => 2, "conditional" => 1, _ => 0 };
    }

    private static (ObligationState, string, DateTimeOffset?) Mfa(ObligationFacts f)
    {
        if (!f.ProviderHasAccount) return Unknown(NoAccount(f));
        var open = f.OpenMfaAlerts.OrderBy(a => a.DetectedAt).FirstOrDefault();
        if (open is not null)
            return Breached($"an {MfaDisabledRule} alert is open on {f.ProviderName}'s tools since {Day(open.DetectedAt)} (alert {open.AlertId})", open.DetectedAt);
        // The letter's signed copy of the assessment counts over the provider's own, editable one.
        var letter = f.Letter is { InForce: true, MfaMet: { } m } ? m : (bool?)null;
        var met = letter ?? f.AssessmentMfaMet;
        var source = letter is not null ? "the attested assessment" : "its latest assessment";
        return met switch
        {
            true => Met($"{MfaRequirement} (multi-factor authentication) is met in {source}{(f.Watched ? " and no mfa-disabled alert is open" : "; its tools are not watched here")}"),
            false => Breached($"{MfaRequirement} (multi-factor authentication) is not met in {f.ProviderName}'s {source[4..]}"),
            null => Unknown($"no assessment of {f.ProviderName} here says whether {MfaRequirement} (multi-factor authentication) is met"),
        };
    }

    private static (ObligationState, string, DateTimeOffset?) IncidentNotice(Agreement a, Obligation o, ObligationFacts f, DateTimeOffset now)
    {
        if (!f.ProviderHasAccount) return Unknown(NoAccount(f));
        if (!f.Watched) return Unknown($"{f.ProviderName}'s remote-management logs do not reach this installation, so its incidents are not seen here");
        var window = TimeSpan.FromHours(o.Value!.Value);
        var start = a.SignedOn is { } s ? new DateTimeOffset(s.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : DateTimeOffset.MinValue;
        AlertFact? late = null;
        DateTimeOffset? lateSince = null;
        var pending = 0;
        var inTerm = 0;
        foreach (var alert in f.CriticalAlerts)
        {
            if (alert.DetectedAt < start) continue;
            inTerm++;
            var due = alert.DetectedAt + window;
            if (alert.NoticeAt is { } notice ? notice > due : now > due)
            {
                if (lateSince is null || due < lateSince) (late, lateSince) = (alert, due);
            }
            else if (alert.NoticeAt is null) pending++;
        }
        if (late is not null)
            return Breached(late.NoticeAt is { } n
                ? $"critical alert {late.AlertId} of {Day(late.DetectedAt)} was notified {Hours(n - late.DetectedAt)} later, past the {o.Value} hours promised"
                : $"no notice from {f.ProviderName} about critical alert {late.AlertId} of {Day(late.DetectedAt)} within the {o.Value} hours promised", lateSince);
        if (inTerm == 0) return Met("no critical alert on your tenants during the agreement");
        return Met(pending == 0 ? $"each of {inTerm} critical alert(s) was notified within {o.Value} hours" : $"{pending} critical alert(s) still within the {o.Value} hours to notify you");
    }

    private static (ObligationState, string, DateTimeOffset?) RestoreTest(Obligation o, ObligationFacts f, DateTimeOffset now)
    {
        if (f.Backup?.LastRestoreTest is not { } last) return Unknown("no record of the last restore test of your backup (the relationship's backup.last_restore_test in the portfolio)");
        var due = last.AddDays(o.Value!.Value);
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        return today <= due
            ? Met($"the backup was last restored in a test on {Day(last)}; the next test is due by {Day(due)}")
            : Breached($"the last restore test was on {Day(last)}, more than {o.Value} days ago", new DateTimeOffset(due.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero));
    }

    private static (ObligationState, string, DateTimeOffset?) Immutable(ObligationFacts f) => f.Backup?.Immutable switch
    {
        true => Met("the backup is immutable"),
        false => Breached("the portfolio records your backup as not immutable"),
        null => Unknown("the portfolio does not say whether your backup is immutable (the relationship's backup.immutable)"),
    };

    private static (ObligationState, string, DateTimeOffset?) RightToAudit(ObligationFacts f)
    {
        if (!f.ProviderHasAccount) return Unknown(NoAccount(f));
        return f.SharedAssessmentAt is { } at
            ? Met($"{f.ProviderName} shared its assessment and evidence with you on {Day(at)}")
            : Breached($"{f.ProviderName} has not shared its assessment and evidence with you in Custodes");
    }

    private static (ObligationState, string, DateTimeOffset?) WatchedRmm(ObligationFacts f, DateTimeOffset now)
    {
        if (!f.ProviderHasAccount) return Unknown(NoAccount(f));
        if (!f.Watched) return Breached($"{f.ProviderName}'s remote-management logs do not reach this installation");
        if (f.LastEventAt is not { } last) return Breached($"no log from {f.ProviderName}'s remote-management tools has reached this installation yet");
        return now - last <= WatchedWithin
            ? Met($"the last log arrived {Hours(now - last)} ago")
            : Breached($"no log from {f.ProviderName}'s remote-management tools since {Day(last)} {last.UtcDateTime:HH:mm} UTC", last + WatchedWithin);
    }

    private static (ObligationState, string, DateTimeOffset?) FreeText(Obligation o, ObligationFacts f)
    {
        if (!f.Manual.TryGetValue(o.Id, out var manual)) return Unknown("not reviewed yet: set its status, with the evidence");
        var reason = $"{manual.Evidence} (set by {manual.SetBy} on {Day(manual.SetAt)})";
        return manual.State == ObligationState.Unknown ? Unknown(reason) : (manual.State, reason, manual.State == ObligationState.Breached ? manual.SetAt : null);
    }

    private static string Day(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    private static string Day(DateOnly at) => at.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Hours(TimeSpan span) =>
        span.TotalHours < 1 ? $"{Math.Max(0, (int)span.TotalMinutes)} minutes" : $"{(int)span.TotalHours} hours";
}
