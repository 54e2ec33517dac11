namespace Interflow.Api.OpenApi;

// What the OpenAPI schemas say beyond System.ComponentModel.DataAnnotations ([Required], [Length], [Range],
// [AllowedValues], [RegularExpression], [Url]) and [Description], which the document generator reads as well.

/// <summary>Bounds of each item of a list of strings.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ItemsAttribute : Attribute
{
    public int MinLength { get; init; } = -1;

    public int MaxLength { get; init; } = -1;
}

/// <summary>
/// The value, or each item of a list, is an event type (<c>EventTypes.All</c>), or <c>*</c> where <see cref="OrEvery"/>,
/// or <c>webhook.test</c> where <see cref="OrTest"/> (a delivery of the test ping, which no subscription names).
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class EventTypeAttribute : Attribute
{
    public bool OrEvery { get; init; }

    public bool OrTest { get; init; }
}

/// <summary>The value is exactly one of these shapes (message content, which depends on the type beside it).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class OneOfAttribute(params Type[] types) : Attribute
{
    public IReadOnlyList<Type> Types { get; } = types;
}

/// <summary>An object whose values are scalars (string, number, boolean), and null where <see cref="Nullable"/> (to remove a key).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ScalarValuesAttribute : Attribute
{
    public bool Nullable { get; init; }
}

/// <summary>Of these fields (wire names), exactly one must be present, or at least one.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
public sealed class RequiresOneOfAttribute(bool exactlyOne, params string[] fields) : Attribute
{
    public bool ExactlyOne { get; } = exactlyOne;

    public IReadOnlyList<string> Fields { get; } = fields;
}

/// <summary>The value is one of an enum's wire names (snake_case), so the document and the code cannot drift.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class EnumOfAttribute(Type enumType) : Attribute
{
    public Type EnumType { get; } = enumType;
}
