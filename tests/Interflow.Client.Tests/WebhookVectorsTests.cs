using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Interflow.Api.Composition;
using Interflow.Core.Accounts;
using Interflow.Core.Bulk;
using Interflow.Core.Chats;
using Interflow.Core.Events;
using Interflow.Core.Messages;
using ServerBulkJob = Interflow.Core.Bulk.BulkJob;
using ServerChat = Interflow.Core.Chats.Chat;
using ServerCustomer = Interflow.Core.Customers.Customer;
using ServerMessage = Interflow.Core.Messages.Message;
using Interflow.Core.Webhooks;
using Interflow.Infrastructure.Webhooks;
using Interflow.TestServer;
using Microsoft.Extensions.Time.Testing;

namespace Interflow.Client.Tests;

/// <summary>
/// <c>sdks/webhook-vectors.json</c>: deliveries signed by the server's own <see cref="WebhookSigner"/>, and forgeries
/// of them, that every client (this one, Node, Python, PHP) must judge the same way. The file is what this test
/// builds; <c>INTERFLOW_WRITE_VECTORS=1</c> writes it after a change.
/// </summary>
public sealed class WebhookVectorsTests
{
    private const string VectorsFile = "sdks/webhook-vectors.json";
    private const string Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string RotatedOut = "whsec_" + "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
    private const long SignedAt = 1795003200; // 2026-11-18T12:00:00Z
    private const int Tolerance = 300;

    private static readonly DateTimeOffset At = DateTimeOffset.FromUnixTimeSeconds(SignedAt);
    private static readonly Tenant Tenant = new("acc_vectors", ApiEnvironment.Live);
    private static readonly ApiResourceSerializer Serializer = new();

    private static readonly ServerMessage Received = new("msg_1", Tenant, "ch_1", "chat_1", "cust_1", MessageDirection.Inbound, "5511987654321",
        MessageType.Text, JsonSerializer.SerializeToElement(new { text = "Olá, não recebi o pedido 🙁" }), null, MessageStatus.Delivered,
        null, "wamid.1", At, At, null, At, null, null, 0, null, []);

    /// <summary>A resource of every kind an event carries, as the server serializes it.</summary>
    private static readonly Dictionary<string, Func<System.Text.Json.JsonElement>> DataOf = new()
    {
        ["message"] = () => Serializer.Serialize(Received with { Direction = MessageDirection.Outbound, Status = MessageStatus.Sent, SentAt = At }),
        ["chat"] = () => Serializer.Serialize(new ServerChat("chat_1", Tenant, "ch_1", "cust_1", ChatStatus.Open, At, 1, At, At, null, [])),
        ["customer"] = () => Serializer.Serialize(new ServerCustomer("cust_1", Tenant, "João Silva", "joao@email.com", "5511987654321", ["vip"],
            new Dictionary<string, System.Text.Json.JsonElement> { ["plano"] = JsonSerializer.SerializeToElement("ouro") }, At, At, [])),
        ["bulk"] = () => Serializer.Serialize(new ServerBulkJob("bulk_1", Tenant, "ch_1", BulkStatus.Completed, 2, 1, 1, 0, 1, false, At, At, At, [])),
        ["webhook"] = () => JsonSerializer.SerializeToElement(new Dictionary<string, string> { ["webhook_id"] = "wh_1" }),
    };

    private static string EventBody(string id, string type, System.Text.Json.JsonElement data) =>
        Encoding.UTF8.GetString(Serializer.EventBody(new DomainEvent(id, type, At, data)));

    private static readonly string Body = EventBody("evt_01JD5K8ZQ4", EventTypes.MessageReceived, Serializer.Serialize(Received));

    private static string Sign(string secret, string id, long at, string body) => WebhookSigner.Sign(secret, id, at, Encoding.UTF8.GetBytes(body));

    private static JsonObject Headers(string id, string timestamp, string? signature, bool capitalised = false)
    {
        var headers = new JsonObject
        {
            [capitalised ? "Webhook-Id" : "webhook-id"] = id,
            [capitalised ? "Webhook-Timestamp" : "webhook-timestamp"] = timestamp,
        };
        if (signature is not null)
        {
            headers[capitalised ? "Webhook-Signature" : "webhook-signature"] = signature;
        }
        return headers;
    }

    private static JsonObject Vector(string name, JsonObject headers, string body, long now, bool valid) => new()
    {
        ["name"] = name,
        ["secret"] = Secret,
        ["headers"] = headers,
        ["body"] = body,
        ["now"] = now,
        ["valid"] = valid,
    };

