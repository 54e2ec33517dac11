namespace Interflow.Core;

/// <summary>A setting for local runs and tests only: never configured in Azure (infra/ must not set it).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class LocalOnlyAttribute : Attribute;
