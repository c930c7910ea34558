using Custodes.Common;

namespace Custodes.Application;

/// <summary>Roles a member holds in an organization, from most to least powerful.</summary>
public static class Roles
{
    public const string Owner = "owner";
    public const string Assessor = "assessor";
    public const string Contributor = "contributor";
    public const string Viewer = "viewer";

    public static readonly IReadOnlyList<string> All = [Owner, Assessor, Contributor, Viewer];

    public static bool CanEdit(string role) => role is Owner or Assessor or Contributor;

    public static bool CanAdminister(string role) => role == Owner;

    /// <summary>Who speaks for the firm in public: an owner or an assessor issues and revokes its letters.</summary>
    public static bool CanAttest(string role) => role is Owner or Assessor;

    public static string Parse(string role) =>
        All.Contains(role) ? role : throw new BadInputException($"unknown role '{role}'; expected one of {string.Join(", ", All)}");
}

/// <summary>Organization kinds.</summary>
public static class OrganizationKinds
{
    public const string Assessor = "assessor";
    public const string Msp = "msp";
    public const string Customer = "customer";

    public static readonly IReadOnlyList<string> All = [Assessor, Msp, Customer];

    public static string Parse(string kind) =>
        All.Contains(kind) ? kind : throw new BadInputException($"unknown organization kind '{kind}'; expected one of {string.Join(", ", All)}");
}

/// <summary>Who is acting and for which organization: every stored read and write goes through one.</summary>
/// <param name="OrganizationId">The tenant whose data may be read or changed.</param>
/// <param name="Actor">How the audit trail names the actor (<c>user:ana@firm.example</c>, <c>cli:root</c>).</param>
public sealed record Tenant(Guid OrganizationId, string Role, string Actor, Guid? UserId = null)
{
    public void RequireEdit()
    {
        if (!Roles.CanEdit(Role)) throw new ForbiddenException($"the {Role} role cannot change data");
    }

    /// <summary>The installation's operator at the command line: full rights in the named organization.</summary>
    public static Tenant Operator(Guid organizationId) => new(organizationId, Roles.Owner, $"cli:{Environment.UserName}");

    /// <summary>
    /// The installation's operator at the command line acting for the installation itself, not an organization: what it reads and changes
    /// is the installation's own (its portfolio when no <c>--org</c> is given). No organization has this id, so it reaches no tenant's data.
    /// </summary>
    public static Tenant InstallationOperator() => new(Guid.Empty, Roles.Owner, $"cli:{Environment.UserName}");

    /// <summary>Acting for the installation itself (<see cref="InstallationOperator"/>) rather than an organization.</summary>
    public bool ForInstallation => OrganizationId == Guid.Empty;
}
