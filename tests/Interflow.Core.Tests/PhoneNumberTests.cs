namespace Interflow.Core.Tests;

public sealed class PhoneNumberTests
{
    [Theory]
    [InlineData("5511999999999", "5511999999999")]
    [InlineData("+5511987654321", "5511987654321")]
    [InlineData("14155552671", "14155552671")]
    [InlineData("+447911123456", "447911123456")]
    public void Real_numbers_normalize_to_e164_digits(string input, string expected)
    {
        Assert.True(PhoneNumber.TryNormalize(input, out var digits));
        Assert.Equal(expected, digits);
    }

    [Theory]
    [InlineData("")]
    [InlineData("123")]
    [InlineData("55 11 99999 9999")]
    [InlineData("+55-11-99999-9999")]
    [InlineData("5511abc999999")]
    [InlineData("999999999999")]
    [InlineData("1234567890123456")]
    [InlineData("++5511999999999")]
    [InlineData("5500999999999")]
    public void Anything_else_is_refused(string input)
    {
        Assert.False(PhoneNumber.TryNormalize(input, out _));
    }
}
