namespace Custodes.Common;

/// <summary>The environment failed us (a data directory that cannot be opened, a server that does not answer): exit code 3.</summary>
public sealed class EnvironmentFailureException(string message, Exception? inner = null) : Exception(message, inner);
