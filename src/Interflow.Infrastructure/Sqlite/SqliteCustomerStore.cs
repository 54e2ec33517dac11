using System.Text.Json;
using Interflow.Core;
using Interflow.Core.Accounts;
using Interflow.Core.Customers;
using Interflow.Core.Paging;
using Microsoft.Data.Sqlite;

namespace Interflow.Infrastructure.Sqlite;

public sealed class SqliteCustomerStore(SqliteDatabase database) : ICustomerStore
{
    private const string Columns =
        "tenant, id, name, email, email_key, phone, tags, custom_fields, search_text, created_at, updated_at, etag, outbox, outbox_pending";


    internal const string InsertSql =
        $"INSERT INTO customers ({Columns}) VALUES ($tenant, $id, $name, $email, $email_key, $phone, $tags, $fields, $search, $created, $updated, $etag, $outbox, $outbox_pending)";

    public async Task<Customer> CreateAsync(Customer customer, CancellationToken cancellationToken)
    {
        var stored = customer with { ETag = NewETag() };
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = InsertSql;
        Bind(command, stored);
        await ExecuteWriteAsync(command, cancellationToken);
        return stored;
    }

    public async Task<Customer?> GetAsync(Tenant tenant, string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM customers WHERE tenant = $tenant AND id = $id";
        command.Parameters.AddWithValue("$tenant", tenant.Key);
        command.Parameters.AddWithValue("$id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader, tenant) : null;
    }

    public async Task<Customer> ReplaceAsync(Customer customer, string expectedETag, CancellationToken cancellationToken)
    {
        var stored = customer with { ETag = NewETag() };
        int updated;
        await using (var connection = await database.OpenAsync(cancellationToken))
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = """
                UPDATE customers SET name = $name, email = $email, email_key = $email_key, phone = $phone, tags = $tags,
                    custom_fields = $fields, search_text = $search, updated_at = $updated, etag = $etag,
                    outbox = $outbox, outbox_pending = $outbox_pending
                WHERE tenant = $tenant AND id = $id AND etag = $expected
                """;
            Bind(command, stored);
            command.Parameters.AddWithValue("$expected", expectedETag);
            updated = await ExecuteWriteAsync(command, cancellationToken);
        }
        if (updated == 1)
        {
            return stored;
        }
        throw await GetAsync(customer.Tenant, customer.Id, cancellationToken) is null
            ? new NotFoundException()
            : new VersionMismatchException();
    }

