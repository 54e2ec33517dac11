using System.Text;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using Interflow.TestServer;

namespace Interflow.HostileRequests;

/// <summary>What kind of damage a request carries.</summary>
public enum Damage
{
    /// <summary>A valid request with one field swapped to another JSON type or a boundary value, removed, or an unknown field added.</summary>
    Field,

    /// <summary>The body truncated, in another encoding, with flipped bytes, nested deep, with a key repeated, a huge number, another root type, or another media type.</summary>
    Body,

    /// <summary>A random query string.</summary>
    Query,

    /// <summary>A path parameter replaced by a hostile segment, or a segment added.</summary>
    Path,

    /// <summary>Hostile values in the headers the API reads.</summary>
    Headers,
}

/// <summary>One generated request, ready to send; <see cref="Describe"/> reproduces it.</summary>
public sealed record HostileRequest(RouteSample Sample, Damage Damage, string What, string Path, string Query, byte[]? Body, string? ContentType)
{
    public IReadOnlyList<(string Name, string Value)> Headers { get; init; } = [];

    public string Describe() =>
        $"{Sample.Route.Method} /{Path}{(Query.Length > 0 ? "?" + Query : "")} [{Damage}: {What}]" +
        (Body is null ? "" : $" body({Body.Length} bytes): {Preview(Body)}") +
        string.Concat(Headers.Select(h => $" {h.Name}: {Preview(Encoding.UTF8.GetBytes(h.Value))}"));

    private static string Preview(byte[] bytes)
    {
        var text = Encoding.UTF8.GetString(bytes);
        return text.Length > 300 ? text[..300] + "…" : text;
    }
}

/// <summary>FsCheck generators of hostile variants of the route samples.</summary>
public static class HostileRequests
{
    private const string Json = "application/json";

