namespace Custodes.Web.Alerting;

/// <summary>The SMTP server alert email goes through (configuration section <c>Custodes:Smtp</c>); email channels need <see cref="Host"/>.</summary>
public sealed class SmtpOptions
{
    public const string Section = "Custodes:Smtp";

    public string? Host { get; set; }
    public int Port { get; set; } = 587;

    /// <summary><c>starttls</c> (upgrade the connection or refuse to send), <c>tls</c> (TLS from the start, port 465), <c>auto</c>
    /// (STARTTLS when the server offers it), or <c>none</c> (plain text: a local relay only).</summary>
    public string Security { get; set; } = "starttls";

    /// <summary>Sign-in name; no authentication when empty.</summary>
    public string? Username { get; set; }
    public string? Password { get; set; }

    /// <summary>The sender, e.g. <c>Custodes &lt;alerts@msp.example&gt;</c>.</summary>
    public string From { get; set; } = "Custodes <custodes@localhost>";

    public bool Configured => !string.IsNullOrWhiteSpace(Host);
}

/// <summary>Checks the SMTP port and the security mode.</summary>
internal sealed class SmtpOptionsValidator : Microsoft.Extensions.Options.IValidateOptions<SmtpOptions>
{
    public Microsoft.Extensions.Options.ValidateOptionsResult Validate(string? name, SmtpOptions smtp) => new Application.Hosting.OptionsProblems(SmtpOptions.Section)
        .Require(smtp.Port is > 0 and < 65536, nameof(smtp.Port), $"{smtp.Port} is not a TCP port")
        .Require(smtp.Security?.ToLowerInvariant() is "starttls" or "tls" or "auto" or "none", nameof(smtp.Security), $"'{smtp.Security}' is not one of starttls, tls, auto, none")
        .Result;
}
