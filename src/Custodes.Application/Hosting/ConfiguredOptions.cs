using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Custodes.Application.Hosting;

/// <summary>
/// The one way settings are read: a typed options class bound from its configuration section, checked by its validator when the
/// host starts (<c>ValidateOnStart</c>), so a bad setting stops the server or the command at once, naming the key and what it expects.
/// </summary>
public static class ConfiguredOptions
{
    /// <summary>Binds <typeparamref name="T"/> from <paramref name="section"/>, validates it at start and makes its value injectable as itself.</summary>
    /// <param name="aliasSections">Sections holding the same keys under an older name, read first so that <paramref name="section"/> wins.</param>
    public static OptionsBuilder<T> AddConfiguredOptions<T, TValidator>(this IServiceCollection services, string section, params string[] aliasSections)
        where T : class
        where TValidator : class, IValidateOptions<T>
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<T>, TValidator>());
        // Services take the settings themselves, not IOptions<T>: they are fixed for the life of the process.
        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<T>>().Value);
        var options = services.AddOptions<T>();
        foreach (var alias in aliasSections) options.BindConfiguration(alias);
        return options.BindConfiguration(section).ValidateOnStart();
    }

    /// <summary>
    /// Binds and validates <typeparamref name="T"/> the way the container does, for the few settings that decide what gets registered
    /// (whether single sign-on is on, whether this server runs the delivery worker); a bad setting throws, naming the key.
    /// </summary>
    public static T ReadConfiguredOptions<T, TValidator>(this IConfiguration configuration, string section, params string[] aliasSections)
        where T : class
        where TValidator : class, IValidateOptions<T>
    {
        var services = new ServiceCollection();
        services.AddSingleton(configuration);
        services.AddConfiguredOptions<T, TValidator>(section, aliasSections);
        using var provider = services.BuildServiceProvider();
        try
        {
            return provider.GetRequiredService<IOptions<T>>().Value;
        }
        catch (OptionsValidationException e)
        {
            throw new InvalidOperationException(e.Message, e);
        }
    }

    /// <summary>Checks every options type registered with <c>ValidateOnStart</c> (a generic host does this when it starts; the CLI has none).</summary>
    public static void ValidateOnStart(this IServiceProvider services) => services.GetRequiredService<IStartupValidator>().Validate();
}

/// <summary>Collects what is wrong with one options object, each problem as <c>configuration Section:Key: what is expected</c>.</summary>
public sealed class OptionsProblems(string section)
{
    private readonly List<string> _problems = [];

    /// <summary>Records <paramref name="problem"/> for <paramref name="key"/> unless <paramref name="ok"/>.</summary>
    public OptionsProblems Require(bool ok, string key, string problem)
    {
        if (!ok) _problems.Add($"configuration {section}:{key}: {problem}");
        return this;
    }

    public ValidateOptionsResult Result => _problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(_problems);

    /// <summary>Whether <paramref name="url"/> is an absolute http or https URL.</summary>
    public static bool IsHttpUrl(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
}
