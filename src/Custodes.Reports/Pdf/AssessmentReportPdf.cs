using System.Globalization;
using Custodes.Assessments;
using Custodes.Assessments.Poam;
using Custodes.Assessments.Scoring;
using Custodes.Catalogs;
using PdfSharp.Drawing;
using static Custodes.Reports.Pdf.PdfComposer;

namespace Custodes.Reports.Pdf;

/// <summary>The assessment report (PDF): cover, executive summary with score gauge and per-family chart, method and scope, findings per family, POA&amp;M, evidence index, signature page.</summary>
public static class AssessmentReportPdf
{
    public static byte[] Write(ReportData data)
    {
        var a = data.Assessment;
        var title = $"{data.Catalog.Title} Assessment Report";
        var pdf = new PdfComposer($"{title}: {a.Organization}", title, a.Assessor ?? "Custodes");
        Cover(pdf, data, title);
        ExecutiveSummary(pdf, data);
        MethodAndScope(pdf, data);
        Findings(pdf, data);
        Poam(pdf, data);
        EvidenceIndex(pdf, data);
        Signatures(pdf, data);
        pdf.Finish($"{a.Organization}: {title}", a.AssessedOn is { } on ? $"Assessed {D(on)}" : "Assessment date not recorded",
            $"Confidential. Prepared {(a.Assessor is { } by ? "by " + by : "with Custodes")} for {a.Organization}.");
        return pdf.Save(a.AssessedOn);
    }

