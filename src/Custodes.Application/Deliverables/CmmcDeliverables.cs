using Custodes.Application.Assessments;
using Custodes.Assessments;
using Custodes.Application.Evidence;
using Custodes.Application.SupplyChain;
using Custodes.Reports;
using Custodes.Reports.Artifacts;
using Custodes.Reports.Spreadsheets;
using Custodes.SupplyChain;

namespace Custodes.Application.Deliverables;

/// <summary>
/// What a CMMC assessor hands over from an assessment: the results workbook (status, methods, notes and inheritance per requirement and
/// objective) and the artifact hash list of the DoD CMMC Hashing Guide, whose SHA-256 a letter issued from the assessment carries.
/// </summary>
public sealed class CmmcDeliverables(AssessmentStore assessments, EvidenceStore evidence, CustomerInheritance inheritance)
{
    /// <summary>The artifact hash list of a stored assessment: every evidence file linked to it or referenced by its findings (<c>sha256:…</c>).</summary>
    public async Task<ArtifactHashList> ArtifactHashesAsync(Tenant tenant, Guid assessmentId, CancellationToken cancellationToken = default)
    {
        var stored = await assessments.GetAsync(tenant, assessmentId, cancellationToken);
        return await ArtifactHashesAsync(tenant, stored, cancellationToken);
    }

    /// <summary>The results workbook of a stored assessment (XLSX), with inheritance from the providers in the owner's portfolio.</summary>
    public async Task<byte[]> WorkbookAsync(Tenant tenant, Guid assessmentId, CancellationToken cancellationToken = default)
    {
        var stored = await assessments.GetAsync(tenant, assessmentId, cancellationToken);
        var list = await ArtifactHashesAsync(tenant, stored, cancellationToken);
        var data = ReportData.From(stored.Assessment);
        return ResultsWorkbook.Write(data, await InheritanceAsync(tenant, stored, cancellationToken), list.Artifacts.Count > 0 ? list.Sha256 : null);
    }

    private async Task<ArtifactHashList> ArtifactHashesAsync(Tenant tenant, StoredAssessment stored, CancellationToken cancellationToken)
    {
        var referenced = stored.Assessment.Requirements.Values.Concat(stored.Assessment.Objectives.Values)
            .SelectMany(f => f.Evidence).Where(e => e.StartsWith(EvidenceReference.Prefix, StringComparison.Ordinal))
            .Select(e => e[EvidenceReference.Prefix.Length..]).ToHashSet(StringComparer.Ordinal);
        var linked = await evidence.ListAsync(tenant, stored.Id, cancellationToken);
        var all = referenced.Count == 0 ? [] : await evidence.ListAsync(tenant, cancellationToken: cancellationToken);
        var items = linked.Concat(all.Where(e => referenced.Contains(e.Sha256)));
        return ArtifactHashList.Build(items.Select(e => new Artifact(e.FileName, e.Sha256)));
    }

    /// <summary>Requirement id → inherited none/partial/full and from whom, from the assessment owner's portfolio (empty when it has none).</summary>
    private async Task<IReadOnlyDictionary<string, InheritanceLine>> InheritanceAsync(Tenant reader, StoredAssessment stored, CancellationToken cancellationToken)
    {
        // Whoever may read the assessment reads the inheritance it states: the owner's portfolio, read-only, in the reader's name.
        var applied = await inheritance.ApplyAsync(new Tenant(stored.OrganizationId, Roles.Viewer, reader.Actor), stored.Assessment, cancellationToken);
        if (applied is null) return new Dictionary<string, InheritanceLine>();
        return applied.Result.Report.Requirements.ToDictionary(r => r.Id, r => ResultsWorkbook.LineOf(r, id => applied.Graph.Organization(id)?.Name ?? id), StringComparer.Ordinal);
    }
}
