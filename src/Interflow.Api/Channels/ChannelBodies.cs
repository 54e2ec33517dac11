using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Interflow.Api.OpenApi;
using Interflow.Core.Channels;

namespace Interflow.Api.Channels;

// The documented shape of a new channel; ChannelsApi's handler validates it.

public sealed record NewChannelBody(
    [property: Required, Length(1, 100)] string Name,
    [property: Required, EnumOf(typeof(ChannelKind))] string Kind,
    [property: Range(1, 1000), Description("How fast bulk sends may go (default 80)")] int? MessagesPerSecond,
    [property: Description("Required for whatsapp_cloud, refused for sandbox; stored, never returned")] WhatsAppCredentialsBody? Whatsapp);

public sealed record WhatsAppCredentialsBody(
    [property: Required, Length(1, 64)] string PhoneNumberId,
    [property: Required, Length(1, 2048)] string AccessToken,
    [property: Required, Length(1, 256)] string AppSecret,
    [property: Required, Length(1, 256)] string VerifyToken);
