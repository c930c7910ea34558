using Custodes.Application.Hosting;
using Microsoft.Extensions.Options;

namespace Custodes.Web.Hosting;

/// <summary>Settings of the web app (configuration section <c>Custodes:Web</c>); the defaults suit a single installation.</summary>
public sealed class WebOptions
{
    public const string Section = "Custodes:Web";

    /// <summary>Largest evidence upload in bytes (default 100 MiB): the request body limit here; the evidence store enforces the same
    /// key (<see cref="Application.Evidence.EvidenceOptions"/>) for every host.</summary>
    public long EvidenceMaxBytes { get; set; } = Application.Evidence.EvidenceStore.DefaultMaxBytes;

    /// <summary>Sign-in attempts (password or code) allowed per client address per minute.</summary>
    public int SignInPermitsPerMinute { get; set; } = 20;

    /// <summary>Subscriptions to trust pages one client address may request per hour (the public forms and API have no account to hold to account).</summary>
    public int SubscribePermitsPerHour { get; set; } = 20;

    /// <summary>A session ends after this much inactivity.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromHours(2);

    /// <summary>A session ends this long after sign-in, however active.</summary>
    public TimeSpan AbsoluteTimeout { get; set; } = TimeSpan.FromHours(12);
}

/// <summary>OpenID Connect sign-in (configuration section <c>Custodes:Oidc</c>); off unless Authority and ClientId are set.</summary>
public sealed class OidcOptions
{
    public const string Section = "Custodes:Oidc";

    public string? Authority { get; set; }
    public string? ClientId { get; set; }
    public string? ClientSecret { get; set; }
    /// <summary>The button text on the sign-in page.</summary>
    public string DisplayName { get; set; } = "single sign-on";
    /// <summary>Only for a local test provider on plain HTTP.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    public bool Enabled => !string.IsNullOrWhiteSpace(Authority) && !string.IsNullOrWhiteSpace(ClientId);
}

/// <summary>Checks the sign-in limit and the session timeouts.</summary>
internal sealed class WebOptionsValidator : IValidateOptions<WebOptions>
{
    public ValidateOptionsResult Validate(string? name, WebOptions o) => new OptionsProblems(WebOptions.Section)
        .Require(o.EvidenceMaxBytes >= 1, nameof(o.EvidenceMaxBytes), $"{o.EvidenceMaxBytes} is not a positive number of bytes")
        .Require(o.SignInPermitsPerMinute >= 1, nameof(o.SignInPermitsPerMinute), $"{o.SignInPermitsPerMinute} is not at least 1")
        .Require(o.SubscribePermitsPerHour >= 1, nameof(o.SubscribePermitsPerHour), $"{o.SubscribePermitsPerHour} is not at least 1")
        .Require(o.IdleTimeout > TimeSpan.Zero, nameof(o.IdleTimeout), "must be positive (a time such as 02:00:00)")
        .Require(o.AbsoluteTimeout >= o.IdleTimeout, nameof(o.AbsoluteTimeout), "must be at least IdleTimeout (a time such as 12:00:00)")
        .Result;
}

/// <summary>Checks that single sign-on, when configured, has both halves and an https authority (http only where explicitly allowed).</summary>
internal sealed class OidcOptionsValidator : IValidateOptions<OidcOptions>
{
    public ValidateOptionsResult Validate(string? name, OidcOptions o) => new OptionsProblems(OidcOptions.Section)
        .Require(string.IsNullOrWhiteSpace(o.Authority) || Uri.TryCreate(o.Authority, UriKind.Absolute, out var authority)
                && (authority.Scheme == Uri.UriSchemeHttps || authority.Scheme == Uri.UriSchemeHttp && !o.RequireHttpsMetadata),
            nameof(o.Authority), $"'{o.Authority}' is not an absolute https URL of the identity provider (plain http only with RequireHttpsMetadata false)")
        .Require(string.IsNullOrWhiteSpace(o.Authority) == string.IsNullOrWhiteSpace(o.ClientId), string.IsNullOrWhiteSpace(o.ClientId) ? nameof(o.ClientId) : nameof(o.Authority),
            "single sign-on needs both Authority and ClientId")
        .Result;
}
