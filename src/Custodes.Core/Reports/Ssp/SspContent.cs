using Custodes.Assessments;
using Custodes.Catalogs;

namespace Custodes.Reports.Ssp;

/// <summary>What a system security plan says, from an assessment and the organization's implementation statements: one source for the OSCAL SSP, the PDF and the HTML.</summary>
public sealed class SspContent
{
    public SspContent(ReportData data, ImplementationStatements? statements = null)
    {
        Data = data;
        Statements = statements ?? ImplementationStatements.None;
        var a = data.Assessment;
        SystemName = Statements.SystemName ?? $"{a.Organization} information system";
        Description = string.IsNullOrWhiteSpace(a.System)
            ? $"The information system of {a.Organization} that processes, stores or transmits Controlled Unclassified Information (CUI)."
            : a.System.Trim();
        DescriptionIsDerived = string.IsNullOrWhiteSpace(a.System);
        Boundary = string.IsNullOrWhiteSpace(a.Scope) ? "The authorization boundary has not been recorded." : a.Scope.Trim();
        Requirements = data.Rows.Select(Implementation).ToArray();
    }

    public ReportData Data { get; }
    public ImplementationStatements Statements { get; }
    public string SystemName { get; }
    public string Description { get; }
    /// <summary>True when the assessment records no system description and <see cref="Description"/> is a generic one.</summary>
    public bool DescriptionIsDerived { get; }
    /// <summary>The authorization boundary: the assessment's scope.</summary>
    public string Boundary { get; }
    public IReadOnlyList<RequirementImplementation> Requirements { get; }

    /// <summary>CUI needs at least moderate confidentiality (32 CFR 2002.12); SP 800-171 is built on the moderate baseline.</summary>
    public const string SensitivityLevel = "moderate";

    private RequirementImplementation Implementation(RequirementRow row)
    {
        var statement = Statements.For(row.Requirement.Id);
        var text = statement?.Statement ?? Default(row);
        return new RequirementImplementation(row, text, statement is not null, statement?.Responsible ?? row.Poam?.Owner);
    }

    private string Default(RequirementRow row)
    {
        var on = Data.Assessment.AssessedOn is { } d ? $" on {d:yyyy-MM-dd}" : "";
        var note = row.Finding?.Note is { Length: > 0 } n ? " " + n.Trim() : "";
        return row.Status switch
        {
            Status.Met => $"Implemented (assessed as met{on}).{note}",
            Status.NotApplicable => $"Not applicable to this system (assessed{on}).{note}",
            Status.NotMet => $"Not fully implemented (assessed as not met{on}).{note}" +
                (row.Poam is { } p ? $" Planned: {p.Milestones ?? "see the plan of action"}{(p.PlannedCompletion is { } pc ? $", by {pc:yyyy-MM-dd}" : "")}." : ""),
            _ => $"Implementation not yet described or assessed.{note}",
        };
    }
}

/// <summary>How one requirement is implemented: the organization's statement when given, else text derived from the assessment.</summary>
public sealed record RequirementImplementation(RequirementRow Row, string Text, bool FromOrganization, string? Responsible)
{
    public Requirement Requirement => Row.Requirement;
    public Status Status => Row.Status;

    /// <summary>The implementation status as an SSP names it (the HTML and the PDF plan print the same words).</summary>
    public string StatusLabel => Status switch
    {
        Status.Met => "Implemented",
        Status.NotApplicable => "Not applicable",
        Status.NotMet when Row.Partial => "Partial",
        Status.NotMet => "Planned",
        _ => "Not assessed",
    };
}