    public async Task<bool> DeleteAsync(Tenant tenant, string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM customers WHERE tenant = $tenant AND id = $id";
        command.Parameters.AddWithValue("$tenant", tenant.Key);
        command.Parameters.AddWithValue("$id", id);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<IReadOnlyList<Customer>> FindByPhonesAsync(Tenant tenant, IReadOnlyCollection<string> phones, CancellationToken cancellationToken) =>
        phones.Count == 0 ? [] : await database.QueryAsync(c =>
        {
            c.Parameters.AddWithValue("$tenant", tenant.Key);
            return $"SELECT {Columns} FROM customers WHERE tenant = $tenant AND phone IN {SqliteDatabase.InList(c, "$phone", phones)}";
        }, reader => Read(reader, tenant), cancellationToken);

    public async Task<Page<Customer>> ListAsync(
        Tenant tenant, CustomerFilter filter, PageRequest page, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        var where = new List<string> { "tenant = $tenant" };
        command.Parameters.AddWithValue("$tenant", tenant.Key);
        if (filter.Search is { } search)
        {
            where.Add(@"search_text LIKE $search ESCAPE '\'");
            command.Parameters.AddWithValue("$search", $"%{EscapeLike(CustomerMatching.SearchTerm(search))}%");
        }
        if (filter.Tag is { } tag)
        {
            where.Add("EXISTS (SELECT 1 FROM json_each(customers.tags) WHERE value = $tag)");
            command.Parameters.AddWithValue("$tag", tag);
        }
        if (filter.Email is { } email)
        {
            where.Add("email_key = $email");
            command.Parameters.AddWithValue("$email", CustomerMatching.EmailKey(email));
        }
        if (filter.Phone is { } phone)
        {
            where.Add("phone = $phone");
            command.Parameters.AddWithValue("$phone", phone);
        }
        if (page.ByCursor)
        {
            var walk = SqliteWalk.Of(page);
            where.Add(walk.Condition);
            walk.Bind(command);
            command.CommandText = $"SELECT {Columns} FROM customers WHERE {string.Join(" AND ", where)} {walk.OrderAndLimit}";
            var walked = new List<Customer>();
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    walked.Add(Read(reader, tenant));
                }
            }
            return Page<Customer>.Walked(walked, page, c => new ListPosition(c.CreatedAt, c.Id));
        }
        command.CommandText = $"""
            SELECT {Columns}, COUNT(*) OVER () AS total FROM customers WHERE {string.Join(" AND ", where)}
            ORDER BY created_at DESC, id DESC LIMIT $take OFFSET $skip
            """;
        command.Parameters.AddWithValue("$take", page.PerPage);
        command.Parameters.AddWithValue("$skip", page.Skip);
        var items = new List<Customer>();
        long total = 0;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                items.Add(Read(reader, tenant));
                total = reader.GetInt64(14);
            }
        }
        if (items.Count == 0 && page.Page > 1)
        {
            // A page past the end has no rows to carry the window count: count separately.
            command.CommandText = $"SELECT COUNT(*) FROM customers WHERE {string.Join(" AND ", where)}";
            total = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken));
        }
        return new Page<Customer>(items, total);
    }

    private static string NewETag() => Guid.NewGuid().ToString("N");

    private static string EscapeLike(string value) =>
        value.Replace(@"\", @"\\").Replace("%", @"\%").Replace("_", @"\_");

    internal static async Task<int> ExecuteWriteAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        try
        {
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (SqliteException exception) when (SqliteDatabase.IsUniqueViolation(exception))
        {
            throw new DuplicateValueException(exception.Message.Contains("email_key") ? "email" : "phone");
        }
    }

    internal static void Bind(SqliteCommand command, Customer customer)
    {
        command.Parameters.AddWithValue("$tenant", customer.Tenant.Key);
        command.Parameters.AddWithValue("$id", customer.Id);
        command.Parameters.AddWithValue("$name", customer.Name);
        command.Parameters.AddWithValue("$email", (object?)customer.Email ?? DBNull.Value);
        command.Parameters.AddWithValue("$email_key", (object?)CustomerMatching.EmailKey(customer.Email) ?? DBNull.Value);
        command.Parameters.AddWithValue("$phone", (object?)customer.Phone ?? DBNull.Value);
        command.Parameters.AddWithValue("$tags", JsonSerializer.Serialize(customer.Tags));
        command.Parameters.AddWithValue("$fields", JsonSerializer.Serialize(customer.CustomFields));
        command.Parameters.AddWithValue("$search", CustomerMatching.SearchText(customer));
        command.Parameters.AddWithValue("$created", SqliteDatabase.Time(customer.CreatedAt));
        command.Parameters.AddWithValue("$updated", SqliteDatabase.Time(customer.UpdatedAt));
        command.Parameters.AddWithValue("$etag", customer.ETag);
        command.Parameters.AddWithValue("$outbox", StoredJson.Serialize(customer.Outbox));
        command.Parameters.AddWithValue("$outbox_pending", customer.Outbox.Count > 0 ? 1 : 0);
    }

    private static Customer Read(SqliteDataReader reader, Tenant tenant) => new(
        reader.GetString(1),
        tenant,
        reader.GetString(2),
        reader.IsDBNull(3) ? null : reader.GetString(3),
        reader.IsDBNull(5) ? null : reader.GetString(5),
        JsonSerializer.Deserialize<string[]>(reader.GetString(6)) ?? [],
        JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(reader.GetString(7)) ?? [],
        SqliteDatabase.Time(reader.GetString(9)),
        SqliteDatabase.Time(reader.GetString(10)),
        StoredJson.Events(reader.GetString(12)),
        reader.GetString(11));
}
