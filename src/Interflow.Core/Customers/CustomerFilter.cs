namespace Interflow.Core.Customers;

/// <param name="Search">Case-insensitive substring of name, email or phone.</param>
/// <param name="Email">Exact email, compared case-insensitively.</param>
/// <param name="Phone">Exact phone as E.164 digits.</param>
public sealed record CustomerFilter(string? Search = null, string? Tag = null, string? Email = null, string? Phone = null);
