using System.Text;
using Custodes.Application.Audit;
using Custodes.Application.Keys;
using Custodes.Application.Letters;
using Custodes.Application.SupplyChain;
using Custodes.Application.Transparency;
using Custodes.Assessments;
using Custodes.Attestation;
using Custodes.Common;
using Custodes.SupplyChain;
using Custodes.SupplyChain.Questionnaires;
using Custodes.Testing;
using Custodes.Transparency;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace Custodes.Application.Tests;

public sealed class StaleQuestionnaireTests
{
    public static TheoryData<DatabaseProvider> Providers => TestInstallation.Providers;

    private const string Actor = "test";

    /// <summary>A practice whose insurance questionnaire rests on what it inherits from its IT provider's letter.</summary>
    private sealed class Practice : IAsyncDisposable
    {
        private Stores _stores = null!;
        private Ed25519SigningKey _key = null!;

        public FakeTimeProvider Clock { get; } = new(DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 3600));
        public Tenant Assessor { get; private set; } = null!;
        public Tenant Owner { get; private set; } = null!;
        public Guid Granite { get; private set; }
        public Guid Letter { get; private set; }
        public AuditTrail Audit { get; } = new(TimeProvider.System);
        public SigningKeyRegistry Keys { get; private set; } = null!;
        public TransparencyLog Log { get; private set; } = null!;
        public Installation Installation => _stores.Installation;
        public QuestionnaireStore Store { get; private set; } = null!;
        public StaleQuestionnaires Stale { get; private set; } = null!;
        public ReviseQuestionnaire Revise { get; private set; } = null!;
        public SupplyChainQueries Queries { get; private set; } = null!;

        public static async Task<Practice> CreateAsync(DatabaseProvider provider)
        {
            var p = new Practice { _stores = await Stores.CreateAsync(provider), _key = Ed25519SigningKey.Generate() };
            var installation = p.Installation;
            p.Keys = new SigningKeyRegistry(installation, p.Audit, TimeProvider.System);
            p.Log = new TransparencyLog(installation, new LogKeys(installation, new FileSigningKeyProvider(), new LogOptions()), TimeProvider.System);
            p.Assessor = await p._stores.NewTenantAsync("Northgate Security Assessors");
            p.Granite = await p._stores.Organizations.CreateAsync("Granite Peak Managed IT", OrganizationKinds.Msp, Actor);
            var smile = await p._stores.Organizations.CreateAsync("Smile Dental Group", OrganizationKinds.Customer, Actor);
            p.Letter = await p.AttestGraniteAsync();
            // The practice has not set up MFA or remote-session controls itself: it relies on Granite Peak for them.
            await p._stores.Assessments.ImportAsync(Tenant.Operator(smile), AssessmentOf("Smile Dental Group", ("3.5.3", Status.NotMet), ("3.7.5", Status.NotMet)));
            var portfolios = new PortfolioStore(installation, p.Audit, p.Clock);
            await portfolios.ImportAsync(Tenant.Operator(smile), new Portfolio
            {
                Organizations =
                [
                    new() { Id = "granite", Name = "Granite Peak Managed IT", Kind = OrganizationKind.Msp, CustodesOrganization = p.Granite.ToString() },
                    new() { Id = "smile", Name = "Smile Dental Group", Kind = OrganizationKind.Customer, CustodesOrganization = smile.ToString() },
                ],
                Relationships = [new() { Provider = "granite", Customer = "smile" }],
            }, [MatrixUpload.Parse(Encoding.UTF8.GetBytes(
                "schema: custodes.crm/v1\nprovider: granite\nframework: nist-sp800-171r2\nrequirements:\n  \"3.5.3\": {responsibility: provider, description: \"MFA on every RMM account\"}\n  \"3.7.5\": {responsibility: provider, description: \"MFA on maintenance sessions\"}\n"), "granite.yaml")]);
            var email = $"office-{Guid.NewGuid():N}@smile.test";
            var user = await p._stores.Accounts.CreateUserAsync(email, smile, Roles.Owner, null, Actor);
            p.Owner = new Tenant(smile, Roles.Owner, $"user:{email}", user);

            var graphs = new PortfolioGraphs(portfolios);
            var letters = new ProviderLetters(installation, p.Keys);
            var inheritance = new CustomerInheritance(installation, graphs, letters, p.Clock);
            var basis = new QuestionnaireBasis(installation, inheritance, graphs, p.Clock);
            p.Queries = new SupplyChainQueries(installation, graphs, letters, inheritance, p.Clock, new RecoveryPlanning(graphs, p.Clock));
            p.Store = new QuestionnaireStore(installation, p.Audit, p.Clock, basis);
            p.Stale = new StaleQuestionnaires(installation, basis);
            p.Revise = new ReviseQuestionnaire(p.Store, p.Queries, p.Stale);
            return p;
        }

