using Custodes.Application.Alerting;

namespace Custodes.Application.Tests;

public sealed class RetryScheduleTests
{
    private static readonly DateTime Created = new(2026, 11, 23, 12, 0, 0, DateTimeKind.Utc);
    private static readonly AlertingOptions Options = new();
    private static AttemptResult Failed(TimeSpan? retryAfter = null, bool permanent = false) => new(false, 500, TimeSpan.Zero, "HTTP 500", permanent, retryAfter);

    [Theory]
    [InlineData(1, 1000)]
    [InlineData(2, 2000)]
    [InlineData(3, 4000)]
    [InlineData(6, 32000)]
    public void Backoff_doubles_from_one_second_with_jitter_of_a_quarter(int attempts, int milliseconds)
    {
        var now = Created.AddSeconds(5);
        var low = RetrySchedule.Next(Options, Failed(), attempts, Created, now, jitter: 0)!.Value - now;
        var high = RetrySchedule.Next(Options, Failed(), attempts, Created, now, jitter: 0.999999)!.Value - now;
        Assert.Equal(milliseconds * 0.75, low.TotalMilliseconds, 1);
        Assert.Equal(milliseconds * 1.25, high.TotalMilliseconds, 1);
    }

    [Fact]
    public void Backoff_is_capped_at_the_maximum_delay()
    {
        var now = Created.AddMinutes(1);
        Assert.Equal(Options.MaxRetryDelay, RetrySchedule.Next(Options, Failed(), 11, Created, now, jitter: 0.999)!.Value - now);
        Assert.Equal(Options.MaxRetryDelay * 0.75, RetrySchedule.Next(Options, Failed(), 11, Created, now, jitter: 0)!.Value - now);
    }

    [Fact]
    public void Retry_After_is_honoured_up_to_its_maximum()
    {
        var now = Created.AddSeconds(1);
        Assert.Equal(TimeSpan.FromSeconds(30), RetrySchedule.Next(Options, Failed(TimeSpan.FromSeconds(30)), 1, Created, now, jitter: 0)!.Value - now);
        Assert.Equal(Options.MaxRetryAfter, RetrySchedule.Next(Options, Failed(TimeSpan.FromDays(2)), 1, Created, now, jitter: 0)!.Value - now);
        Assert.Equal(TimeSpan.Zero, RetrySchedule.Next(Options, Failed(TimeSpan.FromSeconds(-5)), 1, Created, now, jitter: 0)!.Value - now);
    }

    [Fact]
    public void Delivered_permanent_failures_the_last_attempt_and_old_deliveries_are_not_retried()
    {
        var now = Created.AddSeconds(1);
        Assert.Null(RetrySchedule.Next(Options, new AttemptResult(true, 200, TimeSpan.Zero, null), 1, Created, now, 0.5));
        Assert.Null(RetrySchedule.Next(Options, Failed(permanent: true), 1, Created, now, 0.5));
        Assert.Null(RetrySchedule.Next(Options, Failed(), Options.MaxAttempts, Created, now, 0.5));
        Assert.NotNull(RetrySchedule.Next(Options, Failed(), Options.MaxAttempts - 1, Created, now, 0.5));
        Assert.Null(RetrySchedule.Next(Options, Failed(), 2, Created, Created + Options.MaxAge, 0.5));
    }
}
