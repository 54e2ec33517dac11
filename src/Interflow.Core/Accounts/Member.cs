namespace Interflow.Core.Accounts;

/// <summary>What a member may do in the console.</summary>
public enum MemberRole
{
    /// <summary>Everything, members included (through the operator).</summary>
    Owner,

    /// <summary>Keys and the console.</summary>
    Developer,

    /// <summary>Reads the console, changes nothing.</summary>
    Viewer,
}

/// <summary>
/// A person who acts for an account in the console: an identity (the issuer and subject of a sign-in, such as Microsoft
/// Entra ID's tenant and object id) with a role. A member added without one signs in locally, by link.
/// </summary>
public sealed record Member(string Id, string AccountId, string Issuer, string Subject, string Name, string? Email, MemberRole Role, DateTimeOffset CreatedAt)
{
    /// <summary>The issuer of members who sign in by a link the operator (or a local run) mints.</summary>
    public const string LocalIssuer = "interflow-local";

    public bool CanChangeKeys => Role is MemberRole.Owner or MemberRole.Developer;

    /// <summary>How the activity list names this member.</summary>
    public string Actor => Email is null ? Name : $"{Name} <{Email}>";
}
