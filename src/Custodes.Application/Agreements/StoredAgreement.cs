using System.Text;
using Custodes.Agreements;
using Custodes.Application.Database;

namespace Custodes.Application.Agreements;

/// <summary>A stored agreement with its obligations' statuses as last checked.</summary>
public sealed record StoredAgreement(
    Guid Id,
    Guid OrganizationId,
    string ProviderName,
    Guid? ProviderOrganizationId,
    Agreement Agreement,
    int Version,
    DateTime UpdatedAt,
    string UpdatedBy,
    DateTime? CheckedAt,
    IReadOnlyList<ObligationResult> Statuses)
{
    /// <summary>The obligation's status, or unknown when it was never checked.</summary>
    public ObligationResult StatusOf(Obligation o) =>
        Statuses.FirstOrDefault(s => s.Id == o.Id) ?? new ObligationResult(o.Id, o.Kind, ObligationState.Unknown, "not checked yet", null);

    internal static StoredAgreement From(AgreementRow row, IEnumerable<ObligationStatusRow> statuses) => new(
        row.Id, row.OrganizationId, row.ProviderName, row.ProviderOrganizationId, AgreementFile.Parse(Encoding.UTF8.GetBytes(row.Content), $"stored agreement {row.Id}"),
        row.Version, row.UpdatedAt, row.UpdatedBy, row.CheckedAt,
        [.. statuses.Select(s => new ObligationResult(s.ObligationId, Kind(s.Kind), State(s.Status), s.Reason, s.Since is { } since ? new DateTimeOffset(since, TimeSpan.Zero) : null))]);

    internal static ObligationKind Kind(string name) => AgreementNames.Kinds.TryParse(name, out var k) ? k : ObligationKind.FreeText;

    internal static ObligationState State(string name) => AgreementNames.States.TryParse(name, out var s) ? s : ObligationState.Unknown;
}

/// <summary>The output of <c>custodes agreement check --json</c> (contracts §14).</summary>
public sealed record AgreementCheckReport(IReadOnlyList<AgreementCheckReport.Entry> Agreements)
{
    public sealed record Entry(string Customer, string Provider, DateOnly? RenewsOn, IReadOnlyList<ObligationEntry> Obligations);

    /// <summary>One obligation: <c>status</c> is met, breached or unknown; <c>since</c> is set for a breach.</summary>
    public sealed record ObligationEntry(
        string Id,
        string Kind,
        string Status,
        string Reason,
        string? Since);

    /// <summary>A UTC time as the API writes times: <c>2026-11-02T09:30:00Z</c>.</summary>
    public static string? Time(DateTimeOffset? at) => at?.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);

    public static AgreementCheckReport From(IEnumerable<StoredAgreement> agreements) => new([.. agreements.Select(a => new Entry(
        a.Agreement.Customer, a.Agreement.Provider, a.Agreement.RenewsOn,
        [.. a.Agreement.Obligations.Select(a.StatusOf).Select(s => new ObligationEntry(s.Id, AgreementNames.Kinds.Name(s.Kind), AgreementNames.States.Name(s.State), s.Reason, Time(s.Since)))]))]);
}
