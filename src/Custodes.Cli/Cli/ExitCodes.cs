namespace Custodes.Cli;

/// <summary>Exit codes of every <c>custodes</c> command (contracts: 0 ok, 1 checked thing false, 2 bad input, 3 environment).</summary>
internal static class ExitCodes
{
    public const int Ok = 0;
    public const int CheckFailed = 1;
    public const int BadInput = 2;
    public const int Environment = 3;
}
