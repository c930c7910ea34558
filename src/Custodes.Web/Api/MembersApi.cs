using Custodes.Application;
using Custodes.Application.Accounts;
using Custodes.Application.Organizations;
using Custodes.Common;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Custodes.Web.Api;

/// <summary>The caller's organization and its members; owners invite members (who accept), change roles and remove members.</summary>
internal static class MembersApi
{
    public static IEndpointRouteBuilder MapMembersApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/organization", Organization).RequireAuthorization().WithTags("Members").WithName("GetOrganization")
            .WithSummary("The organization the key acts for: its id (give it to an organization that wants to share with yours), name and kind");
        var group = app.MapGroup("/api/v1/members").RequireAuthorization().WithTags("Members");
        group.MapGet("/", List).WithName("ListMembers").WithSummary("Members of the organization and their roles");
        group.MapPost("/", Invite).RequireRole(RequiredRole.Owner).WithName("AddMember")
            .WithSummary("Invite a member (owners only): the person becomes a member when they accept; 202 with the invitation, the same answer whether or not the email has an account")
            .ProducesProblem(400).ProducesProblem(403);
        group.MapPut("/{userId:guid}", ChangeRole).RequireRole(RequiredRole.Owner).WithName("ChangeMemberRole").WithSummary("Change a member's role (owners only)").ProducesProblem(400).ProducesProblem(403).ProducesProblem(404);
        group.MapDelete("/{userId:guid}", Remove).RequireRole(RequiredRole.Owner).WithName("RemoveMember").WithSummary("Remove a member (owners only); their API keys for this organization are revoked").ProducesProblem(403).ProducesProblem(404);
        var invitations = app.MapGroup("/api/v1/invitations").RequireAuthorization().WithTags("Members");
        invitations.MapGet("/", ListInvitations).WithName("ListInvitations").WithSummary("Invitations of the organization waiting for an answer (owners only)").ProducesProblem(403);
        invitations.MapPost("/", Invite).RequireRole(RequiredRole.Owner).WithName("Invite")
            .WithSummary("Invite someone by email (owners only); the link is emailed, or returned when no mail server is configured").ProducesProblem(400).ProducesProblem(403);
        invitations.MapDelete("/{invitationId:guid}", RevokeInvitation).RequireRole(RequiredRole.Owner).WithName("RevokeInvitation").WithSummary("Withdraw a pending invitation (owners only)")
            .ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);
        return app;
    }

    /// <summary>The caller's organization.</summary>
    public sealed record OrganizationView(Guid Id, string Name, string Kind, string Role);

    /// <summary>Body of an invitation. <c>password</c> is refused: the invited person chooses theirs.</summary>
    public sealed record NewMember(string Email, string Role, string? Password = null);

    /// <summary>A new invitation: emailed, or its link for the owner to pass on (only when it could not be emailed).</summary>
    public sealed record InvitationCreated(Invitation Invitation, bool Emailed, string? Link, string? MailProblem);

    /// <summary>Body of a role change.</summary>
    public sealed record RoleChange(string Role);

    private static async Task<Ok<OrganizationView>> Organization(HttpContext context, OrganizationStore organizations, CancellationToken cancellationToken)
    {
        var tenant = context.User.Tenant();
        var org = await organizations.FindAsync(tenant.OrganizationId, cancellationToken) ?? throw new NotFoundException("no organization");
        return TypedResults.Ok(new OrganizationView(org.Id, org.Name, org.Kind, tenant.Role));
    }

    private static async Task<Ok<IReadOnlyList<Member>>> List(HttpContext context, AccountStore accounts, CancellationToken cancellationToken) =>
        TypedResults.Ok(await accounts.ListMembersAsync(context.User.Tenant(), cancellationToken));

    private static async Task<Accepted<InvitationCreated>> Invite(NewMember body, HttpContext context, InvitationStore invitations, Accounts.InvitationMail mail,
        CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(body.Password))
            throw new Common.BadInputException("members join by invitation: the invited person chooses their own password from the link", path: "$.password");
        var issued = await invitations.InviteAsync(context.User.Tenant(), body.Email ?? "", body.Role ?? Roles.Viewer, cancellationToken);
        var sent = await mail.SendAsync(issued, context.User.FindFirst(ApiKeyAuthentication.ActorClaim)?.Value ?? "an owner", context.Request, cancellationToken);
        return TypedResults.Accepted($"/api/v1/invitations/{issued.Invitation.Id}", new InvitationCreated(issued.Invitation, sent.Emailed, sent.Link, sent.Problem));
    }

    private static async Task<Ok<IReadOnlyList<Invitation>>> ListInvitations(HttpContext context, InvitationStore invitations, CancellationToken cancellationToken) =>
        TypedResults.Ok(await invitations.ListPendingAsync(context.User.Tenant(), cancellationToken));

    private static async Task<NoContent> RevokeInvitation(Guid invitationId, HttpContext context, InvitationStore invitations, CancellationToken cancellationToken)
    {
        await invitations.RevokeAsync(context.User.Tenant(), invitationId, cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<Member>> ChangeRole(Guid userId, RoleChange body, HttpContext context, AccountStore accounts, CancellationToken cancellationToken) =>
        TypedResults.Ok(await accounts.ChangeRoleAsync(context.User.Tenant(), userId, body.Role, cancellationToken));

    private static async Task<NoContent> Remove(Guid userId, HttpContext context, AccountStore accounts, CancellationToken cancellationToken)
    {
        await accounts.RemoveMemberAsync(context.User.Tenant(), userId, cancellationToken);
        return TypedResults.NoContent();
    }
}