    private static string D(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static void Cover(PdfComposer pdf, ReportData data, string title)
    {
        var a = data.Assessment;
        pdf.NewPage();
        var g = pdf.G;
        g.DrawRectangle(new XSolidBrush(Accent), 0, 0, PageWidth, 250);
        g.DrawString(title.ToUpperInvariant(), Font(10, bold: true), XBrushes.White, new XRect(Margin, 80, pdf.Width, 14), XStringFormats.TopLeft);
        pdf.Y = 104;
        foreach (var line in pdf.Wrap(a.Organization, Font(28, bold: true), pdf.Width))
        {
            g.DrawString(line, Font(28, bold: true), XBrushes.White, new XRect(Margin, pdf.Y, pdf.Width, 36), XStringFormats.TopLeft);
            pdf.Y += 36;
        }
        if (a.AssessedOn is { } on)
            g.DrawString($"Assessed {on.ToString("MMMM d, yyyy", CultureInfo.InvariantCulture)}", Font(12), XBrushes.White, new XRect(Margin, 210, pdf.Width, 16), XStringFormats.TopLeft);

        pdf.Y = 290;
        Charts.ScoreGauge(g, Margin, pdf.Y, 190, data.Score);
        var x = Margin + 230;
        var y = pdf.Y + 4;
        void Stat(string label, string value, XColor color)
        {
            g.DrawString(label.ToUpperInvariant(), Font(7.5, bold: true), new XSolidBrush(Muted), new XRect(x, y, 250, 10), XStringFormats.TopLeft);
            g.DrawString(value, Font(13, bold: true), new XSolidBrush(color), new XRect(x, y + 11, 250, 18), XStringFormats.TopLeft);
            y += 36;
        }
        Stat("SPRS score", data.Score.Score is { } s ? $"{s} of {data.Score.Max}" : "No score", data.Score.Score is null ? Red : Ink);
        if (Frameworks.IsR2Based(data.Catalog.Framework))
        {
            Stat("CMMC Level 1", CmmcText(data.Score.Cmmc.Level1.Status), CmmcColor(data.Score.Cmmc.Level1.Status));
            Stat("CMMC Level 2", CmmcText(data.Score.Cmmc.Level2.Status), CmmcColor(data.Score.Cmmc.Level2.Status));
        }
        Stat("Requirements met", MetText(data.Score.Counts, data.Rows.Count), Ink);

        pdf.Y = 520;
        pdf.Facts(
        [
            ("Organization", a.Organization),
            ("Framework", $"{data.Catalog.Title} ({data.Catalog.Framework})"),
            ("Scope", a.Scope ?? "Not recorded"),
            ("Assessment date", a.AssessedOn is { } d ? D(d) : "Not recorded"),
            ("Assessor", a.Assessor ?? "Not recorded"),
            ("System security plan", a.Ssp switch { true => "Yes", false => "No", _ => "Not recorded" }),
        ], labelWidth: 130);
    }

    /// <summary>"104 of 110 · 2 not applicable": the score's own <c>counts.met</c> (which excludes not applicable), so the report never shows another number than <c>score</c> and the web page.</summary>
    public static string MetText(StatusCounts counts, int total) =>
        $"{counts.Met} of {total}" + (counts.NotApplicable > 0 ? $" · {counts.NotApplicable} not applicable" : "");

    private static string CmmcText(string status) => status switch
    {
        CmmcStatuses.Final => "Final",
        CmmcStatuses.Conditional => "Conditional",
        _ => "No status",
    };

    private static XColor CmmcColor(string status) => status switch
    {
        CmmcStatuses.Final => Green,
        CmmcStatuses.Conditional => Amber,
        _ => Red,
    };

    private static void ExecutiveSummary(PdfComposer pdf, ReportData data)
    {
        var a = data.Assessment;
        var score = data.Score;
        pdf.NewPage();
        pdf.Heading("Executive summary");
        var c = score.Counts;
        var scoreSentence = score.Score is { } s
            ? $"The assessment score by the DoD Assessment Methodology v1.2.1 is {s} of {score.Max}."
            : $"No score can be given: {string.Join(" ", score.Errors)}";
        pdf.Paragraph($"{a.Organization} was assessed against {data.Catalog.Title}{(a.AssessedOn is { } on ? $" on {D(on)}" : "")}. " +
            $"Of {data.Rows.Count} requirements, {c.Met} are met, {c.NotApplicable} not applicable, {c.NotMet} not met and {c.Unassessed} not assessed. {scoreSentence}");
        if (Frameworks.IsR2Based(data.Catalog.Framework))
        {
            var l1 = score.Cmmc.Level1;
            var l2 = score.Cmmc.Level2;
            pdf.Paragraph(l1.Status == CmmcStatuses.Final
                ? "CMMC Level 1: all 17 Level 1 requirements are met (final status)."
                : $"CMMC Level 1: no status; not met: {string.Join(", ", l1.Blocking)} (Level 1 allows no POA&M).");
            pdf.Paragraph(l2.Status switch
            {
                CmmcStatuses.Final => "CMMC Level 2: all 110 requirements are met (final status).",
                CmmcStatuses.Conditional => $"CMMC Level 2: conditional status. Every open requirement may be on a POA&M, which must close out by {(l2.CloseoutDue is { } due ? D(due) : "180 days after the assessment")} (32 CFR 170.21).",
                _ => "CMMC Level 2: no status" + (l2.PoamIneligible.Count > 0
                    ? $"; these unmet requirements may not be on a CMMC POA&M and must be met: {string.Join(", ", l2.PoamIneligible)}."
                    : score.Score is < ScoreAssessment.ConditionalThreshold ? $"; the score is below {ScoreAssessment.ConditionalThreshold}, the least for a conditional status." : "."),
            });
        }
        pdf.Space(6);
        pdf.EnsureSpace(170);
        Charts.ScoreGauge(pdf.G, pdf.Left, pdf.Y + 10, 150, score);
        var gapsX = pdf.Left + 180;
        var y = pdf.Y + 6;
        pdf.G.DrawString("Largest gaps", pdf.Bold, new XSolidBrush(Ink), new XRect(gapsX, y, 300, 14), XStringFormats.TopLeft);
        y += 16;
        var gaps = data.Rows.Where(r => r.Status is Status.NotMet or Status.Unassessed).OrderByDescending(r => r.Deduction).ThenBy(r => data.Catalog.OrdinalOf(r.Requirement.Id)).Take(7).ToArray();
        if (gaps.Length == 0) pdf.G.DrawString("None: every requirement is met or not applicable.", pdf.Body, new XSolidBrush(Muted), new XRect(gapsX, y, 300, 12), XStringFormats.TopLeft);
        foreach (var gap in gaps)
        {
            var line = $"{gap.Requirement.Id}  {(gap.Deduction > 0 ? $"−{gap.Deduction}" : "")}  {gap.Requirement.Text}";
            var text = pdf.Wrap(line, pdf.Small, pdf.Width - 180)[0];
            if (text.Length < line.Length) text = text.TrimEnd().TrimEnd('.', ',') + "…";
            pdf.G.DrawString(text, pdf.Small, new XSolidBrush(gap.Status == Status.NotMet ? Red : Amber), new XRect(gapsX, y, pdf.Width - 180, 11), XStringFormats.TopLeft);
            y += 13;
        }
        pdf.Y += 150;
        pdf.Subheading("Requirements by family");
        pdf.EnsureSpace(data.Families.Count * 15 + 30);
        pdf.Y += Charts.FamilyBars(pdf.G, pdf.Left, pdf.Y, pdf.Width, data.Families) + 6;
        if (data.PoamFlags.Count > 0)
        {
            pdf.Subheading("To act on");
            foreach (var flag in data.PoamFlags) pdf.Bullet(flag.Message, bulletColor: Red);
        }
    }

    private static void MethodAndScope(PdfComposer pdf, ReportData data)
    {
        var a = data.Assessment;
        pdf.Heading("Scope and method", before: 14);
        pdf.Subheading("Scope");
        pdf.Paragraph(a.Scope ?? "The scope was not recorded.");
        if (a.System is { } system)
        {
            pdf.Subheading("System description");
            pdf.Paragraph(system);
        }
        pdf.Subheading("Method");
        var methods = data.Rows.SelectMany(r => r.AllMethods.Select(m => (r.Requirement.Id, m))).GroupBy(x => x.m).ToDictionary(g => g.Key, g => g.Select(x => x.Id).Distinct().Count());
        pdf.Paragraph("Each requirement was assessed with the procedures of NIST SP 800-171A: examining documents and artifacts, interviewing personnel, and testing mechanisms and activities. " +
            "Where the assessor determined the SP 800-171A objectives of a requirement, the requirement's status follows from them: met when all are met or not applicable, not met when any is not met. " +
            "The score follows the NIST SP 800-171 DoD Assessment Methodology v1.2.1 (start at 110 and subtract the points of each requirement not met; unassessed counts as not met). " +
            "CMMC status follows 32 CFR 170.21 and 170.24.");
        pdf.Facts(
        [
            ("Examine", $"{methods.GetValueOrDefault(AssessmentMethod.Examine)} requirements"),
            ("Interview", $"{methods.GetValueOrDefault(AssessmentMethod.Interview)} requirements"),
            ("Test", $"{methods.GetValueOrDefault(AssessmentMethod.Test)} requirements"),
            ("Objective-level findings", $"{data.Assessment.Objectives.Count} objectives of {data.Rows.Count(r => r.HasObjectiveFindings)} requirements"),
            ("Evidence", $"{data.Evidence.Count} items ({data.Evidence.Count(e => e.IsSha256)} stored files identified by SHA-256)"),
        ]);
        if (data.Score.Counts.Unassessed > 0)
            pdf.Paragraph($"Limitation: {data.Score.Counts.Unassessed} requirements were not assessed; they count as not met.", color: Amber);
    }

    private static void Findings(PdfComposer pdf, ReportData data)
    {
        pdf.NewPage();
        pdf.Heading("Findings");
        pdf.Paragraph("Every requirement with its determination. Points are those subtracted from the score. Notes are the assessor's; objective-level determinations follow the requirement.", pdf.Small, Muted);
        foreach (var family in data.Families)
        {
            pdf.Subheading($"{family.Family.Id}  {family.Family.Name}  ({family.Met} of {family.Rows.Count} met{(family.NotApplicable > 0 ? $", {family.NotApplicable} not applicable" : "")}{(family.PointsLost > 0 ? $", −{family.PointsLost} points" : "")})");
            pdf.Table(
                [new Column("Id", 0.1), new Column("Requirement and notes", 0.66), new Column("Status", 0.15), new Column("Points", 0.09)],
                family.Rows.Select(r => (IReadOnlyList<Cell>)
                [
                    new Cell([new Run(DisplayId(data, r.Requirement), pdf.Bold)]),
                    new Cell(RequirementRuns(r)),
                    new Cell(r.Partial
                        ? [new Run(StatusText(r), Font(8.5, bold: true), StatusColor(r.Status)), new Run("partial credit", Font(7.5), Muted)]
                        : [new Run(StatusText(r), Font(8.5, bold: true), StatusColor(r.Status))]),
                    r.Deduction > 0 ? new Cell([new Run($"−{r.Deduction}", pdf.Bold, Red)]) : new Cell([new Run(r.Requirement.Points is null ? "–" : "0", pdf.Body, Muted)]),
                ]));
        }
    }

    private static string DisplayId(ReportData data, Requirement r) =>
        data.Catalog.Framework is Frameworks.CmmcL1 or Frameworks.CmmcL2 && r.CmmcId is { } cmmc ? cmmc : r.Id;

    private static List<Run> RequirementRuns(RequirementRow r)
    {
        var runs = new List<Run> { new(r.Requirement.Title is { } t ? $"{t}. {r.Requirement.Text}" : r.Requirement.Text) };
        if (r.Finding?.Note is { Length: > 0 } note) runs.Add(new Run("Note: " + note, Font(8, italic: true), Muted));
        var assessed = r.Objectives.Where(o => o.Status != Status.Unassessed).ToArray();
        if (assessed.Length > 0)
            runs.Add(new Run("Objectives: " + string.Join("; ", assessed.Select(o => $"{o.Objective.Id[o.Objective.Id.IndexOf('[')..]} {o.Status.ToWire()}")), Font(8), Muted));
        foreach (var o in assessed.Where(o => o.Finding?.Note is { Length: > 0 }))
            runs.Add(new Run($"{o.Objective.Id}: {o.Finding!.Note}", Font(8, italic: true), Muted));
        var methods = r.AllMethods;
        var evidence = r.AllEvidence.Count();
        if (methods.Count > 0 || evidence > 0)
            runs.Add(new Run(string.Join(" · ", new[] { methods.Count > 0 ? "Methods: " + string.Join(", ", methods.Select(m => m.ToString().ToLowerInvariant())) : null, evidence > 0 ? $"Evidence: {evidence}" : null }.Where(x => x is not null)), Font(7.5), Muted));
        if (r.Poam is { } item && !r.Status.IsSatisfied())
            runs.Add(new Run($"POA&M: {item.Milestones ?? "plan recorded"}{(item.PlannedCompletion is { } pc ? $" (planned {D(pc)})" : "")}", Font(8), Accent));
        else if (!r.Status.IsSatisfied())
            runs.Add(new Run("POA&M: on the plan, no plan written yet", Font(8), Accent));
        return runs;
    }

    private static string StatusText(RequirementRow r) => r.Status switch
    {
        Status.Met => "Met",
        Status.NotApplicable => "N/A",
        Status.NotMet => "Not met",
        _ => "Unassessed",
    };

    private static XColor StatusColor(Status status) => status switch
    {
        Status.Met => Green,
        Status.NotApplicable => Slate,
        Status.NotMet => Red,
        _ => Amber,
    };

    private static void Poam(PdfComposer pdf, ReportData data)
    {
        pdf.NewPage();
        pdf.Heading("Plan of action and milestones");
        var l2 = data.Score.Cmmc.Level2;
        if (data.Assessment.AssessedOn is { } on && Frameworks.IsR2Based(data.Catalog.Framework))
            pdf.Paragraph($"A CMMC conditional status requires every POA&M item to close out within 180 days of the assessment, by {D(Assessments.Poam.PoamRules.CloseoutDue(on))}" +
                (l2.Status == CmmcStatuses.Conditional ? "." : "; the current CMMC Level 2 status is not conditional, so this date is informational."), pdf.Small, Muted);
        var plan = data.Poam;
        if (plan.Items.Count == 0)
        {
            pdf.Paragraph("Every requirement is met or not applicable: there is no plan of action.");
            return;
        }
        var withoutPlan = plan.Items.Count(i => !i.HasPlan);
        pdf.Paragraph($"The plan lists every requirement that is not met ({plan.Items.Count}), including requirements not assessed yet, which count as not met." +
            (withoutPlan > 0 ? $" {withoutPlan} of them have no plan written yet." : ""), pdf.Small, Muted);
        pdf.Table(
            [new Column("Req.", 0.11), new Column("Milestones", 0.42), new Column("Planned", 0.13), new Column("Status", 0.15), new Column("Owner", 0.19)],
            plan.Items.Select(item =>
            {
                var milestones = new List<Run> { new(item.Milestones ?? (item.HasPlan ? "No milestones recorded" : "No plan written yet")) };
                if (item.RequirementStatus == Status.Unassessed) milestones.Add(new Run("Not assessed yet (counts as not met).", Font(8), Muted));
                if (item.NotAllowedOnCmmcPoam) milestones.Add(new Run("Not POA&M-eligible under CMMC: must be met for a CMMC status.", Font(8, bold: true), Red));
                if (item.Note is { Length: > 0 } note) milestones.Add(new Run(note, Font(8, italic: true), Muted));
                foreach (var flag in item.Flags.Where(f => f.Kind is not (PoamFlagKind.MissingItem or PoamFlagKind.NotAllowedOnCmmcPoam)))
                    milestones.Add(new Run("⚠ " + flag.Message, Font(8), Red));
                return (IReadOnlyList<Cell>)
                [
                    new Cell([new Run(item.Id, pdf.Bold)]),
                    new Cell(milestones),
                    item.PlannedCompletion is { } pc ? D(pc) : "–",
                    AssessmentFile.PoamStatusName(item.Status) + (item.CompletedOn is { } done ? $" {D(done)}" : ""),
                    item.Owner ?? "–",
                ];
            }));
    }

    private static void EvidenceIndex(PdfComposer pdf, ReportData data)
    {
        pdf.Heading("Evidence index", before: 16);
        if (data.Evidence.Count == 0)
        {
            pdf.Paragraph("No evidence references are recorded.");
            return;
        }
        pdf.Paragraph("Stored evidence files are identified by their SHA-256 digest; anyone holding a file can recompute its digest and match it here.", pdf.Small, Muted);
        pdf.Table(
            [new Column("#", 0.06), new Column("Reference", 0.62), new Column("Supports", 0.32)],
            data.Evidence.Select((e, i) => (IReadOnlyList<Cell>)
            [
                (i + 1).ToString(CultureInfo.InvariantCulture),
                new Cell([new Run(e.Reference, Font(7.5))]),
                new Cell([new Run(string.Join(", ", e.Supports), Font(8))]),
            ]));
    }

    private static void Signatures(PdfComposer pdf, ReportData data)
    {
        var a = data.Assessment;
        pdf.NewPage();
        pdf.Heading("Signatures");
        pdf.Paragraph($"The assessor states that this report records the determinations made in the assessment of {a.Organization} against {data.Catalog.Title}" +
            $"{(a.AssessedOn is { } on ? $" on {D(on)}" : "")}, that the score and CMMC status were computed from those determinations as described under Scope and method, and that the evidence listed was examined.");
        pdf.Paragraph($"The organization's representative acknowledges receipt of this report and of the plan of action and milestones it contains.");
        pdf.Space(20);
        foreach (var role in new[] { $"Assessor{(a.Assessor is { } by ? $", {by}" : "")}", $"Representative of {a.Organization}" })
        {
            pdf.EnsureSpace(130);
            pdf.Subheading(role);
            foreach (var field in new[] { "Name", "Title", "Signature", "Date" })
            {
                pdf.Space(14);
                pdf.G.DrawString(field, pdf.Small, new XSolidBrush(Muted), new XRect(pdf.Left, pdf.Y, 80, 12), XStringFormats.TopLeft);
                pdf.G.DrawLine(new XPen(Ink, 0.6), pdf.Left + 80, pdf.Y + 11, pdf.Left + 360, pdf.Y + 11);
                pdf.Space(12);
            }
            pdf.Space(24);
        }
    }
}
