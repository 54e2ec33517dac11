using Interflow.Core;
using Interflow.Core.Accounts;

namespace Interflow.Infrastructure.Tests;

/// <summary>What every store must do for the console: keys that carry their limits, the key activity, members, sessions and one-time links.</summary>
public abstract class ConsoleStoreContract : WalkStoreContract
{
    // Sessions and links expire by the real clock: stores drop what has expired by it (TTL, clean-up).
    private static readonly DateTimeOffset Now = TimeProvider.System.GetUtcNow();

    private static Member NewMember(string accountId, MemberRole role = MemberRole.Developer, string issuer = "https://login.microsoftonline.com/t/v2.0", string? subject = null) =>
        new(Ids.New("mem"), accountId, issuer, subject ?? Guid.NewGuid().ToString(), "Ana Souza", "ana@loja.com.br", role, Now);

    [SkippableFact]
    public async Task Keys_keep_their_expiry_restrictions_and_maker()
    {
        RequireEngine();
        var restrictions = new KeyRestrictions(new Dictionary<string, ResourceAccess> { ["customers"] = ResourceAccess.Read, ["messages"] = ResourceAccess.Write });
        var key = new ApiKey(Ids.New("key"), Ids.New("acc"), ApiEnvironment.Live, "Relatórios", "ifk_live_abcd", ApiKeySecret.Hash(Guid.NewGuid().ToString()),
            Now, null, null, Now.AddDays(30), restrictions, "Ana Souza <ana@loja.com.br>");

        await Stores.Accounts.CreateKeyAsync(key, default);
        var rolled = key with { ExpiresAt = Now.AddHours(1) };
        await Stores.Accounts.SaveKeyAsync(rolled, default);

        var found = await Stores.Accounts.FindKeyByHashAsync(key.SecretHash, default);
        Assert.Equal(rolled, found);
        Assert.True(found!.Restrictions!.Allows(new KeyPermission("customers", ResourceAccess.Read)));
        Assert.False(found.Restrictions.Allows(new KeyPermission("customers", ResourceAccess.Write)));
        Assert.False(found.Restrictions.Allows(new KeyPermission("bulk", ResourceAccess.Read)));
    }

    [SkippableFact]
    public async Task Key_activity_is_kept_per_account_newest_first()
    {
        RequireEngine();
        var account = Ids.New("acc");
        KeyActivity Entry(string action, int seconds, string? accountId = null) =>
            new(Ids.New("kact"), accountId ?? account, action, "key_1", "Backend", ApiEnvironment.Live, "operator", Now.AddSeconds(seconds), null);

        await Stores.Accounts.AppendKeyActivityAsync(Entry("created", 0), default);
        await Stores.Accounts.AppendKeyActivityAsync(Entry("revoked", 20), default);
        await Stores.Accounts.AppendKeyActivityAsync(Entry("rolled", 10), default);
        await Stores.Accounts.AppendKeyActivityAsync(Entry("created", 30, Ids.New("acc")), default);

        Assert.Equal(["revoked", "rolled", "created"], (await Stores.Accounts.ListKeyActivityAsync(account, 10, default)).Select(a => a.Action));
        Assert.Equal(["revoked", "rolled"], (await Stores.Accounts.ListKeyActivityAsync(account, 2, default)).Select(a => a.Action));
    }

    [SkippableFact]
    public async Task Members_are_kept_per_account_found_by_identity_and_removed()
    {
        RequireEngine();
        var account = Ids.New("acc");
        var other = Ids.New("acc");
        var ana = NewMember(account, MemberRole.Owner, subject: "object-ana");
        var viewer = NewMember(account, MemberRole.Viewer) with { CreatedAt = Now.AddSeconds(1) };
        var anaElsewhere = NewMember(other, subject: "object-ana");

        await Stores.Members.CreateAsync(ana, default);
        await Stores.Members.CreateAsync(viewer, default);
        await Stores.Members.CreateAsync(anaElsewhere, default);

        Assert.Equal(ana, await Stores.Members.GetAsync(account, ana.Id, default));
        Assert.Equal([ana, viewer], await Stores.Members.ListAsync(account, default));
        Assert.Equal(new[] { ana.Id, anaElsewhere.Id }.Order(), (await Stores.Members.FindByIdentityAsync(ana.Issuer, "object-ana", default)).Select(m => m.Id).Order());
        Assert.Empty(await Stores.Members.FindByIdentityAsync("https://other-issuer", "object-ana", default));
        Assert.True(await Stores.Members.DeleteAsync(account, viewer.Id, default));
        Assert.False(await Stores.Members.DeleteAsync(account, viewer.Id, default));
        Assert.Equal([ana], await Stores.Members.ListAsync(account, default));
    }

    [SkippableFact]
    public async Task One_identity_is_one_member_of_an_account()
    {
        RequireEngine();
        var account = Ids.New("acc");
        await Stores.Members.CreateAsync(NewMember(account, subject: "object-twice"), default);

        await Assert.ThrowsAsync<ConflictException>(() => Stores.Members.CreateAsync(NewMember(account, subject: "object-twice"), default));
        Assert.Single(await Stores.Members.ListAsync(account, default));
    }

    [SkippableFact]
    public async Task Sessions_are_found_by_id_seen_again_and_ended()
    {
        RequireEngine();
        var session = new ConsoleSession(ConsoleTokens.Hash(ConsoleTokens.New()), Ids.New("acc"), Ids.New("mem"), ConsoleTokens.New(), Now, Now, Now.AddHours(8));

        await Stores.Sessions.CreateSessionAsync(session, default);
        var seen = session with { LastSeenAt = Now.AddMinutes(5) };
        await Stores.Sessions.SaveSessionAsync(seen, default);

        Assert.Equal(seen, await Stores.Sessions.GetSessionAsync(session.Id, default));
        await Stores.Sessions.DeleteSessionAsync(session.Id, default);
        await Stores.Sessions.DeleteSessionAsync(session.Id, default);
        await Assert_missing_session_is_null(session.Id);
    }

    private async Task Assert_missing_session_is_null(string id)
    {
        RequireEngine("point reads of missing items");
        Assert.Null(await Stores.Sessions.GetSessionAsync(id, default));
    }

    [SkippableFact]
    public async Task A_sign_in_link_is_used_once_even_by_two_requests_at_once_and_never_after_it_expires()
    {
        RequireEngine();
        var link = new SignInLink(ConsoleTokens.Hash(ConsoleTokens.New()), Ids.New("acc"), Ids.New("mem"), Now.AddMinutes(15), null);
        var expired = new SignInLink(ConsoleTokens.Hash(ConsoleTokens.New()), link.AccountId, link.MemberId, Now.AddMinutes(15), null);
        await Stores.Sessions.CreateSignInLinkAsync(link, default);
        await Stores.Sessions.CreateSignInLinkAsync(expired, default);

        var racing = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Stores.Sessions.ConsumeSignInLinkAsync(link.Id, Now, default)));
        var again = await Stores.Sessions.ConsumeSignInLinkAsync(link.Id, Now.AddSeconds(1), default);
        var late = await Stores.Sessions.ConsumeSignInLinkAsync(expired.Id, Now.AddMinutes(16), default);

        Assert.Equal(link, Assert.Single(racing, r => r is not null));
        Assert.Null(again);
        Assert.Null(late);
    }
}
