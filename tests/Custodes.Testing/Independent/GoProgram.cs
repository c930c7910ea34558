namespace Custodes.Testing.Independent;

/// <summary>
/// Builds a one-file Go program once per test run, in GOPATH mode against Debian's golang.org/x/mod (packages golang-go and
/// golang-golang-x-mod-dev, installed by scripts/test.sh). Use it as an xUnit class fixture through a parameterless subclass.
/// </summary>
public abstract class GoProgram : IDisposable
{
    private const string XMod = "/usr/share/gocode/src/golang.org/x/mod/sumdb";
    private readonly string _root;
    private readonly Lazy<string> _binary;

    /// <param name="name">The program's name.</param>
    /// <param name="source">Its main.go, relative to the test assembly's directory.</param>
    protected GoProgram(string name, string source)
    {
        _root = Directory.CreateTempSubdirectory($"custodes-go-{name}-").FullName;
        _binary = new Lazy<string>(() => Build(name, Path.Combine(AppContext.BaseDirectory, source)));
    }

    /// <summary>The built program; fails the test (never skips it) when Go or x/mod is missing.</summary>
    public string Binary => _binary.Value;

    private string Build(string name, string source)
    {
        var go = ExternalTools.Find("go", "/usr/bin/go", "/usr/lib/go/bin/go")
            ?? throw new InvalidOperationException($"Go is not installed: the independent check {name} needs it (apt-get install golang-go; scripts/test.sh installs it)");
        if (!Directory.Exists(XMod))
            throw new InvalidOperationException($"{XMod} is missing: the independent check {name} needs golang.org/x/mod (apt-get install golang-golang-x-mod-dev; scripts/test.sh installs it)");
        var directory = Path.Combine(_root, "src", name);
        Directory.CreateDirectory(directory);
        File.Copy(source, Path.Combine(directory, "main.go"));
        var binary = Path.Combine(_root, name);
        var environment = new Dictionary<string, string> { ["GO111MODULE"] = "off", ["GOPATH"] = $"{_root}:/usr/share/gocode", ["GOFLAGS"] = "" };
        // Go keeps its build cache under $HOME; a CI runner without one gets a throwaway cache (a slower, cold build).
        if (new[] { "GOCACHE", "XDG_CACHE_HOME", "HOME" }.All(v => string.IsNullOrEmpty(Environment.GetEnvironmentVariable(v))))
            environment["GOCACHE"] = Path.Combine(_root, "cache");
        var (code, stdout, stderr) = ExternalTools.Capture(go, ["build", "-o", binary, name], _root, environment);
        if (code != 0) throw new InvalidOperationException($"go build of {name} failed ({code}):\n{stdout}\n{stderr}");
        return binary;
    }

    public void Dispose()
    {
        GC.SuppressFinalize(this);
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
