using System.Text;
using Custodes.Application.Audit;
using Custodes.Application.SupplyChain;
using Custodes.Assessments;
using Custodes.Common;
using Custodes.SupplyChain.Questionnaires;
using Custodes.Testing;
using Microsoft.EntityFrameworkCore;

namespace Custodes.Application.Tests;

public sealed class QuestionnaireStoreTests
{
    public static TheoryData<DatabaseProvider> Providers => TestInstallation.Providers;

    private static QuestionnaireResponse Proposal()
    {
        var assessment = DocumentFiles.ReadAssessment(Path.Combine(AppContext.BaseDirectory, "samples", "example-msp.json")).Assessment;
        return ProposeAnswers.For(QuestionnaireTemplates.Find("cyber-insurance-msp")!, assessment, null, new DateOnly(2026, 12, 1));
    }

    private static QuestionnaireStore Store(Stores stores) => new(stores.Installation, new AuditTrail(TimeProvider.System), TimeProvider.System);

    /// <summary>A member of a new organization, acting as the web app's sign-in makes them act.</summary>
    private static async Task<Tenant> MemberAsync(Stores stores, Guid organization, string role)
    {
        var email = $"{role}-{Guid.NewGuid():N}@example.test";
        var user = await stores.Accounts.CreateUserAsync(email, organization, role, null, "test");
        return new Tenant(organization, role, $"user:{email}", user);
    }

    private static IReadOnlyList<AnswerReview> AcceptAll(StoredQuestionnaire stored) =>
        stored.Questionnaire.Answers.Select(a => new AnswerReview(a.QuestionId, ReviewState.Reviewed)).ToArray();

