namespace CivicGrid.Domain.Accounts;

/// <summary>
/// Password complexity (MLPS 2.0 level 3 "identification"): at least 8 characters drawn from at
/// least three of upper case, lower case, digits and symbols, and not containing the user name.
/// </summary>
public static class PasswordRules
{
    public const int MinimumLength = 8;

    /// <summary>Null when acceptable, else the reason in Chinese for the person choosing it.</summary>
    public static string? Check(string password, string userName)
    {
        if (password.Length < MinimumLength)
        {
            return $"密码至少 {MinimumLength} 位。";
        }

        var classes = (password.Any(char.IsAsciiLetterUpper) ? 1 : 0) + (password.Any(char.IsAsciiLetterLower) ? 1 : 0)
            + (password.Any(char.IsAsciiDigit) ? 1 : 0) + (password.Any(c => !char.IsAsciiLetterOrDigit(c)) ? 1 : 0);
        if (classes < 3)
        {
            return "密码须包含大写字母、小写字母、数字、符号中的至少三类。";
        }

        if (!string.IsNullOrWhiteSpace(userName) && password.Contains(userName.Trim(), StringComparison.OrdinalIgnoreCase))
        {
            return "密码不能包含用户名。";
        }

        if (CommonPasswords.IsCommon(password))
        {
            return "该密码过于常见（如 P@ssw0rd、Admin@123），容易被猜中，请换一个。";
        }

        return null;
    }
}
