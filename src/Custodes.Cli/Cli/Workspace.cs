using System.CommandLine;
using Custodes.Application;
using Custodes.Application.Accounts;
using Custodes.Application.Assessments;
using Custodes.Application.Audit;
using Custodes.Application.Evidence;
using Custodes.Application.Hosting;
using Custodes.Application.Organizations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Custodes.Cli;

/// <summary>The <c>--data-dir</c>/<c>--db</c> options of every command that uses stored data.</summary>
internal sealed class InstallationOptions
{
    public Option<string?> DataDir { get; } = CommonOptions.DataDir();
    public Option<string?> Db { get; } = CommonOptions.Db();

    public void AddTo(Command command)
    {
        command.Options.Add(DataDir);
        command.Options.Add(Db);
    }

    /// <summary>Whether the user named an installation (these options, <c>Custodes:Data</c>, <c>CUSTODES_DATA</c> or <c>CUSTODES_DB</c>), so that
    /// a command that only may use one does not create the per-user default as a side effect.</summary>
    public bool Named(ParseResult parse)
    {
        using var services = CliServices.Build(parse.GetValue(DataDir), parse.GetValue(Db));
        var data = services.GetRequiredService<DataOptions>();
        return Installation.Named(data.Directory, data.Database);
    }

    /// <summary>Opens the installation, creating it or migrating its schema as needed.</summary>
    public async Task<Workspace> OpenAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var workspace = new Workspace(CliServices.Build(parse.GetValue(DataDir), parse.GetValue(Db)));
        await workspace.Installation.InitializeAsync(cancellationToken);
        return workspace;
    }
}

/// <summary>
/// The CLI's services: the application layer's one composition root (<see cref="ApplicationServices.AddCustodesApplication"/>) on the
/// configuration the web app reads (<c>appsettings.json</c> in the working directory, environment variables such as
/// <c>Custodes__PublicUrl</c>), with <c>--data-dir</c> and <c>--db</c> on the keys of <see cref="DataOptions"/>.
/// </summary>
internal static class CliServices
{
    public static ServiceProvider Build(string? dataDirectory, string? database)
    {
        var options = new Dictionary<string, string?>();
        if (dataDirectory is not null) options[$"{DataOptions.Section}:{nameof(DataOptions.Directory)}"] = dataDirectory;
        if (database is not null) options[$"{DataOptions.Section}:{nameof(DataOptions.Database)}"] = database;
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json"), optional: true, reloadOnChange: false)
            .AddEnvironmentVariables()
            .AddInMemoryCollection(options)
            .Build();
        var provider = new ServiceCollection().AddCustodesApplication(configuration).BuildServiceProvider();
        // A bad setting stops the command before it touches anything, as it stops the server at start.
        provider.ValidateOnStart();
        return provider;
    }
}

/// <summary>An open installation: the same stores and use cases the web app resolves, from the same composition root.</summary>
internal sealed class Workspace(IServiceProvider services)
{
    /// <summary>A store or use case of the application layer.</summary>
    public T Get<T>() where T : notnull => services.GetRequiredService<T>();

    public Installation Installation => Get<Installation>();
    public AuditTrail Audit => Get<AuditTrail>();
    public OrganizationStore Organizations => Get<OrganizationStore>();
    public AccountStore Accounts => Get<AccountStore>();
    public AssessmentStore Assessments => Get<AssessmentStore>();
    public EvidenceStore Evidence => Get<EvidenceStore>();

    /// <summary>The operator acting at the command line for an organization given by id or name.</summary>
    public async Task<Tenant> OperatorForAsync(string organization, CancellationToken cancellationToken) =>
        Tenant.Operator((await Organizations.ResolveAsync(organization, cancellationToken)).Id);

    /// <summary>The operator acting for whichever organization owns an assessment (the operator runs the installation).</summary>
    public Task<Tenant> OperatorForAssessmentAsync(Guid assessmentId, CancellationToken cancellationToken) => Assessments.OperatorForAsync(assessmentId, cancellationToken);
}
