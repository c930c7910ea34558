namespace Custodes.Watch.Formats;

/// <summary>One record cannot become an event; the reader quarantines it with <see cref="Exception.Message"/> as the reason.</summary>
public sealed class RecordRejectedException(string reason) : Exception(reason);
