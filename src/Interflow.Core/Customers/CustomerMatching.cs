namespace Interflow.Core.Customers;

/// <summary>
/// How filters compare customers, computed when a customer is written so that every store matches the same way:
/// emails case-insensitively, and <c>search</c> as a case-insensitive substring of name, email or phone.
/// </summary>
public static class CustomerMatching
{
    public static string? EmailKey(string? email) => email?.ToLowerInvariant();

    public static string SearchText(Customer customer) =>
        string.Join('\n', customer.Name.ToLowerInvariant(), EmailKey(customer.Email) ?? "", customer.Phone ?? "");

    public static string SearchTerm(string search) => search.ToLowerInvariant();
}
