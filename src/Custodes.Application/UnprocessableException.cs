using Custodes.Common;

namespace Custodes.Application;

/// <summary>A file that was read but cannot be used as asked (a cell with an unknown id, an OSCAL document of another model, another
/// organization's workbook): hosts answer it as HTTP 422 with where the problem is.</summary>
public sealed class UnprocessableException(BadInputException inner) : Exception(inner.Message, inner)
{
    public BadInputException Located => inner;
}
