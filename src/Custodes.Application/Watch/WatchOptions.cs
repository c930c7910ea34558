using Custodes.Application.Hosting;
using Microsoft.Extensions.Options;

namespace Custodes.Application.Watch;

/// <summary>Settings of event ingestion (configuration section <c>Custodes:Watch</c>).</summary>
public sealed class WatchOptions
{
    public const string Section = "Custodes:Watch";

    /// <summary>Events accepted (durable in the inbox) but not yet stored in their MSP's log, at most; beyond it <c>POST /api/v1/watch/events</c> answers 429. Small on
    /// purpose: an event waits behind the whole queue, so its size bounds alert latency (about 2 s of storage throughput).</summary>
    public int QueueCapacity { get; set; } = 50_000;

    /// <summary>How long an <c>Idempotency-Key</c> of <c>POST /api/v1/watch/events</c> is remembered after its request was
    /// accepted (at least; forgotten keys are pruned once a minute): a retry within it gets the first answer.</summary>
    public TimeSpan IdempotencyKeyRetention { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Largest request body of <c>POST /api/v1/watch/events</c> (default 32 MiB); larger ones answer 413.</summary>
    public long MaxBodyBytes { get; set; } = 32L * 1024 * 1024;

    /// <summary>Seconds a client is told to wait (<c>Retry-After</c>) when the queue is full.</summary>
    public int RetryAfterSeconds { get; set; } = 1;

    /// <summary>Events stored per batch at most when the queue holds many (one transaction, one log leaf, one checkpoint).</summary>
    public int MaxBatch { get; set; } = 20_000;

    /// <summary>An MSP quiet for this long has its detector advanced to the wall clock (buffered events evaluated, idle alerts closed).</summary>
    public TimeSpan QuietAfter { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>MSPs whose detector state is kept in memory at most.</summary>
    public int MaxDetectors { get; set; } = 1000;

    /// <summary>Where the syslog listener listens (<c>127.0.0.1:5514</c>, UDP and TCP, loopback only); off when empty.</summary>
    public string? Syslog { get; set; }

    /// <summary>The MSP organization (id) whose events arrive by syslog.</summary>
    public Guid? SyslogMsp { get; set; }
}

/// <summary>Checks the ingestion settings: sizes and counts positive (the queue may be 0), the syslog address a loopback <c>host:port</c> with an MSP to receive for.</summary>
public sealed class WatchOptionsValidator : IValidateOptions<WatchOptions>
{
    public ValidateOptionsResult Validate(string? name, WatchOptions o) => new OptionsProblems(WatchOptions.Section)
        // 0 is allowed: every batch is refused with 429 (a drain of the server's ingestion).
        .Require(o.QueueCapacity >= 0, nameof(o.QueueCapacity), $"{o.QueueCapacity} is negative")
        .Require(o.MaxBatch >= 1, nameof(o.MaxBatch), $"{o.MaxBatch} is not at least 1")
        .Require(o.MaxDetectors >= 1, nameof(o.MaxDetectors), $"{o.MaxDetectors} is not at least 1")
        .Require(o.MaxBodyBytes >= 1, nameof(o.MaxBodyBytes), $"{o.MaxBodyBytes} is not a positive number of bytes")
        .Require(o.RetryAfterSeconds >= 0, nameof(o.RetryAfterSeconds), $"{o.RetryAfterSeconds} is negative")
        .Require(o.IdempotencyKeyRetention > TimeSpan.Zero, nameof(o.IdempotencyKeyRetention), "must be positive (a time such as 1.00:00:00)")
        .Require(o.QuietAfter > TimeSpan.Zero, nameof(o.QuietAfter), "must be positive (a time such as 00:00:02)")
        .Require(string.IsNullOrWhiteSpace(o.Syslog) || System.Net.IPEndPoint.TryParse(o.Syslog.Trim(), out var e) && System.Net.IPAddress.IsLoopback(e.Address),
            nameof(o.Syslog), $"'{o.Syslog}' is not a loopback address and port such as 127.0.0.1:5514")
        .Require(string.IsNullOrWhiteSpace(o.Syslog) || o.SyslogMsp is not null, nameof(o.SyslogMsp), "the syslog listener needs the id of the MSP whose events it receives")
        .Result;
}
