namespace Interflow.Core;

/// <summary>A field of a partial update: absent (keep what is stored) or present with a value, possibly null.</summary>
public readonly record struct Optional<T>(bool IsSet, T Value)
{
    public static Optional<T> Unset => default;

    public static Optional<T> Of(T value) => new(true, value);

    public T Or(T current) => IsSet ? Value : current;
}
