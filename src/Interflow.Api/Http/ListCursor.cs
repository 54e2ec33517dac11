using System.Buffers.Text;
using System.Globalization;
using System.Text;
using Interflow.Core.Paging;

namespace Interflow.Api.Http;

/// <summary>
/// The cursor of a walk: the position of the last item a page returned (its creation time to the tick, and its id),
/// base64url-encoded. Opaque to callers, so that its form can change; a position rather than an item id (Stripe's
/// <c>starting_after</c>), so that a walk goes on when that item is deleted meanwhile.
/// </summary>
public static class ListCursor
{
    public static string Encode(ListPosition position) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{position.CreatedAt.UtcTicks.ToString(CultureInfo.InvariantCulture)}:{position.Id}"));

    public static ListPosition? Decode(string cursor)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            return colon > 0 && long.TryParse(text.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
                   && ticks <= DateTimeOffset.MaxValue.UtcTicks && colon < text.Length - 1
                ? new ListPosition(new DateTimeOffset(ticks, TimeSpan.Zero), text[(colon + 1)..])
                : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
