using Custodes.Application.Accounts;
using Custodes.Web.Api;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Custodes.Web.Pages.Settings;

/// <summary>Owners create keys (shown once); everyone lists and revokes their own, owners everyone's. Only here, in a signed-in session — never through the API with a key.</summary>
public sealed class ApiKeysModel(AccountStore accounts) : PageModel
{
    public IReadOnlyList<ApiKeyInfo> Keys { get; private set; } = [];
    public string? NewKey { get; private set; }
    public string? Message { get; private set; }

    public async Task OnGetAsync() => Keys = await accounts.ListApiKeysAsync(User.Tenant(), HttpContext.RequestAborted);

    public async Task<IActionResult> OnPostCreateAsync(string name, string scope)
    {
        var tenant = User.Tenant();
        var scopes = scope == ApiKeyScopes.All ? new[] { ApiKeyScopes.All } : [ApiKeyScopes.Read];
        (_, NewKey) = await accounts.CreateApiKeyAsync(tenant, name, scopes, HttpContext.RequestAborted);
        Keys = await accounts.ListApiKeysAsync(tenant, HttpContext.RequestAborted);
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(Guid id)
    {
        await accounts.RevokeApiKeyAsync(User.Tenant(), id, HttpContext.RequestAborted);
        Message = "The key is revoked; calls with it now answer 401.";
        Keys = await accounts.ListApiKeysAsync(User.Tenant(), HttpContext.RequestAborted);
        return Page();
    }
}
