using System.Globalization;

namespace CivicGrid.Domain.Households;

/// <summary>Why an ID number is refused (<see cref="IdNumber.Check"/>).</summary>
public enum IdNumberProblem
{
    /// <summary>Not 18 characters.</summary>
    Length = 1,

    /// <summary>The first 17 are not all digits, or the 18th is neither a digit nor X.</summary>
    Characters,

    /// <summary>Characters 7–14 are not a real date between 1900 and today.</summary>
    BirthDate,

    /// <summary>The 18th character is not the ISO 7064 MOD 11-2 check character of the first 17.</summary>
    CheckDigit,
}

/// <summary>
/// The resident identity card number of GB 11643-1999: 6 digits of the issuing region, 8 of the birth date (yyyyMMdd),
/// 3 of sequence (odd for men, even for women) and one check character computed by ISO 7064 MOD 11-2 (0–9 or X).
/// </summary>
public static class IdNumber
{
    private static readonly int[] Weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    private const string CheckCharacters = "10X98765432";

    /// <summary>Upper-cases a trailing x and trims; does not check.</summary>
    public static string Normalize(string value) => value.Trim().ToUpperInvariant();

    /// <summary>The check character of the first 17 digits.</summary>
    /// <exception cref="ArgumentException">Not 17 ASCII digits.</exception>
    public static char CheckCharacter(ReadOnlySpan<char> first17)
    {
        if (first17.Length != 17)
        {
            throw new ArgumentException("The check character is computed over 17 digits.", nameof(first17));
        }

        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            if (!char.IsAsciiDigit(first17[i]))
            {
                throw new ArgumentException("The check character is computed over 17 digits.", nameof(first17));
            }

            sum += (first17[i] - '0') * Weights[i];
        }

        return CheckCharacters[sum % 11];
    }

    /// <summary>Null when <paramref name="value"/> (normalised) is a valid 18-character number born by <paramref name="today"/>; else the first problem.</summary>
    public static IdNumberProblem? Check(string value, DateOnly today)
    {
        var id = Normalize(value);
        if (id.Length != 18)
        {
            return IdNumberProblem.Length;
        }

        if (id.AsSpan(0, 17).ContainsAnyExceptInRange('0', '9') || !(char.IsAsciiDigit(id[17]) || id[17] == 'X'))
        {
            return IdNumberProblem.Characters;
        }

        if (BirthDate(id) is not { } born || born.Year < 1900 || born > today)
        {
            return IdNumberProblem.BirthDate;
        }

        return CheckCharacter(id.AsSpan(0, 17)) == id[17] ? null : IdNumberProblem.CheckDigit;
    }

    /// <summary>The birth date written in characters 7–14, or null when they are not a date.</summary>
    public static DateOnly? BirthDate(string id) =>
        id.Length >= 14 && DateOnly.TryParseExact(id.AsSpan(6, 8), "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null;

    /// <summary>True for a man (odd 17th digit), false for a woman.</summary>
    public static bool IsMale(string id) => (id[16] - '0') % 2 == 1;

    /// <summary>Chinese message for a problem, for problem details and import rows.</summary>
    public static string ToChinese(this IdNumberProblem problem) => problem switch
    {
        IdNumberProblem.Length => "身份证号码应为 18 位。",
        IdNumberProblem.Characters => "身份证号码前 17 位应为数字，最后一位为数字或 X。",
        IdNumberProblem.BirthDate => "身份证号码中的出生日期不正确。",
        IdNumberProblem.CheckDigit => "身份证号码校验位不正确，请核对后重新填写。",
        _ => throw new ArgumentOutOfRangeException(nameof(problem), problem, null),
    };
}
