using System.Reflection;
using System.Text.Json;
using Interflow.Api.Composition;
using Interflow.Core;

namespace Interflow.Functions.Tests;

/// <summary>Every setting the app binds is in the local settings sample and docs/operations.md, under the name it is read by.</summary>
public sealed class SettingsTests
{
    private static IEnumerable<string> SettingNames(Type type, string prefix)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            var name = $"{prefix}__{property.Name}";
            if (property.PropertyType.Namespace?.StartsWith("Interflow", StringComparison.Ordinal) == true)
            {
                foreach (var nested in SettingNames(property.PropertyType, name))
                {
                    yield return nested;
                }
            }
            else
            {
                yield return name;
            }
        }
    }

    public static TheoryData<string> Settings => new(SettingNames(typeof(InterflowOptions), InterflowOptions.Section));

    [Theory]
    [MemberData(nameof(Settings))]
    public void Setting_is_in_the_sample_and_documented(string setting)
    {
        var values = JsonDocument.Parse(Repository.Read("local.settings.sample.json")).RootElement.GetProperty("Values");

        Assert.True(values.TryGetProperty(setting, out _), $"{setting} missing from local.settings.sample.json");
        Assert.Contains($"`{setting}`", Repository.Read("docs/operations.md"));
    }
}
