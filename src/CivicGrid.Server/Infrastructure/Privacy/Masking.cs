namespace CivicGrid.Server.Infrastructure.Privacy;

/// <summary>
/// Display masking of personal data on the server (GB/T 35273): phone <c>138****1234</c>,
/// ID number <c>110***********123X</c>, a name keeps its surname (<c>张*</c>, <c>欧阳**</c> is not
/// attempted: the first character is kept).
/// </summary>
public static class Masking
{
    public static string? Phone(string? phone)
    {
        if (string.IsNullOrEmpty(phone))
        {
            return phone;
        }

        return phone.Length >= 7 ? string.Concat(phone.AsSpan(0, 3), new string('*', phone.Length - 7), phone.AsSpan(phone.Length - 4)) : new string('*', phone.Length);
    }

    public static string? IdNumber(string? id)
    {
        if (string.IsNullOrEmpty(id))
        {
            return id;
        }

        return id.Length > 7 ? string.Concat(id.AsSpan(0, 3), new string('*', id.Length - 7), id.AsSpan(id.Length - 4)) : new string('*', id.Length);
    }

    public static string? PersonName(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length == 1)
        {
            return name;
        }

        return string.Concat(name.AsSpan(0, 1), new string('*', name.Length - 1));
    }
}
