using Microsoft.Data.Sqlite;

namespace Interflow.Infrastructure.Sqlite;

/// <summary>
/// The embedded store's file: opens connections and creates the schema. Several app instances may share one file
/// (WAL mode; Microsoft.Data.Sqlite retries a busy database until the command timeout).
/// </summary>
public sealed class SqliteDatabase
{
    // SQLite has one writer at a time; writers that collide wait in its busy handler, sleeping, which collapses
    // throughput under concurrency. Queueing in-process instead, one gate per file shared by every store (and every
    // test server) of this process, keeps the database busy. Operations are short and never nest.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, SemaphoreSlim> Gates = new();
    private readonly SemaphoreSlim gate;
    private readonly string connectionString;

    public SqliteDatabase(string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }
        connectionString = new SqliteConnectionStringBuilder { DataSource = path, DefaultTimeout = 30, Pooling = true }.ToString();
        gate = Gates.GetOrAdd(Path.GetFullPath(path), _ => new SemaphoreSlim(1, 1));
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = Schema;
        command.ExecuteNonQuery();
        AddColumns(connection);
    }

    /// <summary>Columns added since a table was first created: a store file of an earlier version gains them on open.</summary>
    private static readonly (string Table, string Column, string Type)[] AddedColumns =
    [
        ("api_keys", "expires_at", "TEXT"),
        ("api_keys", "restrictions", "TEXT"),
        ("api_keys", "created_by", "TEXT"),
    ];

    private static void AddColumns(SqliteConnection connection)
    {
        foreach (var (table, column, type) in AddedColumns)
        {
            using var exists = connection.CreateCommand();
            exists.CommandText = $"SELECT COUNT(*) FROM pragma_table_info('{table}') WHERE name = '{column}'";
            if (Convert.ToInt64(exists.ExecuteScalar()) == 0)
            {
                using var add = connection.CreateCommand();
                add.CommandText = $"ALTER TABLE {table} ADD COLUMN {column} {type}";
                add.ExecuteNonQuery();
            }
        }
    }

    /// <summary>A connection holding this file's gate until it is disposed.</summary>
    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        var connection = new GatedConnection(connectionString, gate);
        try
        {
            await connection.OpenAsync(cancellationToken);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
        // With WAL, NORMAL syncs at checkpoints instead of every commit: a commit survives the app crashing (not the
        // machine losing power), the durability an embedded local store needs, at a fraction of the write cost.
        // SQLite's own busy handler retries a locked database within milliseconds; left to the driver, a writer
        // waiting on another sleeps far longer between tries.
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 30000;";
        await command.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }

    /// <summary>One query, every row mapped: the shape of each store's reads.</summary>
    public Task<List<T>> QueryAsync<T>(string sql, Action<SqliteCommand> bind, Func<SqliteDataReader, T> read, CancellationToken cancellationToken) =>
        QueryAsync(command =>
        {
            bind(command);
            return sql;
        }, read, cancellationToken);

    /// <param name="build">Binds the parameters and answers the SQL (which may depend on them: an <c>IN</c> list).</param>
    public async Task<List<T>> QueryAsync<T>(Func<SqliteCommand, string> build, Func<SqliteDataReader, T> read, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = build(command);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(read(reader));
        }
        return rows;
    }

    /// <summary>Runs <paramref name="work"/> in one transaction on one connection: a batch's writes commit together or not at all.</summary>
    public async Task<T> TransactionAsync<T>(Func<SqliteConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        var result = await work(connection);
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    /// <summary>Binds each value as its own parameter and answers the SQL list, <c>($p0, $p1, …)</c>.</summary>
    public static string InList(SqliteCommand command, string prefix, IEnumerable<string> values)
    {
        var names = new List<string>();
        foreach (var value in values)
        {
            var name = $"{prefix}{names.Count}";
            command.Parameters.AddWithValue(name, value);
            names.Add(name);
        }
        return names.Count == 0 ? "(NULL)" : $"({string.Join(", ", names)})";
    }

    /// <summary>A <c>SELECT COUNT(*)</c>.</summary>
    public async Task<long> CountAsync(string sql, Action<SqliteCommand> bind, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        bind(command);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken));
    }

    private sealed class GatedConnection(string connectionString, SemaphoreSlim gate) : SqliteConnection(connectionString)
    {
        private int released;

        protected override void Dispose(bool disposing)
        {
            base.Dispose(disposing);
            if (Interlocked.Exchange(ref released, 1) == 0)
            {
                gate.Release();
            }
        }
    }

    public static string Time(DateTimeOffset value) => StoredTime.Format(value);

    public static DateTimeOffset Time(string value) => StoredTime.Parse(value);

    public static DateTimeOffset? NullableTime(object value) => value is string text ? Time(text) : null;

    public static bool IsUniqueViolation(SqliteException exception) => exception.SqliteErrorCode == 19;

    private const string Schema = """
        PRAGMA journal_mode = WAL;
        CREATE TABLE IF NOT EXISTS accounts (
            id TEXT PRIMARY KEY, name TEXT NOT NULL, plan TEXT NOT NULL, created_at TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS api_keys (
            secret_hash TEXT PRIMARY KEY, id TEXT NOT NULL UNIQUE, account_id TEXT NOT NULL, environment TEXT NOT NULL,
            name TEXT NOT NULL, prefix TEXT NOT NULL, created_at TEXT NOT NULL, last_used_at TEXT, revoked_at TEXT);
        CREATE INDEX IF NOT EXISTS api_keys_account ON api_keys (account_id, created_at);
        CREATE TABLE IF NOT EXISTS key_activity (
            account_id TEXT NOT NULL, id TEXT NOT NULL, at TEXT NOT NULL, body TEXT NOT NULL, PRIMARY KEY (account_id, id));
        CREATE INDEX IF NOT EXISTS key_activity_newest ON key_activity (account_id, at DESC);
        CREATE TABLE IF NOT EXISTS members (
            account_id TEXT NOT NULL, id TEXT NOT NULL, issuer TEXT NOT NULL, subject TEXT NOT NULL, created_at TEXT NOT NULL,
            body TEXT NOT NULL, PRIMARY KEY (account_id, id));
        CREATE UNIQUE INDEX IF NOT EXISTS members_identity ON members (issuer, subject, account_id);
        CREATE TABLE IF NOT EXISTS console_sessions (id TEXT PRIMARY KEY, expires_at TEXT NOT NULL, body TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS sign_in_links (id TEXT PRIMARY KEY, expires_at TEXT NOT NULL, used_at TEXT, body TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS customers (
            tenant TEXT NOT NULL, id TEXT NOT NULL, name TEXT NOT NULL, email TEXT, email_key TEXT, phone TEXT,
            tags TEXT NOT NULL, custom_fields TEXT NOT NULL, search_text TEXT NOT NULL,
            created_at TEXT NOT NULL, updated_at TEXT NOT NULL, etag TEXT NOT NULL,
            outbox TEXT NOT NULL DEFAULT '[]', outbox_pending INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (tenant, id));
        CREATE INDEX IF NOT EXISTS customers_outbox ON customers (outbox_pending, updated_at);
        CREATE UNIQUE INDEX IF NOT EXISTS customers_email ON customers (tenant, email_key) WHERE email_key IS NOT NULL;
        CREATE UNIQUE INDEX IF NOT EXISTS customers_phone ON customers (tenant, phone) WHERE phone IS NOT NULL;
        CREATE INDEX IF NOT EXISTS customers_newest ON customers (tenant, created_at DESC, id DESC);
        CREATE TABLE IF NOT EXISTS idempotency (
            id TEXT PRIMARY KEY, fingerprint TEXT NOT NULL, locked_until TEXT NOT NULL, expires_at TEXT NOT NULL,
            status_code INTEGER, response_body TEXT, response_etag TEXT, etag TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS idempotency_expiry ON idempotency (expires_at);
        CREATE TABLE IF NOT EXISTS channels (
            id TEXT PRIMARY KEY, tenant TEXT NOT NULL, kind TEXT NOT NULL, name TEXT NOT NULL, whatsapp TEXT,
            messages_per_second INTEGER NOT NULL, created_at TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS channels_tenant ON channels (tenant, created_at DESC);
        CREATE TABLE IF NOT EXISTS chats (
            tenant TEXT NOT NULL, id TEXT NOT NULL, channel_id TEXT NOT NULL, customer_id TEXT NOT NULL,
            status TEXT NOT NULL, last_message_at TEXT, activity_at TEXT NOT NULL, unread_count INTEGER NOT NULL,
            created_at TEXT NOT NULL, updated_at TEXT NOT NULL, closed_at TEXT, etag TEXT NOT NULL,
            outbox TEXT NOT NULL DEFAULT '[]', outbox_pending INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (tenant, id));
        CREATE UNIQUE INDEX IF NOT EXISTS chats_one_open ON chats (tenant, channel_id, customer_id) WHERE status = 'open';
        CREATE INDEX IF NOT EXISTS chats_activity ON chats (tenant, activity_at DESC, id DESC);
        CREATE INDEX IF NOT EXISTS chats_newest ON chats (tenant, created_at DESC, id DESC);
        CREATE INDEX IF NOT EXISTS chats_outbox ON chats (outbox_pending, updated_at);
        CREATE TABLE IF NOT EXISTS messages (
            tenant TEXT NOT NULL, id TEXT NOT NULL, chat_id TEXT NOT NULL, channel_id TEXT NOT NULL,
            provider_message_id TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, etag TEXT NOT NULL,
            body TEXT NOT NULL, outbox TEXT NOT NULL DEFAULT '[]', outbox_pending INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (tenant, id));
        CREATE INDEX IF NOT EXISTS messages_chat ON messages (tenant, chat_id, created_at, id);
        CREATE INDEX IF NOT EXISTS messages_provider ON messages (tenant, channel_id, provider_message_id);
        CREATE INDEX IF NOT EXISTS messages_outbox ON messages (outbox_pending, updated_at);
        CREATE TABLE IF NOT EXISTS events (
            seq INTEGER PRIMARY KEY AUTOINCREMENT, tenant TEXT NOT NULL, id TEXT NOT NULL, type TEXT NOT NULL,
            created_at TEXT NOT NULL, data TEXT NOT NULL);
        CREATE UNIQUE INDEX IF NOT EXISTS events_id ON events (tenant, id);
        CREATE TABLE IF NOT EXISTS webhook_endpoints (
            tenant TEXT NOT NULL, id TEXT NOT NULL, created_at TEXT NOT NULL, etag TEXT NOT NULL, body TEXT NOT NULL,
            PRIMARY KEY (tenant, id));
        CREATE TABLE IF NOT EXISTS webhook_deliveries (
            tenant TEXT NOT NULL, id TEXT NOT NULL, endpoint_id TEXT NOT NULL, created_at TEXT NOT NULL, etag TEXT NOT NULL,
            body TEXT NOT NULL, PRIMARY KEY (tenant, id));
        CREATE INDEX IF NOT EXISTS webhook_deliveries_endpoint ON webhook_deliveries (tenant, endpoint_id, created_at DESC, id DESC);
        CREATE INDEX IF NOT EXISTS webhook_deliveries_waiting ON webhook_deliveries (tenant, endpoint_id, created_at, id)
            WHERE json_extract(body, '$.waiting') = 1;
        CREATE TABLE IF NOT EXISTS bulk_jobs (
            tenant TEXT NOT NULL, id TEXT NOT NULL, updated_at TEXT NOT NULL, etag TEXT NOT NULL, body TEXT NOT NULL,
            outbox TEXT NOT NULL DEFAULT '[]', outbox_pending INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (tenant, id));
        CREATE INDEX IF NOT EXISTS bulk_jobs_outbox ON bulk_jobs (outbox_pending, updated_at);
        CREATE TABLE IF NOT EXISTS bulk_chunks (
            tenant TEXT NOT NULL, job_id TEXT NOT NULL, idx INTEGER NOT NULL, etag TEXT NOT NULL, done INTEGER NOT NULL,
            sent INTEGER NOT NULL, failed INTEGER NOT NULL, cancelled INTEGER NOT NULL, recipients TEXT NOT NULL,
            PRIMARY KEY (tenant, job_id, idx));
        CREATE TABLE IF NOT EXISTS rate_limits (id TEXT PRIMARY KEY, count INTEGER NOT NULL, expires_at TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS rate_limits_expiry ON rate_limits (expires_at);
        """;
}