    /// <summary>JSON values that break types and bounds, as raw JSON text (some cannot be built as nodes: 1e400, lone surrogates).</summary>
    private static readonly string[] HostileValues =
    [
        "null", "true", "false", "0", "-1", "1", "-0", "1.5", "2147483648", "-9223372036854775809", "9007199254740993",
        "1e308", "-1e308", "1e400", "123456789012345678901234567890", "\"\"", "\" \"", $"\"{new string('x', 5000)}\"",
        "\"\\u0000\"", "\"\\ud800\"", "\"\\udc00x\"", "\"😀\"", "\"<script>alert(1)</script>\"", "\"' OR 1=1 --\"",
        "\"%00\"", "\"../../etc/passwd\"", "\"2024-01-15T10:30:00Z\"", "\"5511999999999\"", "\"ch_\"", "\"*\"",
        "[]", "{}", "[null]", "[1,2,3]", "[\"a\",\"a\"]", "{\"a\":{\"b\":{}}}", "{\"text\":1}",
        $"{new string('[', 40)}{new string(']', 40)}", $"[{string.Join(',', Enumerable.Repeat("\"t\"", 200))}]",
    ];

    private static readonly string[] QueryKeys =
    [
        "page", "per_page", "search", "tag", "email", "phone", "status", "channel_id", "customer_id", "order",
        "hub.mode", "hub.verify_token", "hub.challenge", "x", "__proto__", "a[b]", "",
    ];

    private static readonly string[] QueryValues =
    [
        "", "-1", "0", "1", "100", "101", "99999999999999999999", "1e3", "1.5", "abc", "%00", "%FF", "%C3%28", "%E2%80%AE",
        "%C3%A7%C3%A3o", new string('a', 3000), "open", "closed", "desc", "asc", "DROP%20TABLE", "null", "%5B%5D", "+",
        "ch_x", "%0D%0Aset-cookie:x", "5511999999999", "%2B5511999999999", "joao%40email.com",
    ];

    private static readonly string[] Segments =
    [
        "", "%00", "%FF", "%2F", "..", "%2e%2e", "cust_", "msg_", "chat_x", "bulk_", new string('x', 3000), "%C3%A7%C3%A3o",
        "%C3%28", "null", "-1", "%F0%9F%99%82", "%20", "a%0Ab", "wh_%27%22", "00000000-0000-0000-0000-000000000000",
    ];

    public static Gen<HostileRequest> For(IReadOnlyList<RouteSample> samples) =>
        from sample in Gen.Elements(samples.ToArray())
        from damage in Gen.Elements(Damages(sample))
        from request in damage switch
        {
            Damage.Field => FieldDamage(sample),
            Damage.Body => BodyDamage(sample),
            Damage.Query => QueryDamage(sample),
            Damage.Path => PathDamage(sample),
            _ => HeaderDamage(sample),
        }
        select request;

    private static Damage[] Damages(RouteSample sample) => sample.Body is null
        ? [Damage.Query, Damage.Path, Damage.Headers, Damage.Body]
        : [Damage.Field, Damage.Field, Damage.Field, Damage.Body, Damage.Body, Damage.Query, Damage.Path, Damage.Headers];

    private static Gen<HostileRequest> FieldDamage(RouteSample sample)
    {
        var paths = Paths(sample.Body!, []).ToArray();
        return from path in Gen.Elements(paths)
               from change in Gen.Elements("swap", "swap", "swap", "remove", "unknown")
               from value in Gen.Elements(HostileValues)
               select Build(sample, Damage.Field, change switch
               {
                   "swap" => $"{Show(path)} = {Short(value)}",
                   "remove" => $"{Show(path)} removed",
                   _ => $"{Show(path)}.unexpected added",
               }, Encoding.UTF8.GetBytes(Edit(sample.Body!, path, change, value)), Json);
    }

    private static Gen<HostileRequest> BodyDamage(RouteSample sample)
    {
        var valid = Encoding.UTF8.GetBytes(sample.Body?.ToJsonString() ?? "{}");
        var text = Encoding.UTF8.GetString(valid);
        return Gen.OneOf(
            Gen.Choose(0, Math.Max(0, valid.Length - 1)).Select(cut => Build(sample, Damage.Body, $"truncated at {cut}", valid[..cut], Json)),
            Gen.Constant(Build(sample, Damage.Body, "UTF-16", Encoding.Unicode.GetBytes(text), Json)),
            Gen.Constant(Build(sample, Damage.Body, "Latin-1", Encoding.Latin1.GetBytes(text.Replace("a", "ã", StringComparison.Ordinal)), Json)),
            from at in Gen.Choose(0, Math.Max(0, valid.Length - 1))
            from value in Gen.Choose(0, 255)
            select Build(sample, Damage.Body, $"byte {at} = 0x{value:X2}", Flip(valid, at, (byte)value), Json),
            Gen.Choose(60, 400).Select(depth => Build(sample, Damage.Body, $"nested {depth} deep",
                Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth)), Json)),
            Gen.Constant(Build(sample, Damage.Body, "first key repeated", Encoding.UTF8.GetBytes(RepeatFirstKey(text)), Json)),
            Gen.Constant(Build(sample, Damage.Body, "huge number", Encoding.UTF8.GetBytes("[" + new string('9', 5000) + "]"), Json)),
            Gen.Elements("null", "[]", "\"text\"", "42", "true", " ", "{", "}{").Select(root => Build(sample, Damage.Body, $"root {root}", Encoding.UTF8.GetBytes(root), Json)),
            Gen.Elements("text/plain", "application/xml", "application/json; charset=latin1", "multipart/form-data", "application/x-www-form-urlencoded", "")
                .Select(type => Build(sample, Damage.Body, $"content-type '{type}'", valid, type.Length == 0 ? null : type)),
            Gen.Constant(Build(sample, Damage.Body, "empty", [], Json)));
    }

    private static Gen<HostileRequest> QueryDamage(RouteSample sample) =>
        from pairs in Gen.ListOf(Gen.Zip(Gen.Elements(QueryKeys), Gen.Elements(QueryValues)), 4).Where(p => p.Count > 0)
        from keepSample in Gen.Elements(true, false)
        let query = string.Join('&', (keepSample && sample.Query.Length > 0 ? [sample.Query] : Array.Empty<string>())
            .Concat(pairs.Select(p => $"{p.Item1}={p.Item2}")))
        select Valid(sample, Damage.Query, "query " + Short(query)) with { Query = query };

    private static Gen<HostileRequest> PathDamage(RouteSample sample)
    {
        var parameters = sample.PathValues.Keys.ToArray();
        var replace = parameters.Length == 0
            ? Gen.Elements(Segments).Select(segment => (What: $"segment '{Short(segment)}' added", Path: sample.Path + "/" + segment))
            : from name in Gen.Elements(parameters)
              from segment in Gen.Elements(Segments)
              select (What: $"{{{name}}} = '{Short(segment)}'", Path: sample.Path.Replace(sample.PathValues[name], segment, StringComparison.Ordinal));
        return replace.Select(p => Valid(sample, Damage.Path, p.What) with { Path = p.Path });
    }

    private static Gen<HostileRequest> HeaderDamage(RouteSample sample) =>
        from header in Gen.Elements(
            ("Authorization", "Bearer"), ("Authorization", "Basic dXNlcjpwYXNz"), ("Authorization", "Bearer " + new string('k', 4000)),
            ("Authorization", "Bearer ifk_live_\u00e7\u00e3o"), ("Authorization", "bearer  ifk_test_x y"),
            ("Idempotency-Key", new string('i', 300)), ("Idempotency-Key", ""), ("Idempotency-Key", "çãо-кириллица"),
            ("If-Match", "\""), ("If-Match", "W/"), ("If-Match", "*, \"x\""), ("If-Match", new string('"', 500)),
            ("Accept-Language", "xx-YY;q=abc, *;q=-1"), ("Accept-Language", new string(',', 2000)),
            ("X-Request-Id", new string('r', 2000)), ("X-Request-Id", "id with spaces"),
            ("X-Hub-Signature-256", "sha256=zz"), ("X-Hub-Signature-256", "sha256=" + new string('0', 64)),
            ("x-functions-key", "wrong"), ("x-functions-key", ""))
        select Valid(sample, Damage.Headers, $"{header.Item1}: {Short(header.Item2)}") with { Headers = [header] };

    private static HostileRequest Valid(RouteSample sample, Damage damage, string what) =>
        Build(sample, damage, what, sample.Body is null ? null : Encoding.UTF8.GetBytes(sample.Body.ToJsonString()), sample.Body is null ? null : Json);

    private static HostileRequest Build(RouteSample sample, Damage damage, string what, byte[]? body, string? contentType) =>
        new(sample, damage, what, sample.Path, sample.Query, body, contentType);

    /// <summary>Every node of the body, as the steps to reach it (property names and array indexes).</summary>
    private static IEnumerable<object[]> Paths(JsonNode node, object[] at)
    {
        yield return at;
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, child) in obj)
                {
                    foreach (var path in child is null ? [[.. at, name]] : Paths(child, [.. at, name]))
                    {
                        yield return path;
                    }
                }
                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    foreach (var path in array[i] is { } item ? Paths(item, [.. at, i]) : [[.. at, i]])
                    {
                        yield return path;
                    }
                }
                break;
        }
    }

    /// <summary>The body with one change at <paramref name="path"/>; the raw value goes in as text, through a placeholder.</summary>
    private static string Edit(JsonNode body, object[] path, string change, string rawValue)
    {
        const string Placeholder = "\"\\u0001hostile\\u0001\"";
        var copy = body.DeepClone();
        if (path.Length == 0)
        {
            return change switch
            {
                "swap" => rawValue,
                "remove" => "",
                _ => copy is JsonObject root ? Add(root) : copy.ToJsonString(),
            };
        }
        var parent = path[..^1].Aggregate(copy, (node, step) => step is int i ? node[i]! : node[(string)step]!);
        var last = path[^1];
        switch (change)
        {
            case "swap" when last is int index:
                parent[index] = JsonValue.Create("\u0001hostile\u0001");
                break;
            case "swap":
                parent[(string)last] = JsonValue.Create("\u0001hostile\u0001");
                break;
            case "remove" when parent is JsonObject obj:
                obj.Remove((string)last);
                break;
            case "remove" when parent is JsonArray array:
                array.RemoveAt((int)last);
                break;
            default:
                var target = last is int i2 ? parent[i2] : parent[(string)last];
                if (target is JsonObject targetObject)
                {
                    targetObject["unexpected"] = 1;
                }
                else if (parent is JsonObject parentObject)
                {
                    parentObject["unexpected"] = 1;
                }
                break;
        }
        return copy.ToJsonString().Replace(Placeholder, rawValue, StringComparison.Ordinal);

        static string Add(JsonObject root)
        {
            root["unexpected"] = 1;
            return root.ToJsonString();
        }
    }

    private static byte[] Flip(byte[] bytes, int at, byte value)
    {
        var copy = (byte[])bytes.Clone();
        if (copy.Length > 0)
        {
            copy[at] = value;
        }
        return copy;
    }

    private static string RepeatFirstKey(string json)
    {
        var node = JsonNode.Parse(json);
        if (node is not JsonObject obj || obj.Count == 0)
        {
            return "{\"a\":1,\"a\":2}";
        }
        var (name, value) = obj.First();
        return "{" + JsonValue.Create(name).ToJsonString() + ":" + (value?.ToJsonString() ?? "null") + "," + json.TrimStart()[1..];
    }

    private static string Show(object[] path) =>
        path.Length == 0 ? "body" : string.Concat(path.Select((step, i) => step is int index ? $"[{index}]" : i == 0 ? (string)step : "." + step));

    private static string Short(string text) => text.Length > 40 ? text[..40] + "…" : text;
}
