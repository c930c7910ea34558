using Custodes;
using Custodes.Application.Accounts;
using Custodes.Application.Audit;
using Custodes.Application.Engagements;
using Custodes.Application.Keys;
using Custodes.Application.Letters;
using Custodes.Application.Transparency;
using Custodes.Assessments;
using Custodes.Attestation;
using Custodes.Common;
using Custodes.SupplyChain;
using Custodes.Testing;
using Microsoft.EntityFrameworkCore;

namespace Custodes.Application.Tests;

/// <summary>Issue 14: an MSP's request to a named assessor firm, carried by the firm to a letter issued from the installation, with independence enforced.</summary>
public sealed class EngagementTests
{
    public static TheoryData<DatabaseProvider> Providers => TestInstallation.Providers;

    private const string Msp = "Granite Peak Managed IT LLC";
    private const string FirmName = "Northgate Security Assessors LLC";
    private static readonly string Kek = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());

    /// <summary>The two organizations, the firm's three people (the lead with an authenticator), and the use cases wired as the hosts wire them.</summary>
    private sealed class World(Stores stores, string kek)
    {
        public Stores Stores { get; } = stores;
        public AuditTrail Audit { get; } = new(TimeProvider.System);
        public Tenant MspOwner { get; private set; } = null!;
        public Tenant Lead { get; private set; } = null!;
        public Tenant Assessor { get; private set; } = null!;
        public Tenant Reviewer { get; private set; } = null!;
        public byte[] LeadSecret { get; } = System.Security.Cryptography.RandomNumberGenerator.GetBytes(Totp.SecretBytes);
        public FirmKeys Keys { get; private set; } = null!;
        public IssueEngagementLetter Issue { get; private set; } = null!;
        public RequestEngagement Request => new(Stores.Installation, Audit, TimeProvider.System);
        public AcceptEngagement Accept => new(Stores.Installation, Audit, TimeProvider.System);
        public DeclineEngagement Decline => new(Stores.Installation, Audit, TimeProvider.System);
        public AdvanceEngagement Advance => new(Stores.Installation, Audit, TimeProvider.System);
        public SignOffQuality Qa => new(Stores.Installation, Audit, TimeProvider.System);
        public EngagementQueries Queries => new(Stores.Installation);
        public TransparencyLog Log { get; private set; } = null!;

        public async Task<World> CreateAsync()
        {
            var installation = Stores.Installation;
            var msp = await Stores.Organizations.CreateAsync(Msp, OrganizationKinds.Msp, "test");
            var firm = await Stores.Organizations.CreateAsync(FirmName, OrganizationKinds.Assessor, "test");
            MspOwner = new Tenant(msp, Roles.Owner, "user:admin@granitepeak.example", await Stores.Accounts.CreateUserAsync("admin@granitepeak.example", msp, Roles.Owner, null, "test"));
            Lead = new Tenant(firm, Roles.Owner, "user:lead@northgate.example", await Stores.Accounts.CreateUserAsync("lead@northgate.example", firm, Roles.Owner, null, "test"));
            Assessor = new Tenant(firm, Roles.Assessor, "user:assessor@northgate.example", await Stores.Accounts.CreateUserAsync("assessor@northgate.example", firm, Roles.Assessor, null, "test"));
            Reviewer = new Tenant(firm, Roles.Assessor, "user:qa@northgate.example", await Stores.Accounts.CreateUserAsync("qa@northgate.example", firm, Roles.Assessor, null, "test"));
            await using (var db = installation.OpenDb())
            {
                var lead = await db.Users.FirstAsync(u => u.Id == Lead.UserId);
                (lead.TotpSecret, lead.MfaEnabled) = (Base32.Encode(LeadSecret), true);
                await db.SaveChangesAsync();
            }
            Log = new TransparencyLog(installation, new LogKeys(installation, new FileSigningKeyProvider(), new LogOptions()), TimeProvider.System);
            var issue = new IssueLetter(installation, Audit, Log, new SigningKeyRegistry(installation, Audit, TimeProvider.System), TimeProvider.System);
            Keys = new FirmKeys(installation, Audit, TimeProvider.System, new FirmKeyOptions { EncryptionKey = kek });
            Issue = new IssueEngagementLetter(installation, Audit, Stores.Assessments, Keys, issue, TimeProvider.System);
            return this;
        }

        public string Code(int ahead = 0) => Totp.Compute(LeadSecret, Totp.StepAt(DateTimeOffset.UtcNow) + ahead);

        public EngagementAcceptance Acceptance => new()
        {
            Assessors = [Assessor.UserId!.Value], NoOwnershipInterest = true, DidNotDesignImplementOrOperate = true, FeeNotContingent = true, C3paoRules = true, C3paoId = "C3PAO-0042",
        };

        public EngagementRequest Asking(string firm = FirmName) => new() { Firm = firm, Framework = "cmmc-l2", Scope = "Head office, 42 endpoints, Microsoft 365 tenant", TargetDate = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(60) };

        /// <summary>The firm's assessment of the MSP, complete or with one requirement unassessed.</summary>
        public async Task<Guid> FirmAssessmentAsync(bool complete = true)
        {
            var example = DocumentFiles.ReadAssessment(Path.Combine(AppContext.BaseDirectory, "samples", "example-msp.json")).Assessment;
            var requirements = new Dictionary<string, Finding>(example.Requirements);
            if (!complete) requirements.Remove("3.1.1");
            var parsed = AssessmentFile.Parse(AssessmentFile.ToJson(example with { Framework = "cmmc-l2", Organization = Msp, Requirements = requirements }), "firm assessment");
            return await Stores.Assessments.ImportAsync(Lead, parsed);
        }

        /// <summary>Requested, accepted, assessed, moved to quality review: the engagement's id.</summary>
        public async Task<Guid> ToQualityReviewAsync(bool complete = true)
        {
            var id = await Request.HandleAsync(MspOwner, Asking());
            await Accept.HandleAsync(Lead, id, Acceptance);
            await Advance.LinkAssessmentAsync(Lead, id, await FirmAssessmentAsync(complete));
            await Advance.NextAsync(Lead, id);
            await Advance.NextAsync(Lead, id);
            await Advance.NextAsync(Lead, id);
            return id;
        }

        public async Task<(int Letters, long LogSize)> WrittenAsync()
        {
            await using var db = Stores.Installation.OpenDb();
            return (await db.Letters.CountAsync(), await db.LogEntries.LongCountAsync());
        }
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task An_MSPs_request_becomes_a_letter_signed_by_the_firm_after_QA_that_the_MSP_sees_and_that_verifies(DatabaseProvider provider)
    {
        await using var stores = await Stores.CreateAsync(provider);
        var w = await new World(stores, Kek).CreateAsync();

        var id = await w.Request.HandleAsync(w.MspOwner, w.Asking());
        var requested = Assert.Single(await w.Queries.ListAsync(w.Lead));
        Assert.Equal((EngagementStages.Requested, Msp, true), (requested.Stage, requested.Requester, requested.AsFirm));
        Assert.False((await w.Queries.GetAsync(w.MspOwner, id)).AsFirm);

        await w.Accept.HandleAsync(w.Lead, id, w.Acceptance);
        var assessment = await w.FirmAssessmentAsync();
        await w.Advance.LinkAssessmentAsync(w.Lead, id, assessment);
        Assert.Equal(EngagementStages.Preparation, await w.Advance.NextAsync(w.Lead, id));
        Assert.Equal(EngagementStages.Fieldwork, await w.Advance.NextAsync(w.Lead, id));
        // An assessor of the team records a determination with its methods; the MSP reads the firm's assessment, read-only.
        await stores.Assessments.SetDeterminationAsync(w.Assessor, assessment, "3.5.3", new Finding { Status = Status.Met, Methods = [AssessmentMethod.Examine, AssessmentMethod.Test], Note = "MFA enforced in the RMM" }, null);
        var seen = await stores.Assessments.ReadAsync(w.MspOwner, assessment);
        Assert.False(seen.Owned);
        Assert.Equal([AssessmentMethod.Examine, AssessmentMethod.Test], seen.Stored.Assessment.Requirements["3.5.3"].Methods);
        await Assert.ThrowsAsync<NotFoundException>(() => stores.Assessments.SetDeterminationAsync(w.MspOwner, assessment, "3.5.3", Finding.Of(Status.NotMet), null));
        Assert.Equal(EngagementStages.Qa, await w.Advance.NextAsync(w.Lead, id));
        await w.Qa.HandleAsync(w.Reviewer, id);
        var key = await w.Keys.EnsureAsync(w.Lead);

        var issued = await w.Issue.HandleAsync(w.Lead, id, w.Code());

        var engagement = await w.Queries.GetAsync(w.MspOwner, id);
        Assert.Equal((EngagementStages.Issued, issued.LetterId), (engagement.Stage, engagement.LetterId));
        var predicate = LetterPredicate.FromJson(InTotoStatement.Parse(issued.Bundle.Envelope.Payload.Span).Predicate);
        Assert.Equal(FirmName, predicate.Issuer);
        Assert.Equal(new LetterAssessor { Organization = FirmName, C3paoId = "C3PAO-0042", LeadAssessor = "lead@northgate.example", QaReviewer = "qa@northgate.example" }, predicate.Assessor);
        Assert.Contains("C3PAO", predicate.Independence);
        Assert.Equal(Msp, predicate.SubjectOrganization);
        var verification = LetterVerifier.Verify(issued.ToUtf8Bytes(), Ed25519PublicKey.FromPem(key.PublicKeyPem), DateTimeOffset.UtcNow);
        Assert.True(verification.Valid, string.Join("; ", verification.Errors));
        await using var db = stores.Installation.OpenDb();
        Assert.Equal(
            ["engagement.requested", "engagement.accepted", "engagement.assessment_linked", "engagement.stage_changed", "engagement.stage_changed", "engagement.stage_changed", "engagement.qa_signed_off", "engagement.issued"],
            await db.Audit.Where(a => a.EntityType == "engagement" && a.EntityId == id.ToString()).OrderBy(a => a.Sequence).Select(a => a.Action).ToListAsync());
        // The private key is never in the database in clear: the seed's bytes appear nowhere in the stored row.
        using var signing = await w.Keys.LoadAsync(w.Lead.OrganizationId);
        var stored = await db.FirmKeys.SingleAsync();
        Assert.False(stored.EncryptedPrivateKey.AsSpan().IndexOf(signing.ExportSeed()) >= 0);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Requests_to_a_non_assessor_declines_without_reason_and_acceptance_despite_a_conflict_are_refused(DatabaseProvider provider)
    {
        await using var stores = await Stores.CreateAsync(provider);
        var w = await new World(stores, Kek).CreateAsync();
        await stores.Organizations.CreateAsync("Other Managed IT", OrganizationKinds.Msp, "test");

        var toMsp = await Assert.ThrowsAsync<BadInputException>(() => w.Request.HandleAsync(w.MspOwner, w.Asking("Other Managed IT")));
        Assert.Contains("not an assessor firm", toMsp.Message);
        Assert.Equal("firm", toMsp.Path);

        var id = await w.Request.HandleAsync(w.MspOwner, w.Asking());
        var noReason = await Assert.ThrowsAsync<BadInputException>(() => w.Decline.HandleAsync(w.Lead, id, "  ", null));
        Assert.Contains("Conflict of interest", noReason.Message);
        await Assert.ThrowsAsync<BadInputException>(() => w.Decline.HandleAsync(w.Lead, id, DeclineReasons.Other, null));
        await Assert.ThrowsAsync<ForbiddenException>(() => w.Decline.HandleAsync(w.MspOwner, id, DeclineReasons.ConflictOfInterest, null));
        var partial = w.Acceptance with { FeeNotContingent = false };
        Assert.Contains("independence statement", (await Assert.ThrowsAsync<BadInputException>(() => w.Accept.HandleAsync(w.Lead, id, partial))).Message);
        Assert.Equal(EngagementStages.Requested, (await w.Queries.GetAsync(w.Lead, id)).Stage);

        // The firm turns out to watch the MSP's security for a customer: the installation shows it, so acceptance is refused.
        var customer = await stores.Organizations.CreateAsync("Smile Dental Group", OrganizationKinds.Customer, "test");
        await new SupplyChain.PortfolioStore(stores.Installation, w.Audit, TimeProvider.System).ImportAsync(Tenant.Operator(customer), new Portfolio
        {
            Organizations =
            [
                new Organization { Id = "smile", Name = "Smile Dental Group", Kind = OrganizationKind.Customer, CustodesOrganization = customer.ToString() },
                new Organization { Id = "msp", Name = Msp, Kind = OrganizationKind.Msp, CustodesOrganization = w.MspOwner.OrganizationId.ToString() },
                new Organization { Id = "northgate", Name = FirmName, Kind = OrganizationKind.Mssp, CustodesOrganization = w.Lead.OrganizationId.ToString() },
            ],
            Relationships = [new Relationship { Id = "n-msp", Customer = "msp", Provider = "northgate", Services = Services.SecurityMonitoring }],
        }, [], "test");
        var conflict = await Assert.ThrowsAsync<ConflictOfInterestException>(() => w.Accept.HandleAsync(w.Lead, id, w.Acceptance));
        Assert.Contains($"'{FirmName}' is a provider of '{Msp}'", conflict.Message);

        await w.Decline.HandleAsync(w.Lead, id, DeclineReasons.ConflictOfInterest, "we monitor their SOC");
        var declined = await w.Queries.GetAsync(w.MspOwner, id);
        Assert.Equal((EngagementStages.Declined, DeclineReasons.ConflictOfInterest, "we monitor their SOC"), (declined.Stage, declined.DeclineReason, declined.DeclineNote));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task No_letter_before_QA_nor_by_the_lead_as_reviewer_nor_for_an_incomplete_assessment_nor_with_a_key_that_does_not_decrypt_and_nothing_is_half_written(DatabaseProvider provider)
    {
        await using var stores = await Stores.CreateAsync(provider);
        var w = await new World(stores, Kek).CreateAsync();
        await w.Keys.EnsureAsync(w.Lead);
        var before = await w.WrittenAsync();

        var id = await w.ToQualityReviewAsync();
        var early = await Assert.ThrowsAsync<ConflictException>(() => w.Issue.HandleAsync(w.Lead, id, w.Code()));
        Assert.Contains("no letter before the quality review", early.Message);
        var self = await Assert.ThrowsAsync<ForbiddenException>(() => w.Qa.HandleAsync(w.Lead, id));
        Assert.Contains("another member of the firm", self.Message);
        await w.Qa.HandleAsync(w.Reviewer, id);
        await Assert.ThrowsAsync<ForbiddenException>(() => w.Issue.HandleAsync(w.Assessor, id, w.Code()));
        Assert.Equal("code", (await Assert.ThrowsAsync<BadInputException>(() => w.Issue.HandleAsync(w.Lead, id, "000000"))).Path);

        // The same letter, issued under another key-encryption key than the firm key was stored under.
        var wrongKek = Convert.ToBase64String(new byte[32]);
        var other = new IssueEngagementLetter(stores.Installation, w.Audit, stores.Assessments, new FirmKeys(stores.Installation, w.Audit, TimeProvider.System, new FirmKeyOptions { EncryptionKey = wrongKek }),
            new IssueLetter(stores.Installation, w.Audit, w.Log, new SigningKeyRegistry(stores.Installation, w.Audit, TimeProvider.System), TimeProvider.System), TimeProvider.System);
        var undecryptable = await Assert.ThrowsAsync<ConflictException>(() => other.HandleAsync(w.Lead, id, w.Code()));
        Assert.Contains("does not decrypt", undecryptable.Message);
        var missing = new FirmKeys(stores.Installation, w.Audit, TimeProvider.System, new FirmKeyOptions());
        Assert.Contains("Custodes:Keys:EncryptionKey", (await Assert.ThrowsAsync<ConflictException>(() => missing.LoadAsync(w.Lead.OrganizationId))).Message);

        var incomplete = await w.ToQualityReviewAsync(complete: false);
        await w.Qa.HandleAsync(w.Reviewer, incomplete);
        Assert.Contains("incomplete", (await Assert.ThrowsAsync<BadInputException>(() => w.Issue.HandleAsync(w.Lead, incomplete, w.Code()))).Message);

        Assert.Equal(before, await w.WrittenAsync());
        Assert.Equal(EngagementStages.Qa, (await w.Queries.GetAsync(w.MspOwner, id)).Stage);
        Assert.Null((await w.Queries.GetAsync(w.MspOwner, id)).LetterId);

        // The code used for the letter cannot be replayed for another.
        var code = w.Code();
        await w.Issue.HandleAsync(w.Lead, id, code);
        Assert.Equal(EngagementStages.Issued, (await w.Queries.GetAsync(w.MspOwner, id)).Stage);
        await Assert.ThrowsAsync<ConflictException>(() => w.Issue.HandleAsync(w.Lead, id, code));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task The_MSP_submits_evidence_and_its_self_assessment_in_preparation_the_firm_reads_them_and_from_fieldwork_on_a_change_is_refused_and_nothing_changes(DatabaseProvider provider)
    {
        await using var stores = await Stores.CreateAsync(provider);
        var w = await new World(stores, Kek).CreateAsync();
        var materials = new EngagementMaterials(stores.Installation, stores.Evidence, stores.Assessments, w.Audit, TimeProvider.System);
        var id = await w.Request.HandleAsync(w.MspOwner, w.Asking());
        // Before the firm accepts, nothing is submitted to it.
        Assert.Contains("not accepted", (await Assert.ThrowsAsync<ConflictException>(() => materials.UploadEvidenceAsync(w.MspOwner, id, new MemoryStream([1]), "early.txt", "text/plain", null))).Message);
        await w.Accept.HandleAsync(w.Lead, id, w.Acceptance);
        await w.Advance.LinkAssessmentAsync(w.Lead, id, await w.FirmAssessmentAsync());
        await w.Advance.NextAsync(w.Lead, id);

        // The MSP uploads a policy and imports its self-assessment file, which becomes an assessment it owns, shared read-only with the firm.
        var policy = "Passwords: 14 characters, MFA everywhere."u8.ToArray();
        var uploaded = await materials.UploadEvidenceAsync(w.MspOwner, id, new MemoryStream(policy), "password-policy.txt", "text/plain", "Password policy");
        var example = DocumentFiles.ReadAssessment(Path.Combine(AppContext.BaseDirectory, "samples", "example-msp.json")).Assessment;
        var selfFile = AssessmentFile.ToJson(example with { Framework = "cmmc-l2", Organization = Msp });
        var wrongFramework = await Assert.ThrowsAsync<BadInputException>(() => materials.ImportSelfAssessmentAsync(w.MspOwner, id, AssessmentFile.ToJson(example with { Framework = "nist-sp800-171r2", Organization = Msp }), "self.json"));
        Assert.Equal(("self.json", "$.framework"), (wrongFramework.File, wrongFramework.Path));
        var self = await materials.ImportSelfAssessmentAsync(w.MspOwner, id, selfFile, "self.json");
        Assert.True((await stores.Assessments.ReadAsync(w.MspOwner, self)).Owned);
        // The firm cannot change the submission, neither through the engagement nor through the assessment itself.
        await Assert.ThrowsAsync<ForbiddenException>(() => materials.DetachEvidenceAsync(w.Lead, id, uploaded.Id));
        await Assert.ThrowsAsync<NotFoundException>(() => stores.Assessments.SetDeterminationAsync(w.Lead, self, "3.5.3", Finding.Of(Status.NotMet), null));

        var seen = await materials.GetAsync(w.Lead, id);
        Assert.Equal((self, false), (seen.SelfAssessmentId, seen.Editable));
        Assert.Equal(uploaded.Id, Assert.Single(seen.Evidence).Id);
        Assert.False((await stores.Assessments.ReadAsync(w.Lead, self)).Owned);
        var (item, content) = await materials.OpenEvidenceAsync(w.Lead, id, uploaded.Id);
        await using (content)
        {
            using var copy = new MemoryStream();
            await content.CopyToAsync(copy);
            Assert.Equal(policy, copy.ToArray());
        }
        Assert.Equal("Password policy", item.Name);
        // Another organization's evidence is not reachable through the engagement, even by its id.
        await Assert.ThrowsAsync<NotFoundException>(() => materials.OpenEvidenceAsync(w.Lead, id, Guid.CreateVersion7()));

        // Fieldwork starts: every change by the MSP is refused with 409 and what to do, and nothing changes.
        Assert.Equal(EngagementStages.Fieldwork, await w.Advance.NextAsync(w.Lead, id));
        var late = await stores.Evidence.AddAsync(w.MspOwner, new MemoryStream("late"u8.ToArray()), "late.txt", "text/plain", null, null, []);
        var other = await stores.Assessments.ImportAsync(w.MspOwner, AssessmentFile.Parse(selfFile, "other.json"));
        var refusals = new Func<Task>[]
        {
            () => materials.UploadEvidenceAsync(w.MspOwner, id, new MemoryStream([1, 2, 3]), "new.txt", "text/plain", null),
            () => materials.AttachEvidenceAsync(w.MspOwner, id, late.Id),
            () => materials.DetachEvidenceAsync(w.MspOwner, id, uploaded.Id),
            () => materials.SetSelfAssessmentAsync(w.MspOwner, id, other),
            () => materials.ImportSelfAssessmentAsync(w.MspOwner, id, selfFile, "again.json"),
            () => materials.RemoveSelfAssessmentAsync(w.MspOwner, id),
        };
        int evidenceBefore, assessmentsBefore;
        await using (var db = stores.Installation.OpenDb())
            (evidenceBefore, assessmentsBefore) = (await db.Evidence.CountAsync(), await db.Assessments.CountAsync());
        foreach (var refusal in refusals)
            Assert.Contains("to the lead assessor (lead@northgate.example)", (await Assert.ThrowsAsync<ConflictException>(refusal)).Message, StringComparison.Ordinal);
        var after = await materials.GetAsync(w.MspOwner, id);
        Assert.Equal((self, false), (after.SelfAssessmentId, after.Editable));
        Assert.Equal(uploaded.Id, Assert.Single(after.Evidence).Id);
        Assert.False((await stores.Assessments.ReadAsync(w.Lead, self)).Owned);
        await using (var db = stores.Installation.OpenDb())
        {
            Assert.Equal((evidenceBefore, assessmentsBefore), (await db.Evidence.CountAsync(), await db.Assessments.CountAsync()));
            var actions = await db.Audit.Where(a => a.EntityType == "engagement" && a.EntityId == id.ToString()).OrderBy(a => a.Sequence).Select(a => a.Action).ToListAsync();
            Assert.Equal(["engagement.evidence_attached", "engagement.self_assessment_set"], actions.Where(a => a.Contains("evidence") || a.Contains("self_assessment")));
        }
    }
}
