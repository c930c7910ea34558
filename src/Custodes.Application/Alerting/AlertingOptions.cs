using Custodes.Application.Hosting;
using Microsoft.Extensions.Options;

namespace Custodes.Application.Alerting;

/// <summary>How alerts are delivered (configuration section <c>Custodes:Alerting</c>); links in them point at <see cref="PublicAddress"/>.</summary>
public sealed class AlertingOptions
{
    public const string Section = "Custodes:Alerting";

    /// <summary>Attempts per delivery before it is given up.</summary>
    public int MaxAttempts { get; set; } = 12;

    /// <summary>A delivery still failing this long after the alert was enqueued is given up.</summary>
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromHours(24);

    /// <summary>The wait after the first failure; each later failure doubles it (with jitter) up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The longest <c>Retry-After</c> honoured; a receiver asking for more is retried after this.</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Time allowed for one attempt (connect, send, answer).</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often the worker looks for deliveries enqueued by another process (in-process ones wake it at once).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Deliveries attempted at the same time by one server.</summary>
    public int Concurrency { get; set; } = 16;

    /// <summary>
    /// Whether webhooks may be delivered to loopback, private, link-local and other internal addresses. Off by default: any
    /// organization's owner sets webhook URLs, and the server must not become their way into its own network.
    /// </summary>
    public bool AllowPrivateWebhookTargets { get; set; }

    /// <summary>Whether a webhook URL may be plain <c>http://</c> to a host other than loopback. Off by default: alerts name customers
    /// and what happened on their computers, and would cross the network readable by anyone on the way.</summary>
    public bool AllowHttpWebhooks { get; set; }

    /// <summary>Whether this server runs the delivery worker (one or more servers of an installation may).</summary>
    public bool Worker { get; set; } = true;

    /// <summary>How long a worker holds a delivery it took: an attempt, and time to record it.</summary>
    public TimeSpan Lease => AttemptTimeout + TimeSpan.FromSeconds(30);
}

/// <summary>Checks the delivery settings: counts at least 1, durations positive, retry delays in order.</summary>
public sealed class AlertingOptionsValidator : IValidateOptions<AlertingOptions>
{
    public ValidateOptionsResult Validate(string? name, AlertingOptions o) => new OptionsProblems(AlertingOptions.Section)
        .Require(o.MaxAttempts >= 1, nameof(o.MaxAttempts), $"{o.MaxAttempts} is not at least 1")
        .Require(o.Concurrency >= 1, nameof(o.Concurrency), $"{o.Concurrency} is not at least 1")
        .Require(o.FirstRetryDelay > TimeSpan.Zero && o.MaxRetryDelay >= o.FirstRetryDelay, nameof(o.FirstRetryDelay), "must be positive and at most MaxRetryDelay")
        .Require(o.MaxRetryAfter >= TimeSpan.Zero, nameof(o.MaxRetryAfter), "must not be negative")
        .Require(o.AttemptTimeout > TimeSpan.Zero, nameof(o.AttemptTimeout), "must be positive (a time such as 00:00:10)")
        .Require(o.PollInterval > TimeSpan.Zero, nameof(o.PollInterval), "must be positive (a time such as 00:00:02)")
        .Require(o.MaxAge > TimeSpan.Zero, nameof(o.MaxAge), "must be positive (a time such as 1.00:00:00)")
        .Result;
}

/// <summary>What one attempt came to, as the sender saw it.</summary>
/// <param name="StatusCode">The HTTP status, or the SMTP reply code of a refusal.</param>
/// <param name="Permanent">Retrying cannot help (a 4xx other than 408/429, an SMTP 5xx, a channel that cannot work).</param>
/// <param name="RetryAfter">The receiver's <c>Retry-After</c>, when it sent one.</param>
public sealed record AttemptResult(bool Delivered, int? StatusCode, TimeSpan Duration, string? Error, bool Permanent = false, TimeSpan? RetryAfter = null);

/// <summary>When to try a failed delivery again: exponential backoff with jitter, <c>Retry-After</c> honoured, bounded by attempts and age.</summary>
public static class RetrySchedule
{
    /// <summary>The time of the next attempt, or null when the delivery is to be given up.</summary>
    /// <param name="attempts">Attempts made so far, including the one that just failed.</param>
    /// <param name="jitter">A number in [0, 1) (random in production): the delay is scaled by 0.75 to 1.25.</param>
    public static DateTime? Next(AlertingOptions options, AttemptResult result, int attempts, DateTime createdAt, DateTime now, double jitter)
    {
        if (result.Delivered || result.Permanent || attempts >= options.MaxAttempts) return null;
        TimeSpan delay;
        if (result.RetryAfter is { } asked)
            delay = asked < TimeSpan.Zero ? TimeSpan.Zero : asked > options.MaxRetryAfter ? options.MaxRetryAfter : asked;
        else
        {
            var doubled = options.FirstRetryDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempts - 1, 30));
            var capped = Math.Min(doubled, options.MaxRetryDelay.TotalMilliseconds);
            delay = TimeSpan.FromMilliseconds(Math.Min(capped * (0.75 + jitter / 2), options.MaxRetryDelay.TotalMilliseconds));
        }
        var next = now + delay;
        return next - createdAt > options.MaxAge ? null : next;
    }
}
