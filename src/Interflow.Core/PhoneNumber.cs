using PhoneNumbers;

namespace Interflow.Core;

/// <summary>
/// Phone numbers as the contract writes them: E.164 digits without the plus (<c>5511999999999</c>). Validity is
/// libphonenumber's: the country code, length and number ranges must be real, not just "digits".
/// </summary>
public static class PhoneNumber
{
    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    /// <summary>Accepts digits with an optional leading <c>+</c>; answers the canonical digits.</summary>
    public static bool TryNormalize(string input, out string digits)
    {
        digits = "";
        var candidate = input.StartsWith('+') ? input[1..] : input;
        if (candidate.Length is < 8 or > 15 || !candidate.All(char.IsAsciiDigit))
        {
            return false;
        }
        try
        {
            var parsed = Util.Parse("+" + candidate, null);
            if (!Util.IsValidNumber(parsed))
            {
                return false;
            }
            digits = Util.Format(parsed, PhoneNumberFormat.E164)[1..];
            return true;
        }
        catch (NumberParseException)
        {
            return false;
        }
    }
}