    [Theory, MemberData(nameof(Providers))]
    public async Task A_proposal_is_stored_as_a_draft_and_reads_back_exactly(DatabaseProvider provider)
    {
        await using var stores = await Stores.CreateAsync(provider);
        var owner = await MemberAsync(stores, (await stores.NewTenantAsync("Granite Peak", "msp")).OrganizationId, Roles.Owner);
        var store = Store(stores);
        var proposal = Proposal();

        var created = await store.CreateAsync(owner, proposal, QuestionnaireSources.Proposed);
        var stored = await store.GetAsync(owner, created.Id);

        Assert.Equal(Encoding.UTF8.GetString(QuestionnaireJson.Write(proposal)), Encoding.UTF8.GetString(QuestionnaireJson.Write(stored.Questionnaire)));
        Assert.Equal((QuestionnaireStatuses.Draft, 1, 1, QuestionnaireSources.Proposed), (stored.Status, stored.Version, stored.Revision, stored.Source));
        Assert.Null(stored.ContentSha256);
        Assert.Null(stored.VerifyContent());
        var line = Assert.Single(await store.ListAsync(owner));
        Assert.Equal((created.Id, proposal.Answers.Count, 0), (line.Id, line.Questions, line.Reviewed));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_review_keeps_the_proposal_beside_the_reviewers_answer_and_a_stale_version_is_refused(DatabaseProvider provider)
    {
        await using var stores = await Stores.CreateAsync(provider);
        var owner = await MemberAsync(stores, (await stores.NewTenantAsync("Granite Peak", "msp")).OrganizationId, Roles.Owner);
        var store = Store(stores);
        var created = await store.CreateAsync(owner, Proposal(), QuestionnaireSources.Proposed);
        var question = created.Questionnaire.Answers[0];
        var replaced = question.Proposed == Answer.No ? Answer.Partial : Answer.No;

        var edited = await store.ReviewAsync(owner, created.Id, [new AnswerReview(question.QuestionId, ReviewState.Edited, replaced, "  the API account has no MFA  ")], expectedVersion: 1);
        await Assert.ThrowsAsync<PreconditionFailedException>(() =>
            store.ReviewAsync(owner, created.Id, [new AnswerReview(created.Questionnaire.Answers[1].QuestionId, ReviewState.Reviewed)], expectedVersion: 1));

        var stored = await store.GetAsync(owner, created.Id);
        Assert.Equal(2, edited.Version);
        Assert.Equal(2, stored.Version);
        var answer = stored.Questionnaire.Answers[0];
        Assert.Equal((question.Proposed, question.Confidence, question.Rationale), (answer.Proposed, answer.Confidence, answer.Rationale));
        Assert.Equal((ReviewState.Edited, (Answer?)replaced, "the API account has no MFA"), (answer.State, answer.Final, answer.Comment));
        Assert.StartsWith("owner-", answer.ReviewedBy);
        Assert.Equal(0, answer.ReviewedAt!.Value.Millisecond);
        Assert.Equal(ReviewState.Proposed, stored.Questionnaire.Answers[1].State);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_review_that_contradicts_itself_is_refused_whole(DatabaseProvider provider)
    {
        await using var stores = await Stores.CreateAsync(provider);
        var owner = await MemberAsync(stores, (await stores.NewTenantAsync("Granite Peak", "msp")).OrganizationId, Roles.Owner);
        var store = Store(stores);
        var created = await store.CreateAsync(owner, Proposal(), QuestionnaireSources.Proposed);
        var first = created.Questionnaire.Answers[0];
        var other = first.Proposed == Answer.Yes ? Answer.No : Answer.Yes;

        var accepted = new AnswerReview(created.Questionnaire.Answers[1].QuestionId, ReviewState.Reviewed);
        var differs = await Assert.ThrowsAsync<BadInputException>(() => store.ReviewAsync(owner, created.Id, [accepted, new AnswerReview(first.QuestionId, ReviewState.Reviewed, other)], null));
        Assert.Contains("set the state to 'edited'", differs.Message);
        await Assert.ThrowsAsync<BadInputException>(() => store.ReviewAsync(owner, created.Id, [new AnswerReview(first.QuestionId, ReviewState.Edited)], null));
        await Assert.ThrowsAsync<BadInputException>(() => store.ReviewAsync(owner, created.Id, [new AnswerReview("no-such-question", ReviewState.Reviewed)], null));

        var stored = await store.GetAsync(owner, created.Id);
        Assert.Equal(1, stored.Version);
        Assert.All(stored.Questionnaire.Answers, a => Assert.Equal(ReviewState.Proposed, a.State));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Only_a_member_with_edit_rights_signs_off_and_only_once_every_answer_is_reviewed(DatabaseProvider provider)
    {
        await using var stores = await Stores.CreateAsync(provider);
        var org = (await stores.NewTenantAsync("Granite Peak", "msp")).OrganizationId;
        var owner = await MemberAsync(stores, org, Roles.Owner);
        var viewer = await MemberAsync(stores, org, Roles.Viewer);
        var demoted = await MemberAsync(stores, org, Roles.Contributor);
        await stores.Accounts.ChangeRoleAsync(owner, demoted.UserId!.Value, Roles.Viewer);
        var store = Store(stores);
        var created = await store.CreateAsync(owner, Proposal(), QuestionnaireSources.Proposed);

        await Assert.ThrowsAsync<BadInputException>(() => store.SignOffAsync(owner, created.Id, null));
        var reviewed = await store.ReviewAsync(owner, created.Id, AcceptAll(created), null);
        await Assert.ThrowsAsync<ForbiddenException>(() => store.SignOffAsync(viewer, created.Id, null));
        await Assert.ThrowsAsync<ForbiddenException>(() => store.SignOffAsync(demoted, created.Id, null));
        await Assert.ThrowsAsync<ForbiddenException>(() => store.SignOffAsync(Tenant.Operator(org), created.Id, null));
        Assert.Equal(QuestionnaireStatuses.Draft, (await store.GetAsync(owner, created.Id)).Status);

        var signed = await store.SignOffAsync(owner, created.Id, reviewed.Version);
        Assert.Equal(QuestionnaireStatuses.SignedOff, signed.Status);
        Assert.Equal(owner.Actor["user:".Length..], signed.Questionnaire.SignOff!.By);
        var stored = await store.GetAsync(owner, created.Id);
        Assert.Equal(QuestionnaireJson.Sha256(stored.Questionnaire), stored.ContentSha256);
        Assert.True(stored.VerifyContent());
        Assert.Equal(signed.Questionnaire.SignOff, stored.Questionnaire.SignOff);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_signed_off_questionnaire_no_longer_changes_and_a_revision_starts_from_it(DatabaseProvider provider)
    {
        await using var stores = await Stores.CreateAsync(provider);
        var owner = await MemberAsync(stores, (await stores.NewTenantAsync("Granite Peak", "msp")).OrganizationId, Roles.Owner);
        var store = Store(stores);
        var created = await store.CreateAsync(owner, Proposal(), QuestionnaireSources.Proposed);
        await Assert.ThrowsAsync<ConflictException>(() => store.StartRevisionAsync(owner, created.Id));
        await store.ReviewAsync(owner, created.Id, AcceptAll(created), null);
        var signed = await store.SignOffAsync(owner, created.Id, null);
        var first = signed.Questionnaire.Answers[0];

        await Assert.ThrowsAsync<ConflictException>(() => store.ReviewAsync(owner, created.Id, [new AnswerReview(first.QuestionId, ReviewState.Proposed)], signed.Version));
        await Assert.ThrowsAsync<ConflictException>(() => store.SignOffAsync(owner, created.Id, signed.Version));
        await Assert.ThrowsAsync<ConflictException>(() => store.DeleteAsync(owner, created.Id, signed.Version));
        Assert.Equal(signed.Questionnaire, (await store.GetAsync(owner, created.Id)).Questionnaire, new JsonEquality());

        var revision = await store.StartRevisionAsync(owner, created.Id);
        Assert.Equal((2, (Guid?)created.Id, QuestionnaireStatuses.Draft, QuestionnaireSources.Revision), (revision.Revision, revision.RevisionOf, revision.Status, revision.Source));
        Assert.Null(revision.Questionnaire.SignOff);
        Assert.Equal(signed.Questionnaire with { SignOff = null }, revision.Questionnaire, new JsonEquality());
        var again = await Assert.ThrowsAsync<ConflictException>(() => store.StartRevisionAsync(owner, created.Id));
        Assert.Contains(revision.Id.ToString(), again.Message);

        await store.ReviewAsync(owner, revision.Id, [new AnswerReview(first.QuestionId, ReviewState.Edited, first.Proposed == Answer.No ? Answer.Yes : Answer.No, "corrected")], 1);
        Assert.True((await store.GetAsync(owner, created.Id)).VerifyContent());
        await store.DeleteAsync(owner, revision.Id, 2);
        await Assert.ThrowsAsync<NotFoundException>(() => store.GetAsync(owner, revision.Id));
        Assert.Equal(2, (await store.StartRevisionAsync(owner, created.Id)).Revision);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Another_tenants_questionnaire_is_not_found(DatabaseProvider provider)
    {
        await using var stores = await Stores.CreateAsync(provider);
        var owner = await MemberAsync(stores, (await stores.NewTenantAsync("Granite Peak", "msp")).OrganizationId, Roles.Owner);
        var other = await MemberAsync(stores, (await stores.NewTenantAsync("Other MSP", "msp")).OrganizationId, Roles.Owner);
        var store = Store(stores);
        var created = await store.CreateAsync(owner, Proposal(), QuestionnaireSources.Proposed);

        await Assert.ThrowsAsync<NotFoundException>(() => store.GetAsync(other, created.Id));
        await Assert.ThrowsAsync<NotFoundException>(() => store.ReviewAsync(other, created.Id, AcceptAll(created), null));
        await Assert.ThrowsAsync<NotFoundException>(() => store.SignOffAsync(other, created.Id, null));
        await Assert.ThrowsAsync<NotFoundException>(() => store.StartRevisionAsync(other, created.Id));
        await Assert.ThrowsAsync<NotFoundException>(() => store.DeleteAsync(other, created.Id, null));
        Assert.Empty(await store.ListAsync(other));
        Assert.Equal(1, (await store.GetAsync(owner, created.Id)).Version);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Every_change_is_in_the_audit_trail_with_before_and_after(DatabaseProvider provider)
    {
        await using var stores = await Stores.CreateAsync(provider);
        var owner = await MemberAsync(stores, (await stores.NewTenantAsync("Granite Peak", "msp")).OrganizationId, Roles.Owner);
        var store = Store(stores);
        var created = await store.CreateAsync(owner, Proposal(), QuestionnaireSources.Proposed);
        var first = created.Questionnaire.Answers[0].QuestionId;
        await store.ReviewAsync(owner, created.Id, [new AnswerReview(first, ReviewState.Edited, Answer.Partial, "only the main site")], null);
        await store.ReviewAsync(owner, created.Id, [new AnswerReview(first, ReviewState.Proposed)], null);
        // Accepting an answer twice changes nothing the second time: no entry, no new version.
        var accepted = await store.ReviewAsync(owner, created.Id, AcceptAll(created), null);
        var unchanged = await store.ReviewAsync(owner, created.Id, AcceptAll(created), null);
        Assert.Equal(accepted.Version, unchanged.Version);
        var signed = await store.SignOffAsync(owner, created.Id, unchanged.Version);

        var entries = (await new AuditLog(stores.Installation, new AuditTrail(TimeProvider.System))
            .ListAsync(owner.OrganizationId, new AuditFilter(EntityId: created.Id.ToString()), 0, 100)).Reverse().ToArray();
        Assert.Equal(["questionnaire.created", "questionnaire.answer_edited", "questionnaire.answer_reopened",
                      .. Enumerable.Repeat("questionnaire.answer_reviewed", created.Questionnaire.Answers.Count), "questionnaire.signed_off"],
                     entries.Select(e => e.Action));
        Assert.All(entries, e => Assert.Equal(owner.Actor, e.Actor));
        Assert.Contains("\"state\":\"proposed\"", entries[1].Before);
        Assert.Contains("\"answer\":\"partial\"", entries[1].After);
        Assert.Contains("\"comment\":\"only the main site\"", entries[1].After);
        Assert.Contains("\"state\":\"edited\"", entries[2].Before);
        Assert.Contains($"\"content_sha256\":\"{signed.ContentSha256}\"", entries[^1].After);
        await using var db = stores.Installation.OpenDb();
        Assert.True((await AuditTrail.VerifyAsync(db)).Valid);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_signed_off_answer_changed_in_the_database_fails_its_content_check(DatabaseProvider provider)
    {
        await using var stores = await Stores.CreateAsync(provider);
        var owner = await MemberAsync(stores, (await stores.NewTenantAsync("Granite Peak", "msp")).OrganizationId, Roles.Owner);
        var store = Store(stores);
        var created = await store.CreateAsync(owner, Proposal(), QuestionnaireSources.Proposed);
        await store.ReviewAsync(owner, created.Id, AcceptAll(created), null);
        await store.SignOffAsync(owner, created.Id, null);

        await using (var db = stores.Installation.OpenDb())
            await db.QuestionnaireAnswers.Where(a => a.ResponseId == created.Id && a.Position == 0).ExecuteUpdateAsync(s => s.SetProperty(a => a.Comment, "added later"));

        Assert.False((await store.GetAsync(owner, created.Id)).VerifyContent());
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_filled_file_is_stored_as_a_draft_with_its_reviews_and_its_sign_off_only_in_the_audit_trail(DatabaseProvider provider)
    {
        await using var stores = await Stores.CreateAsync(provider);
        var owner = await MemberAsync(stores, (await stores.NewTenantAsync("Granite Peak", "msp")).OrganizationId, Roles.Owner);
        var store = Store(stores);
        var at = new DateTimeOffset(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);
        var filled = Proposal();
        foreach (var a in filled.Answers) filled = filled.Review(a.QuestionId, "Dana (outside reviewer)", at);
        filled = filled.SignOffBy("Dana (outside reviewer)", at);

        var stored = await store.CreateAsync(owner, filled, QuestionnaireSources.Import, "filled.xlsx");

        Assert.Equal((QuestionnaireStatuses.Draft, QuestionnaireSources.Import), (stored.Status, stored.Source));
        Assert.Null(stored.Questionnaire.SignOff);
        Assert.All(stored.Questionnaire.Answers, a => Assert.Equal(("Dana (outside reviewer)", (DateTimeOffset?)at), (a.ReviewedBy, a.ReviewedAt)));
        var entry = Assert.Single(await new AuditLog(stores.Installation, new AuditTrail(TimeProvider.System)).ListAsync(owner.OrganizationId, new AuditFilter(EntityId: stored.Id.ToString()), 0, 10));
        Assert.Equal("questionnaire.imported", entry.Action);
        Assert.Contains("\"origin\":\"filled.xlsx\"", entry.After);
        Assert.Contains("\"signed_off_in_file\":{\"by\":\"Dana (outside reviewer)\"", entry.After);
    }

    /// <summary>Two questionnaires are equal when their custodes.questionnaire/v1 JSON is.</summary>
    private sealed class JsonEquality : IEqualityComparer<QuestionnaireResponse>
    {
        public bool Equals(QuestionnaireResponse? x, QuestionnaireResponse? y) =>
            x is not null && y is not null && QuestionnaireJson.Write(x).AsSpan().SequenceEqual(QuestionnaireJson.Write(y));

        public int GetHashCode(QuestionnaireResponse obj) => 0;
    }
}
