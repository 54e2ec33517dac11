using System.Text.Json.Serialization;

namespace Interflow.Client;

/// <summary>What a message says; its kind gives the message's <c>type</c>.</summary>
[JsonDerivedType(typeof(TextContent))]
[JsonDerivedType(typeof(MediaContent))]
[JsonDerivedType(typeof(LocationContent))]
[JsonDerivedType(typeof(TemplateContent))]
public abstract record MessageContent
{
    [JsonIgnore]
    public abstract string Type { get; }
}

/// <summary>Up to 4,096 characters; in a bulk send, <c>{{1}}</c>, <c>{{2}}</c>… take each recipient's variables.</summary>
public sealed record TextContent(string Text) : MessageContent
{
    [JsonIgnore]
    public override string Type => "text";
}

/// <summary>An image, video, audio or document at an https URL (audio takes no caption, only a document a filename).</summary>
public sealed record MediaContent : MessageContent
{
    private readonly string type;

    private MediaContent(string type, string url, string? caption, string? filename)
    {
        this.type = type;
        Url = url;
        Caption = caption;
        Filename = filename;
    }

    [JsonIgnore]
    public override string Type => type;

    public string Url { get; }

    public string? Caption { get; }

    public string? Filename { get; }

    public static MediaContent Image(string url, string? caption = null) => new("image", url, caption, null);

    public static MediaContent Video(string url, string? caption = null) => new("video", url, caption, null);

    public static MediaContent Audio(string url) => new("audio", url, null, null);

    public static MediaContent Document(string url, string? filename = null, string? caption = null) => new("document", url, caption, filename);
}

public sealed record LocationContent(double Latitude, double Longitude, string? Name = null, string? Address = null) : MessageContent
{
    [JsonIgnore]
    public override string Type => "location";
}

/// <summary>An approved WhatsApp template, in a language such as <c>pt_BR</c>.</summary>
public sealed record TemplateContent(string Name, string Language, IReadOnlyList<string>? Variables = null) : MessageContent
{
    [JsonIgnore]
    public override string Type => "template";
}
