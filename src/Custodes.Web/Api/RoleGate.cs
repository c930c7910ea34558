using Custodes.Application;
using Custodes.Common;

namespace Custodes.Web.Api;

/// <summary>Endpoint metadata: the role an endpoint needs, checked by <see cref="RoleGate"/> before the endpoint runs.</summary>
/// <param name="Refusal">The 403's message; <c>{role}</c> stands for the caller's role.</param>
/// <param name="Allows">Whether a role may call the endpoint.</param>
/// <param name="When">When given, the role is needed only for requests it accepts (a preview that stores nothing is open to everyone).</param>
internal sealed record RequiredRole(string Refusal, Func<string, bool> Allows, Func<HttpRequest, bool>? When = null)
{
    public static readonly RequiredRole Editor = new("the {role} role cannot change data; that needs an owner, assessor or contributor (and a key with full rights)", Roles.CanEdit);
    public static readonly RequiredRole Owner = new("only an owner can do this; you are {role}", Roles.CanAdminister);

    /// <summary>Every member, a viewer or a read-only key included; <paramref name="why"/> says why that is safe.</summary>
    public static RequiredRole AnyMember(string why) => new(why, _ => true);
}

/// <summary>Refuses a caller whose role may not use an endpoint before the endpoint runs, so before its body is read, bound or parsed:
/// a viewer or read-only key gets 403 for a change whatever it sends, and cannot make the server parse a hostile body.</summary>
/// <remarks>Changes (POST, PUT, PATCH, DELETE) under <c>/api</c> need edit rights unless the endpoint says otherwise with
/// <see cref="RequiredRole"/> metadata, so a new endpoint is closed to viewers by default. The stores check roles again: this gate
/// is about not doing work for a caller who will be refused anyway.</remarks>
internal static class RoleGate
{
    public static TBuilder RequireRole<TBuilder>(this TBuilder builder, RequiredRole role) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(role);

    /// <summary>The role an endpoint needs for a request with this method and path, or null when any authenticated caller may call it.</summary>
    public static RequiredRole? Required(Endpoint endpoint, string method, PathString path)
    {
        if (endpoint.Metadata.GetMetadata<RequiredRole>() is { } declared) return declared;
        var changes = HttpMethods.IsPost(method) || HttpMethods.IsPut(method) || HttpMethods.IsPatch(method) || HttpMethods.IsDelete(method);
        return changes && path.StartsWithSegments("/api") ? RequiredRole.Editor : null;
    }

    public static IApplicationBuilder UseRoleGate(this IApplicationBuilder app) => app.Use(next => context =>
    {
        if (context.GetEndpoint() is { } endpoint && context.User.Identity?.IsAuthenticated == true
            && Required(endpoint, context.Request.Method, context.Request.Path) is { } required
            && (required.When is null || required.When(context.Request)))
        {
            var role = context.User.FindFirst(ApiKeyAuthentication.RoleClaim)?.Value ?? Roles.Viewer;
            if (!required.Allows(role)) throw new ForbiddenException(required.Refusal.Replace("{role}", role, StringComparison.Ordinal));
        }
        return next(context);
    });
}
