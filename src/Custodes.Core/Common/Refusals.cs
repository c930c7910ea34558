using Custodes.Common;
namespace Custodes.Common;

// The exception family every use case throws, beside BadInputException (bad input: exit 2 / HTTP 400).
// Each host maps them once: the CLI to exit codes (CliApp), the web app to ProblemDetails and one error page.
// Messages name fields and things in the user's terms ("the reason"), never a host's spelling of them ("--reason").

/// <summary>The actor is known but may not do this (exit 2 / HTTP 403).</summary>
public sealed class ForbiddenException(string message) : Exception(message);

/// <summary>No such resource for this tenant (exit 2 / HTTP 404) — also what another tenant's resource looks like.</summary>
public sealed class NotFoundException(string message) : Exception(message);

/// <summary>The resource's state refuses the change, whatever version the caller read (exit 2 / HTTP 409):
/// a signed-off questionnaire no longer changes, a revoked letter is not revoked twice.</summary>
public sealed class ConflictException(string message) : Exception(message);

/// <summary>The resource changed since the caller read it (exit 2 / HTTP 412): a lost update refused.</summary>
public sealed class PreconditionFailedException(string message) : Exception(message);

/// <summary>A file that was read but cannot be used as asked (a cell with an unknown id, an OSCAL document of another model, another
/// organization's workbook): exit 2 / HTTP 422, with where the problem is.</summary>
public sealed class UnprocessableException(BadInputException inner) : Exception(inner.Message, inner)
{
    public BadInputException Located => inner;
}

/// <summary>
/// An attestation refused because the attesting firm is not independent of what it would attest (exit 2 / HTTP 422, contracts §10):
/// the firm is the assessed organization, is managed by it, or is its provider in a stored portfolio. The message names the conflict.
/// </summary>
public sealed class ConflictOfInterestException(string message) : Exception(message);
