using Custodes.Agreements;

namespace Custodes.Core.Tests.Agreements;

public sealed class CheckObligationsTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    private static readonly Agreement Signed = new() { Customer = "dental-042", Provider = "percsoft", SignedOn = new DateOnly(2026, 1, 15) };

    private static readonly LetterFacts Letter = new()
    {
        LetterId = "L1", Framework = "nist-sp800-171r2", SignatureValid = true, IssuedAt = Now.AddDays(-100), ValidUntil = new DateOnly(2027, 6, 1),
        Score = 95, CmmcLevel2 = "conditional", MfaMet = true,
    };

    private static readonly ObligationFacts Linked = new() { ProviderName = "PerCSoft", ProviderHasAccount = true, Letter = Letter, Watched = true, LastEventAt = Now.AddHours(-1) };

    private static ObligationResult Check(Obligation o, ObligationFacts facts) => CheckObligations.Check(Signed, o, facts, Now);

    private static Obligation Of(ObligationKind kind, int? value = null, string? framework = null, string? cmmc = null, string? text = null) =>
        new() { Id = "x", Kind = kind, Value = value, Framework = framework, CmmcStatus = cmmc, Text = text };

    [Fact]
    public void Valid_attestation_is_met_by_a_letter_in_force_for_the_framework_and_breached_since_its_revocation()
    {
        var o = Of(ObligationKind.ValidAttestation, framework: "nist-sp800-171r2");
        Assert.Equal(ObligationState.Met, Check(o, Linked).State);
        var revokedAt = Now.AddDays(-2);
        var r = Check(o, Linked with { Letter = Letter with { Revoked = true, RevokedAt = revokedAt, RevocationReason = "key compromise" } });
        Assert.Equal((ObligationState.Breached, revokedAt), (r.State, r.Since));
        Assert.Contains("key compromise", r.Reason);
        Assert.Equal(ObligationState.Breached, Check(Of(ObligationKind.ValidAttestation, framework: "nist-sp800-171r3"), Linked).State);
        Assert.Equal(ObligationState.Unknown, Check(o, Linked with { ProviderHasAccount = false }).State);
    }

    [Fact]
    public void An_expired_letter_breaches_from_its_last_valid_day()
    {
        var r = Check(Of(ObligationKind.ValidAttestation, framework: "nist-sp800-171r2"), Linked with { Letter = Letter with { Expired = true, ValidUntil = new DateOnly(2026, 11, 1) } });
        Assert.Equal((ObligationState.Breached, new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero)), (r.State, r.Since));
    }

    [Fact]
    public void A_breach_without_a_date_of_its_own_keeps_the_date_first_seen()
    {
        var o = Of(ObligationKind.ValidAttestation, framework: "nist-sp800-171r2");
        var first = Now.AddDays(-5);
        var facts = Linked with { Letter = null, Previous = new Dictionary<string, ObligationResult> { ["x"] = new("x", o.Kind, ObligationState.Breached, "", first) } };
        Assert.Equal(first, Check(o, facts).Since);
        Assert.Equal(Now, Check(o, facts with { Previous = new Dictionary<string, ObligationResult>() }).Since);
    }

    [Fact]
    public void Minimum_score_compares_the_attested_score()
    {
        Assert.Equal(ObligationState.Met, Check(Of(ObligationKind.MinimumScore, 95), Linked).State);
        var r = Check(Of(ObligationKind.MinimumScore, 96), Linked);
        Assert.Equal((ObligationState.Breached, Letter.IssuedAt), (r.State, r.Since));
        Assert.Equal(ObligationState.Unknown, Check(Of(ObligationKind.MinimumScore, 88), Linked with { Letter = null }).State);
    }

    [Fact]
    public void Cmmc_level_final_is_not_met_by_conditional()
    {
        Assert.Equal(ObligationState.Met, Check(Of(ObligationKind.CmmcLevel, cmmc: "conditional"), Linked).State);
        Assert.Equal(ObligationState.Breached, Check(Of(ObligationKind.CmmcLevel, cmmc: "final"), Linked).State);
        Assert.Equal(ObligationState.Met, Check(Of(ObligationKind.CmmcLevel, cmmc: "conditional"), Linked with { Letter = Letter with { CmmcLevel2 = "final" } }).State);
        Assert.Equal(ObligationState.Unknown, Check(Of(ObligationKind.CmmcLevel, cmmc: "final"), Linked with { Letter = Letter with { CmmcLevel2 = null } }).State);
    }

    [Fact]
    public void Mfa_on_remote_tools_is_breached_by_an_open_mfa_disabled_alert_or_an_unmet_3_5_3()
    {
        var o = Of(ObligationKind.MfaOnRemoteTools);
        Assert.Equal(ObligationState.Met, Check(o, Linked).State);
        var seen = Now.AddHours(-30);
        var r = Check(o, Linked with { OpenMfaAlerts = [new AlertFact("A1", "mfa-disabled", seen)] });
        Assert.Equal((ObligationState.Breached, seen), (r.State, r.Since));
        Assert.Equal(ObligationState.Breached, Check(o, Linked with { Letter = Letter with { MfaMet = false } }).State);
        Assert.Equal(ObligationState.Breached, Check(o, Linked with { Letter = null, AssessmentMfaMet = false }).State);
        Assert.Equal(ObligationState.Unknown, Check(o, Linked with { Letter = null }).State);
    }

    [Fact]
    public void Incident_notice_hours_is_breached_when_no_notice_follows_a_critical_alert_in_time()
    {
        var o = Of(ObligationKind.IncidentNoticeHours, 72);
        var detected = Now.AddHours(-100);
        Assert.Equal(ObligationState.Met, Check(o, Linked).State);
        Assert.Equal(ObligationState.Met, Check(o, Linked with { CriticalAlerts = [new AlertFact("A", "mass-execution", detected, detected.AddHours(5))] }).State);
        var silent = Check(o, Linked with { CriticalAlerts = [new AlertFact("A", "mass-execution", detected)] });
        Assert.Equal((ObligationState.Breached, detected.AddHours(72)), (silent.State, silent.Since));
        Assert.Equal(ObligationState.Breached, Check(o, Linked with { CriticalAlerts = [new AlertFact("A", "mass-execution", detected, detected.AddHours(80))] }).State);
        // Still within the hours: not yet a breach.
        Assert.Equal(ObligationState.Met, Check(o, Linked with { CriticalAlerts = [new AlertFact("A", "mass-execution", Now.AddHours(-2))] }).State);
        Assert.Equal(ObligationState.Unknown, Check(o, Linked with { Watched = false }).State);
    }

    [Fact]
    public void Restore_test_and_immutable_backup_read_the_relationships_backup()
    {
        var o = Of(ObligationKind.RestoreTestWithinDays, 180);
        var today = DateOnly.FromDateTime(Now.UtcDateTime);
        Assert.Equal(ObligationState.Met, Check(o, Linked with { Backup = new BackupFacts(null, null, today.AddDays(-180)) }).State);
        var late = Check(o, Linked with { Backup = new BackupFacts(null, null, today.AddDays(-181)) });
        Assert.Equal((ObligationState.Breached, new DateTimeOffset(today.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero)), (late.State, late.Since));
        Assert.Equal(ObligationState.Unknown, Check(o, Linked).State);
        var immutable = Of(ObligationKind.ImmutableBackup);
        Assert.Equal(ObligationState.Met, Check(immutable, Linked with { Backup = new BackupFacts(true, null, null) }).State);
        Assert.Equal(ObligationState.Breached, Check(immutable, Linked with { Backup = new BackupFacts(false, null, null) }).State);
        Assert.Equal(ObligationState.Unknown, Check(immutable, Linked).State);
    }

    [Fact]
    public void Right_to_audit_is_met_by_a_shared_assessment()
    {
        var o = Of(ObligationKind.RightToAudit);
        Assert.Equal(ObligationState.Met, Check(o, Linked with { SharedAssessmentAt = Now.AddDays(-3) }).State);
        Assert.Equal(ObligationState.Breached, Check(o, Linked).State);
    }

    [Fact]
    public void Watched_rmm_needs_a_log_within_a_day()
    {
        var o = Of(ObligationKind.WatchedRmm);
        Assert.Equal(ObligationState.Met, Check(o, Linked).State);
        var last = Now.AddHours(-25);
        var r = Check(o, Linked with { LastEventAt = last });
        Assert.Equal((ObligationState.Breached, last.AddHours(24)), (r.State, r.Since));
        Assert.Equal(ObligationState.Breached, Check(o, Linked with { Watched = false }).State);
    }

    [Fact]
    public void Free_text_carries_the_status_and_evidence_set_by_hand()
    {
        var o = Of(ObligationKind.FreeText, text: "Cyber insurance of $1M");
        Assert.Equal(ObligationState.Unknown, Check(o, Linked).State);
        var set = new ManualStatus(ObligationState.Breached, "policy lapsed in November", "user:ana@dental.example", Now.AddDays(-1));
        var r = Check(o, Linked with { Manual = new Dictionary<string, ManualStatus> { ["x"] = set } });
        Assert.Equal((ObligationState.Breached, set.SetAt), (r.State, r.Since));
        Assert.Contains("policy lapsed", r.Reason);
    }
}
