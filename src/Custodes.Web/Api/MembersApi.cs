using Custodes.Storage;
using Custodes.Storage.Accounts;
using Custodes.Storage.Organizations;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Custodes.Web.Api;

/// <summary>The caller's organization and its members; owners add members and change roles.</summary>
public static class MembersApi
{
    public static IEndpointRouteBuilder MapMembersApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/organization", Organization).RequireAuthorization().WithTags("Members").WithName("GetOrganization")
            .WithSummary("The organization the key acts for: its id (give it to an organization that wants to share with yours), name and kind");
        var group = app.MapGroup("/api/v1/members").RequireAuthorization().WithTags("Members");
        group.MapGet("/", List).WithName("ListMembers").WithSummary("Members of the organization and their roles");
        group.MapPost("/", Add).RequireRole(RequiredRole.Owner).WithName("AddMember").WithSummary("Add a member (owners only): an existing account by email, or a new one with an initial password").ProducesProblem(400).ProducesProblem(403);
        group.MapPut("/{userId:guid}", ChangeRole).RequireRole(RequiredRole.Owner).WithName("ChangeMemberRole").WithSummary("Change a member's role (owners only)").ProducesProblem(400).ProducesProblem(403).ProducesProblem(404);
        group.MapDelete("/{userId:guid}", Remove).RequireRole(RequiredRole.Owner).WithName("RemoveMember").WithSummary("Remove a member (owners only); their API keys for this organization are revoked").ProducesProblem(403).ProducesProblem(404);
        return app;
    }

    /// <summary>The caller's organization.</summary>
    public sealed record OrganizationView(Guid Id, string Name, string Kind, string Role);

    /// <summary>Body of a new member.</summary>
    public sealed record NewMember(string Email, string Role, string? Password);

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

    private static async Task<Created<Member>> Add(NewMember body, HttpContext context, AccountStore accounts, CancellationToken cancellationToken)
    {
        var member = await accounts.AddMemberAsync(context.User.Tenant(), body.Email, body.Role, body.Password, cancellationToken);
        return TypedResults.Created($"/api/v1/members/{member.UserId}", member);
    }

    private static async Task<Ok<Member>> ChangeRole(Guid userId, RoleChange body, HttpContext context, AccountStore accounts, CancellationToken cancellationToken) =>
        TypedResults.Ok(await accounts.ChangeRoleAsync(context.User.Tenant(), userId, body.Role, cancellationToken));

    private static async Task<NoContent> Remove(Guid userId, HttpContext context, AccountStore accounts, CancellationToken cancellationToken)
    {
        await accounts.RemoveMemberAsync(context.User.Tenant(), userId, cancellationToken);
        return TypedResults.NoContent();
    }
}
