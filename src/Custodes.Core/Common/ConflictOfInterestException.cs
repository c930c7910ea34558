namespace Custodes.Common;

/// <summary>
/// An attestation refused because the attesting firm is not independent of what it would attest (exit 2 / HTTP 422, contracts §10):
/// the firm is the assessed organization, is managed by it, or is its provider in a stored portfolio. The message names the conflict.
/// </summary>
public sealed class ConflictOfInterestException(string message) : Exception(message);
