using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace Custodes.Web.Accounts;

/// <summary>While an administrator-set password must be replaced, every page but the Security page and the account pages sends the person there.</summary>
internal sealed class PasswordChangeRequiredFilter : IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var page = context.ActionDescriptor.ViewEnginePath;
        if (context.HttpContext.User.HasClaim(c => c.Type == CookieSessions.MustChangePasswordClaim)
            && page != "/Settings/Security" && !page.StartsWith("/Account/", StringComparison.Ordinal))
        {
            context.Result = new RedirectResult("/settings/security#password");
            return;
        }
        await next();
    }
}
