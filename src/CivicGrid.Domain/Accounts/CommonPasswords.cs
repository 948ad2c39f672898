namespace CivicGrid.Domain.Accounts;

/// <summary>
/// Passwords that pass the composition rule and are still among the first an attacker tries: the common words and
/// keyboard runs behind most leaked passwords (English and Chinese pinyin), dressed up the usual ways (a capital first
/// letter, digits, a year or a symbol at either end, @ for a, 0 for o…). Checked on every new password.
/// </summary>
public static class CommonPasswords
{
    private static readonly HashSet<string> Words = new(StringComparer.Ordinal)
    {
        "password", "passwd", "pass", "admin", "administrator", "root", "user", "guest", "test", "demo", "welcome", "login", "letmein",
        "qwerty", "qwer", "qwert", "qwertyuiop", "asdf", "asdfgh", "asdfghjkl", "zxcv", "zxcvbn", "zxcvbnm", "qaz", "qazwsx", "wsx",
        "qazwsxedc", "abc", "abcd", "abcde", "abcdef", "abcdefg", "aa", "aaa", "aaaa", "aaaaaa", "qq", "iloveyou", "love", "lover",
        "dragon", "monkey", "master", "shadow", "sunshine", "princess", "football", "baseball", "superman", "batman", "trustno",
        "hello", "hellokitty", "freedom", "whatever", "secret", "changeme", "default", "system", "server", "office", "company",
        "woaini", "aini", "nihao", "wangluo", "mima", "zhongguo", "china", "beijing", "shanghai", "guangzhou", "shenzhen", "xian",
        "huawei", "xiaomi", "taobao", "baidu", "tencent", "weixin", "wechat", "alibaba", "kaixin", "xingfu", "pingan", "fuck",
        "grid", "wangge", "shequ", "jiedao", "zhengfu", "gov",
    };

    private static readonly HashSet<string> Whole = new(StringComparer.Ordinal)
    {
        "1qaz2wsx", "1qaz@wsx", "1qaz!qaz", "2wsx3edc", "1q2w3e4r", "1q2w3e4r5t", "1q2w3e", "q1w2e3r4", "qwe123", "qwe123!@#", "123qwe",
        "123qwe!@#", "123qweasd", "qweasd123", "qweasdzxc", "zaq12wsx", "!qaz2wsx", "!qaz@wsx", "a1b2c3d4", "abc123", "abc12345",
        "p@ssw0rd", "passw0rd", "p@ssword", "admin@123", "admin123", "root@123", "test@123", "aa123456", "qq123456", "a123456",
        "a12345678", "woaini1314", "5201314", "1314520",
    };

    /// <summary>True when the password is, or is a common word or keyboard run dressed up as, a well-known password.</summary>
    public static bool IsCommon(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        var lower = password.Trim().ToLowerInvariant();
        if (Whole.Contains(lower) || Whole.Contains(Unleet(lower)))
        {
            return true;
        }

        // Strip what people add at either end (digits, symbols), undo the usual letter swaps, and look at the word left.
        var core = Unleet(lower.Trim("0123456789!@#$%^&*()_+-=.,?~ ".ToCharArray()));
        if (core.Length == 0)
        {
            return true;
        }

        if (Words.Contains(core))
        {
            return true;
        }

        // The same word twice (passwordpassword) or a word with digits inside its run (pass1234word is not common).
        return core.Length % 2 == 0 && core[..(core.Length / 2)] == core[(core.Length / 2)..] && Words.Contains(core[..(core.Length / 2)]);
    }

    private static string Unleet(string text) => string.Create(text.Length, text, (span, source) =>
    {
        for (var i = 0; i < source.Length; i++)
        {
            span[i] = source[i] switch
            {
                '@' or '4' => 'a',
                '0' => 'o',
                '1' or '!' => 'i',
                '3' => 'e',
                '$' or '5' => 's',
                '7' => 't',
                _ => source[i],
            };
        }
    });
}
