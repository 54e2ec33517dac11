using System.Reflection;
using System.Text.RegularExpressions;
using Interflow.Api.Composition;
using Interflow.Core;
using Interflow.Infrastructure.Cosmos;
using Interflow.Infrastructure.Queues;

namespace Interflow.Functions.Tests;

/// <summary>Code and infra/ cannot drift: every container and setting the code uses is declared in the Bicep, and the Bicep declares nothing the code does not use.</summary>
public sealed partial class InfrastructureTests
{
    private sealed record BicepContainer(string Name, string PartitionKey, string[] UniqueKeys, bool PerItemTtl, string[] Orders);

    [Fact]
    public void Bicep_declares_exactly_the_cosmos_containers_of_the_code()
    {
        var declared = ReadContainers(Repository.Read("infra/main.bicep"));

        Assert.Equal(CosmosContainers.Definitions.Select(d => d.Name).Order(), declared.Select(c => c.Name).Order());
        foreach (var definition in CosmosContainers.Definitions)
        {
            var container = declared.Single(c => c.Name == definition.Name);
            Assert.Equal(definition.PartitionKey, container.PartitionKey);
            Assert.Equal(definition.UniqueKeys ?? [], container.UniqueKeys);
            Assert.Equal(definition.PerItemTtl, container.PerItemTtl);
            Assert.Equal(definition.Orders ?? [], container.Orders);
        }
    }

    [Fact]
    public void Function_app_settings_are_exactly_the_azure_settings_of_the_code()
    {
        var bicep = Repository.Read("infra/modules/functionapp.bicep");
        var declared = AppSetting().Matches(bicep).Select(m => m.Groups[1].Value).Where(n => n.StartsWith("Interflow__", StringComparison.Ordinal)).Order();

        Assert.Equal(AzureSettings(typeof(InterflowOptions), InterflowOptions.Section).Order(), declared);
        Assert.Contains("AzureWebJobsStorage__credential', value: 'managedidentity'", bicep);
        Assert.DoesNotContain("AccountKey", bicep);
    }

    [Fact]
    public void Bicep_declares_exactly_the_queues_of_the_code()
    {
        var block = QueuesLine().Match(Repository.Read("infra/main.bicep"));

        Assert.True(block.Success, "var queueNames = [...] not found in infra/main.bicep");
        Assert.Equal(QueueNames.All.Order(), Quoted().Matches(block.Groups[1].Value).Select(m => m.Groups[1].Value).Order());
    }

    [Fact]
    public void The_platform_sign_in_covers_the_console_and_leaves_every_other_route_to_its_own_authentication()
    {
        var bicep = Repository.Read("infra/modules/functionapp.bicep");
        var excluded = Quoted().Matches(ExcludedPaths().Match(bicep).Groups[1].Value).Select(m => m.Groups[1].Value).ToArray();

        Assert.Contains("name: 'authsettingsV2'", bicep);
        Assert.Contains("requireAuthentication: true", bicep);
        foreach (var route in Interflow.Api.Http.ApiRouteTable.All)
        {
            var first = "/" + route.Template.Split('/')[0];
            Assert.True(excluded.Contains(first) == (route.Access != Interflow.Api.Http.RouteAccess.Console && !route.Template.StartsWith("console", StringComparison.Ordinal)),
                $"/{route.Template}: the platform sign-in must cover exactly the console's paths (excludedPaths: {string.Join(", ", excluded)})");
        }
    }

    [Fact]
    public void Parameter_files_exist_for_dev_and_prod()
    {
        Assert.Contains("param environmentName = 'dev'", Repository.Read("infra/main.dev.bicepparam"));
        Assert.Contains("param environmentName = 'prod'", Repository.Read("infra/main.prod.bicepparam"));
    }

    /// <summary>Settings the app reads in Azure: everything bound from options except what is marked local-only.</summary>
    private static IEnumerable<string> AzureSettings(Type type, string prefix)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            if (property.GetCustomAttribute<LocalOnlyAttribute>() is not null)
            {
                continue;
            }
            var name = $"{prefix}__{property.Name}";
            if (property.PropertyType.Namespace?.StartsWith("Interflow", StringComparison.Ordinal) == true)
            {
                foreach (var nested in AzureSettings(property.PropertyType, name))
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

    private static List<BicepContainer> ReadContainers(string bicep)
    {
        var block = ContainersBlock().Match(bicep);
        Assert.True(block.Success, "var cosmosContainers = [...] not found in infra/main.bicep");
        var containers = new List<BicepContainer>();
        foreach (Match entry in ContainerEntry().Matches(block.Groups[1].Value))
        {
            var text = entry.Value;
            var uniqueKeys = UniqueKeys().Match(text);
            containers.Add(new BicepContainer(
                Field(text, "name"),
                Field(text, "partitionKey"),
                uniqueKeys.Success ? Quoted().Matches(uniqueKeys.Groups[1].Value).Select(m => m.Groups[1].Value).ToArray() : [],
                text.Contains("defaultTtl: -1", StringComparison.Ordinal),
                [.. CompositeIndex().Matches(text).Select(index => string.Join(", ", CompositePath().Matches(index.Value)
                    .Select(p => $"{p.Groups[1].Value} {(p.Groups[2].Value == "descending" ? "DESC" : "ASC")}")))]));
        }
        return containers;
    }

    private static string Field(string text, string name) =>
        Regex.Match(text, $@"\b{name}: '([^']*)'").Groups[1].Value;

    [GeneratedRegex(@"var cosmosContainers = \[(.*?)\n\]", RegexOptions.Singleline)]
    private static partial Regex ContainersBlock();

    // One container: an opening brace at two spaces of indent up to its closing brace at the same indent.
    [GeneratedRegex(@"^  \{.*?^  \}", RegexOptions.Singleline | RegexOptions.Multiline)]
    private static partial Regex ContainerEntry();

    [GeneratedRegex(@"excludedPaths: \[([^\]]*)\]")]
    private static partial Regex ExcludedPaths();

    [GeneratedRegex(@"var queueNames = \[([^\]]*)\]", RegexOptions.Singleline)]
    private static partial Regex QueuesLine();

    // One composite index: a bracket at six spaces of indent up to its closing bracket at the same indent.
    [GeneratedRegex(@"^      \[.*?^      \]", RegexOptions.Singleline | RegexOptions.Multiline)]
    private static partial Regex CompositeIndex();

    [GeneratedRegex(@"\{ path: '/(\w+)', order: '(\w+)' \}")]
    private static partial Regex CompositePath();

    [GeneratedRegex(@"uniqueKeys: \[([^\]]*)\]")]
    private static partial Regex UniqueKeys();

    [GeneratedRegex("'([^']*)'")]
    private static partial Regex Quoted();

    [GeneratedRegex(@"\{ name: '([^']+)', value:")]
    private static partial Regex AppSetting();
}
