using Custodes.Watch.Detection;

namespace Custodes.Application.Watch;

/// <summary>An alert as published: stored (with its id and the readers' view) and as the detector reported it.</summary>
/// <param name="IsNew">True the first time the alert is published; later publications update a growing alert.</param>
/// <param name="NewTenants">The tenants the alert touches that it did not before this save (all of them when it is new).</param>
public sealed record PublishedAlert(AlertView Stored, Alert Detected, bool IsNew, IReadOnlyList<string> NewTenants);

/// <summary>Where published alerts go besides the database (webhooks, email). Register one in the service collection.</summary>
public interface IAlertSink
{
    Task DeliverAsync(PublishedAlert alert, CancellationToken cancellationToken);
}

/// <summary>The one way an alert leaves detection: stored (new, or updated while it grows), then handed to every
/// <see cref="IAlertSink"/>. A failing sink never loses the stored alert; its error is reported to <c>onSinkError</c>.</summary>
public sealed class AlertPublisher(AlertStore store, IEnumerable<IAlertSink> sinks, Action<IAlertSink, Exception>? onSinkError = null)
{
    private readonly IAlertSink[] _sinks = [.. sinks];

    public async Task<PublishedAlert> PublishAsync(Guid msp, Guid? existing, Alert alert, IReadOnlyList<long> eventSeqs, bool growing, CancellationToken cancellationToken = default)
    {
        var (stored, tenantsBefore) = await store.SaveAsync(msp, existing, alert, eventSeqs, growing, cancellationToken);
        var published = new PublishedAlert(stored, alert, tenantsBefore is null, [.. stored.Tenants.Except(tenantsBefore ?? [], StringComparer.Ordinal)]);
        foreach (var sink in _sinks)
        {
            try
            {
                await sink.DeliverAsync(published, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                onSinkError?.Invoke(sink, e);
            }
        }
        return published;
    }
}