        public async Task<Guid> AttestGraniteAsync(params (string Id, Status Status)[] changes)
        {
            var parsed = AssessmentOf("Granite Peak Managed IT", [("3.5.3", Status.Met), ("3.7.5", Status.Met), .. changes]);
            var id = await _stores.Assessments.ImportAsync(Assessor, parsed);
            return (await new IssueLetter(Installation, Audit, Log, Keys, TimeProvider.System).HandleAsync(new IssueLetterRequest
            {
                Assessment = parsed, Source = $"assessment {id}", AssessmentId = id, Key = _key, Issuer = "Northgate Security Assessors", Actor = Actor,
            })).LetterId;
        }

        /// <summary>The cyber-insurance questionnaire proposed now, every answer accepted, signed off by the office manager.</summary>
        public async Task<StoredQuestionnaire> SignedInsuranceQuestionnaireAsync()
        {
            var proposal = await Queries.ProposeAsync(Owner, "cyber-insurance-msp", CancellationToken.None);
            var created = await Store.CreateAsync(Owner, proposal, QuestionnaireSources.Proposed);
            var reviewed = await Store.ReviewAsync(Owner, created.Id, [.. proposal.Answers.Select(a => new AnswerReview(a.QuestionId, ReviewState.Reviewed))], created.Version);
            return await Store.SignOffAsync(Owner, created.Id, reviewed.Version);
        }

