namespace Custodes.Web.Hosting;

/// <summary>Settings of the web app (configuration section <c>Custodes:Web</c>); the defaults suit a single installation.</summary>
public sealed class WebOptions
{
    public const string Section = "Custodes:Web";

    /// <summary>Largest evidence upload in bytes (default 100 MiB).</summary>
    public long EvidenceMaxBytes { get; set; } = Application.Evidence.EvidenceStore.DefaultMaxBytes;

    /// <summary>Sign-in attempts (password or code) allowed per client address per minute.</summary>
    public int SignInPermitsPerMinute { get; set; } = 20;

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
