using Custodes.Application.Hosting;
using Microsoft.Extensions.Options;

namespace Custodes.Application.Evidence;

/// <summary>
/// Limits on evidence files, wherever they come from (an upload in the web app, <c>custodes evidence add</c>). The key keeps the
/// name it had when only the web app applied it: <c>Custodes:Web:EvidenceMaxBytes</c>.
/// </summary>
public sealed class EvidenceOptions
{
    public const string Section = "Custodes:Web";

    /// <summary>Largest evidence file in bytes (default 100 MiB).</summary>
    public long EvidenceMaxBytes { get; set; } = EvidenceStore.DefaultMaxBytes;
}

/// <summary>Checks that the evidence limit is a positive number of bytes.</summary>
public sealed class EvidenceOptionsValidator : IValidateOptions<EvidenceOptions>
{
    public ValidateOptionsResult Validate(string? name, EvidenceOptions o) => new OptionsProblems(EvidenceOptions.Section)
        .Require(o.EvidenceMaxBytes >= 1, nameof(o.EvidenceMaxBytes), $"{o.EvidenceMaxBytes} is not a positive number of bytes (default {EvidenceStore.DefaultMaxBytes})")
        .Result;
}