        public ValueTask DisposeAsync()
        {
            _key.Dispose();
            return _stores.DisposeAsync();
        }
    }

    private static ParsedAssessment AssessmentOf(string organization, params (string Id, Status Status)[] changes)
    {
        var example = DocumentFiles.ReadAssessment(Path.Combine(AppContext.BaseDirectory, "samples", "example-msp.json")).Assessment;
        var requirements = new Dictionary<string, Finding>(example.Requirements);
        foreach (var (id, status) in changes) requirements[id] = Finding.Of(status);
        return AssessmentFile.Validate(example with { Organization = organization, AssessedOn = new DateOnly(2026, 10, 1), Requirements = requirements }, organization);
    }

    private static Answer? Final(StoredQuestionnaire q, string question) => q.Questionnaire.Answers.Single(a => a.QuestionId == question).Final;

    [Theory, MemberData(nameof(Providers))]
    public async Task A_signed_questionnaire_that_answered_yes_on_a_letter_since_revoked_is_flagged_out_of_date_naming_the_answers(DatabaseProvider provider)
    {
        await using var practice = await Practice.CreateAsync(provider);
        var signed = await practice.SignedInsuranceQuestionnaireAsync();
        // The reproduction: "yes" to MFA rests on Granite Peak's letter (3.5.3 and 3.7.5 inherited from it).
        Assert.Equal(Answer.Yes, Final(signed, "msp-mfa"));
        Assert.Null(await practice.Stale.CheckAsync(practice.Owner, signed.Id));

        practice.Clock.Advance(TimeSpan.FromDays(3));
        await new RevokeLetter(practice.Installation, practice.Audit, practice.Log, practice.Keys, practice.Clock)
            .HandleAsync(practice.Assessor, new RevokeLetterRequest(practice.Letter, "MFA was not enforced on the RMM", null));

        var stale = await practice.Stale.CheckAsync(practice.Owner, signed.Id);
        Assert.NotNull(stale);
        Assert.Contains("msp-mfa", stale.Affected);
        Assert.DoesNotContain("critical-patches", stale.Affected);
        var letter = Assert.Single(stale.Changes, c => c.Kind == BasisKinds.ProviderLetter);
        Assert.Equal(("granite", $"{practice.Letter} holds", $"{practice.Letter} letter-revoked"), (letter.Subject, letter.Before, letter.After));
        Assert.Contains("Granite Peak Managed IT's attestation letter", letter.Why, StringComparison.Ordinal);
        Assert.Contains("revoked", letter.Why, StringComparison.Ordinal);
        Assert.Equal(signed.Id, Assert.Single(await practice.Stale.ListAsync(practice.Owner)).QuestionnaireId);
        // The signed record is never rewritten: it still says what was signed, and still hashes to its seal.
        var kept = await practice.Store.GetAsync(practice.Owner, signed.Id);
        Assert.Equal((QuestionnaireStatuses.SignedOff, signed.Version, (Answer?)Answer.Yes, true), (kept.Status, kept.Version, Final(kept, "msp-mfa"), kept.VerifyContent()));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Revise_from_current_facts_starts_a_draft_revision_proposed_again_with_unaffected_reviews_kept(DatabaseProvider provider)
    {
        await using var practice = await Practice.CreateAsync(provider);
        var signed = await practice.SignedInsuranceQuestionnaireAsync();
        await new RevokeLetter(practice.Installation, practice.Audit, practice.Log, practice.Keys, practice.Clock)
            .HandleAsync(practice.Assessor, new RevokeLetterRequest(practice.Letter, "MFA was not enforced on the RMM", null));

        var revision = await practice.Revise.HandleAsync(practice.Owner, signed.Id);

        Assert.Equal((QuestionnaireStatuses.Draft, 2, (Guid?)signed.Id, QuestionnaireSources.CurrentFacts), (revision.Status, revision.Revision, revision.RevisionOf, revision.Source));
        var mfa = revision.Questionnaire.Answers.Single(a => a.QuestionId == "msp-mfa");
        Assert.Equal((Answer.No, ReviewState.Proposed, (Answer?)null), (mfa.Proposed, mfa.State, mfa.Final));
        var patches = revision.Questionnaire.Answers.Single(a => a.QuestionId == "critical-patches");
        Assert.Equal(ReviewState.Reviewed, patches.State);
        Assert.Equal(signed.Questionnaire.Answers.Single(a => a.QuestionId == "critical-patches").ReviewedBy, patches.ReviewedBy);
        // The signed revision stays as it was, and now points to the revision that corrects it; a second revision is refused.
        Assert.True((await practice.Store.GetAsync(practice.Owner, signed.Id)).VerifyContent());
        Assert.Equal(revision.Id, (await practice.Stale.CheckAsync(practice.Owner, signed.Id))!.NextRevision);
        await Assert.ThrowsAsync<ConflictException>(() => practice.Revise.HandleAsync(practice.Owner, signed.Id));
        await Assert.ThrowsAsync<ConflictException>(() => practice.Revise.HandleAsync(practice.Owner, revision.Id));
        await using var db = practice.Installation.OpenDb();
        var started = await db.Audit.Where(e => e.EntityId == revision.Id.ToString() && e.Action == "questionnaire.revision_started").Select(e => e.After).SingleAsync();
        Assert.Contains("current-facts", started);
        Assert.Contains("msp-mfa", started);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_newer_letter_with_another_score_makes_the_answers_resting_on_the_provider_out_of_date(DatabaseProvider provider)
    {
        await using var practice = await Practice.CreateAsync(provider);
        var signed = await practice.SignedInsuranceQuestionnaireAsync();

        var newer = await practice.AttestGraniteAsync(("3.1.1", Status.NotMet));

        var stale = await practice.Stale.CheckAsync(practice.Owner, signed.Id);
        Assert.NotNull(stale);
        var letter = Assert.Single(stale.Changes, c => c.Kind == BasisKinds.ProviderLetter);
        Assert.Equal($"{newer} holds", letter.After);
        var score = Assert.Single(stale.Changes, c => c.Kind == BasisKinds.ProviderScore);
        Assert.Equal(int.Parse(score.Before, System.Globalization.CultureInfo.InvariantCulture) - 5, int.Parse(score.After, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Contains("msp-mfa", score.Questions);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_questionnaire_signed_before_bases_were_stored_is_compared_on_the_letter_it_names(DatabaseProvider provider)
    {
        await using var practice = await Practice.CreateAsync(provider);
        var proposal = (await practice.Queries.ProposeAsync(practice.Owner, "cyber-insurance-msp", CancellationToken.None)) with
        {
            LetterId = practice.Letter.ToString(), Attested = true,
        };
        var created = await practice.Store.CreateAsync(practice.Owner, proposal, QuestionnaireSources.Proposed);
        var reviewed = await practice.Store.ReviewAsync(practice.Owner, created.Id, [.. proposal.Answers.Select(a => new AnswerReview(a.QuestionId, ReviewState.Reviewed))], created.Version);
        var signed = await new QuestionnaireStore(practice.Installation, practice.Audit, practice.Clock).SignOffAsync(practice.Owner, created.Id, reviewed.Version);
        Assert.Null(await practice.Stale.CheckAsync(practice.Owner, signed.Id));

        await new RevokeLetter(practice.Installation, practice.Audit, practice.Log, practice.Keys, practice.Clock)
            .HandleAsync(practice.Assessor, new RevokeLetterRequest(practice.Letter, "withdrawn", null));

        var change = Assert.Single((await practice.Stale.CheckAsync(practice.Owner, signed.Id))!.Changes);
        Assert.Equal((BasisKinds.Letter, "valid", "revoked"), (change.Kind, change.Before, change.After));
        Assert.Equal(AnswerBasis.Asserted(signed.Questionnaire), change.Questions);
    }
}