    /// <summary>The vectors, built from the signer: six valid deliveries and fifteen that must be refused.</summary>
    public static JsonObject Build()
    {
        const string id = "evt_01JD5K8ZQ4";
        var at = SignedAt.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var good = Sign(Secret, id, SignedAt, Body);
        var vectors = new JsonArray
        {
            Vector("signed now", Headers(id, at, good), Body, SignedAt, true),
            Vector("4 min later", Headers(id, at, good), Body, SignedAt + 240, true),
            Vector("4 min earlier (receiver's clock behind)", Headers(id, at, good), Body, SignedAt - 240, true),
            Vector("header names capitalised", Headers(id, at, good, capitalised: true), Body, SignedAt, true),
            Vector("secret being rotated: the second signature matches", Headers(id, at, $"{Sign(RotatedOut, id, SignedAt, Body)} {good}"), Body, SignedAt, true),
            Vector("a v2 signature beside the v1 one", Headers(id, at, $"v2,{good[3..]} {good}"), Body, SignedAt, true),
            Vector("body changed", Headers(id, at, good), Body.Replace("pedido", "pedidos"), SignedAt, false),
            Vector("body re-encoded (white space added)", Headers(id, at, good), Body + "\n", SignedAt, false),
            Vector("other secret", Headers(id, at, Sign(RotatedOut, id, SignedAt, Body)), Body, SignedAt, false),
            Vector("other id", Headers("evt_other", at, good), Body, SignedAt, false),
            Vector("timestamp moved by a second", Headers(id, (SignedAt + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), good), Body, SignedAt, false),
            Vector("6 min old", Headers(id, at, good), Body, SignedAt + 360, false),
            Vector("6 min ahead", Headers(id, at, good), Body, SignedAt - 360, false),
            Vector("v2 only", Headers(id, at, "v2," + good[3..]), Body, SignedAt, false),
            Vector("signature not base64", Headers(id, at, "v1,%%%"), Body, SignedAt, false),
            Vector("signature cut short", Headers(id, at, good[..^4]), Body, SignedAt, false),
            Vector("no signature header", Headers(id, at, null), Body, SignedAt, false),
            Vector("empty signature", Headers(id, at, ""), Body, SignedAt, false),
            Vector("no id header", new JsonObject { ["webhook-timestamp"] = at, ["webhook-signature"] = good }, Body, SignedAt, false),
            Vector("no timestamp header", new JsonObject { ["webhook-id"] = id, ["webhook-signature"] = good }, Body, SignedAt, false),
            Vector("timestamp not a number", Headers(id, "2026-11-17T12:00:00Z", good), Body, SignedAt, false),
        };
        // One event of every type, as the server writes it: what each SDK's typed events are held to.
        var events = new JsonArray();
        foreach (var type in EventTypes.All.Append(WebhookCommands.TestEventType))
        {
            events.Add(new JsonObject { ["type"] = type, ["body"] = EventBody($"evt_{type.Replace('.', '_')}", type, DataOf[type.Split('.')[0]]()) });
        }
        return new JsonObject
        {
            ["about"] = "Standard Webhooks deliveries signed by the server's WebhookSigner, and forgeries; every Interflow client must accept exactly the valid ones. Events: one of every type as the server writes it. Written by tests/Interflow.Client.Tests/WebhookVectorsTests.cs.",
            ["tolerance_seconds"] = Tolerance,
            ["event"] = new JsonObject { ["id"] = id, ["type"] = "message.received" },
            ["vectors"] = vectors,
            ["events"] = events,
        };
    }

    private static string Render(JsonObject vectors) =>
        vectors.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";

    [Fact]
    public void The_shared_vectors_are_the_servers_own_signatures()
    {
        var expected = Render(Build());
        if (Environment.GetEnvironmentVariable("INTERFLOW_WRITE_VECTORS") == "1")
        {
            File.WriteAllText(Repository.Path(VectorsFile), expected);
        }

        Assert.Equal(expected, Repository.Read(VectorsFile));
    }

    [Fact]
    public void Test_headers_are_signed_as_the_server_signs_byte_for_byte()
    {
        var signed = JsonNode.Parse(Repository.Read(VectorsFile))!["vectors"]!.AsArray().Single(v => v!["name"]!.GetValue<string>() == "signed now")!;
        var headers = signed["headers"]!.AsObject().ToDictionary(h => h.Key, h => h.Value!.GetValue<string>());

        var generated = WebhookVerifier.GenerateTestHeaders(signed["body"]!.GetValue<string>(), signed["secret"]!.GetValue<string>(),
            headers["webhook-id"], DateTimeOffset.FromUnixTimeSeconds(long.Parse(headers["webhook-timestamp"], System.Globalization.CultureInfo.InvariantCulture)));

        Assert.Equal(headers.OrderBy(h => h.Key), generated.OrderBy(h => h.Key));
    }

    [Fact]
    public void The_client_judges_every_vector_as_it_says()
    {
        var file = JsonNode.Parse(Repository.Read(VectorsFile))!;
        var vectors = file["vectors"]!.AsArray();
        var misjudged = new List<string>();
        foreach (var vector in vectors)
        {
            var clock = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(vector!["now"]!.GetValue<long>()));
            var verifier = new WebhookVerifier(vector["secret"]!.GetValue<string>(), TimeSpan.FromSeconds(file["tolerance_seconds"]!.GetValue<int>()), clock);
            var headers = vector["headers"]!.AsObject().Select(h => KeyValuePair.Create(h.Key, h.Value!.GetValue<string>()));
            var verified = verifier.TryVerify(headers, Encoding.UTF8.GetBytes(vector["body"]!.GetValue<string>()));
            var accepted = verified is not null && (verified.Id, verified.Type) == (file["event"]!["id"]!.GetValue<string>(), file["event"]!["type"]!.GetValue<string>());
            if (accepted != vector["valid"]!.GetValue<bool>())
            {
                misjudged.Add(vector["name"]!.GetValue<string>());
            }
        }

        Assert.True(vectors.Count(v => !v!["valid"]!.GetValue<bool>()) >= 10);
        Assert.Empty(misjudged);
    }
}
