using Interflow.Core.Accounts;

namespace Interflow.Core.Tests;

public sealed class ApiKeySecretTests
{
    [Theory]
    [InlineData(ApiEnvironment.Live, "ifk_live_")]
    [InlineData(ApiEnvironment.Test, "ifk_test_")]
    public void Generated_keys_carry_their_environment_and_parse_back(ApiEnvironment environment, string prefix)
    {
        var secret = ApiKeySecret.Generate(environment);

        Assert.StartsWith(prefix, secret);
        Assert.Equal(prefix.Length + 32, secret.Length);
        Assert.True(ApiKeySecret.TryParse(secret, out var parsed));
        Assert.Equal(environment, parsed);
        Assert.NotEqual(secret, ApiKeySecret.Generate(environment));
    }

    [Fact]
    public void The_stored_hash_is_sha256_hex_and_matches_only_its_secret()
    {
        var secret = ApiKeySecret.Generate(ApiEnvironment.Live);
        var hash = ApiKeySecret.Hash(secret);

        Assert.Matches("^[0-9a-f]{64}$", hash);
        Assert.DoesNotContain(secret[9..], hash);
        Assert.True(ApiKeySecret.Matches(secret, hash));
        Assert.False(ApiKeySecret.Matches(ApiKeySecret.Generate(ApiEnvironment.Live), hash));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("ifk_live_")]
    [InlineData("ifk_prod_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("ifk_live_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("ifk_live_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA!")]
    [InlineData(" ifk_live_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public void Malformed_keys_do_not_parse(string? secret)
    {
        Assert.False(ApiKeySecret.TryParse(secret, out _));
    }
}
