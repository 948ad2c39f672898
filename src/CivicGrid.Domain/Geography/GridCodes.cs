using System.Globalization;

namespace CivicGrid.Domain.Geography;

/// <summary>
/// Hierarchical codes of the territorial tree. Down to the community they are the national
/// statistical division code (统计用区划代码): county 6 digits, township/subdistrict 3, community 3.
/// Below the community we extend it (see docs/adr/0003-hierarchical-codes.md):
/// <list type="table">
/// <item><term>District</term><description>6 digits (GB/T 2260 county code), e.g. <c>610103</c></description></item>
/// <item><term>Subdistrict</term><description>9 digits, e.g. <c>610103099</c></description></item>
/// <item><term>Community</term><description>12 digits, e.g. <c>610103099001</c></description></item>
/// <item><term>2nd-level grid</term><description>community + 2 digits 01–89 (14)</description></item>
/// <item><term>3rd-level grid</term><description>2nd-level + 2 digits 01–99 (16)</description></item>
/// <item><term>Micro-grid</term><description>3rd-level + 2 digits 01–99 (18)</description></item>
/// <item><term>Dedicated grid</term><description>community + <c>9</c> + 2 digits (15)</description></item>
/// </list>
/// Every level has a fixed length and no 2nd-level code starts with 9, so "is inside" is exactly
/// "starts with" — the scope check everywhere in CivicGrid.
/// </summary>
public static class GridCodes
{
    public const int DistrictLength = 6;
    public const int SubdistrictLength = 9;
    public const int CommunityLength = 12;
    public const int SecondLength = 14;
    public const int ThirdLength = 16;
    public const int MicroLength = 18;
    public const int DedicatedLength = 15;

    /// <summary>The first digit after the community code that marks a dedicated grid.</summary>
    public const char DedicatedMarker = '9';

    /// <summary>The code length a node of this level and kind must have.</summary>
    public static int LengthOf(GridLevel level, GridKind kind) => kind == GridKind.Dedicated
        ? DedicatedLength
        : level switch
        {
            GridLevel.District => DistrictLength,
            GridLevel.Subdistrict => SubdistrictLength,
            GridLevel.Community => CommunityLength,
            GridLevel.Second => SecondLength,
            GridLevel.Third => ThirdLength,
            GridLevel.Micro => MicroLength,
            _ => throw new ArgumentOutOfRangeException(nameof(level), level, "Unknown grid level."),
        };

    /// <summary>The level of the parent a node of this level and kind must have, or null for a district.</summary>
    public static GridLevel? ParentLevelOf(GridLevel level, GridKind kind) => kind == GridKind.Dedicated
        ? GridLevel.Community
        : level == GridLevel.District ? null : level - 1;

    /// <summary>
    /// Checks that <paramref name="code"/> is a well-formed code for a node of the given level and kind
    /// under <paramref name="parentCode"/> (null for a root). Returns null when it is, else the broken
    /// rule in English, for reports.
    /// </summary>
    public static string? Validate(string code, GridLevel level, GridKind kind, string? parentCode)
    {
        if (string.IsNullOrEmpty(code) || !code.All(char.IsAsciiDigit))
        {
            return "A code consists of digits only.";
        }

        if (kind == GridKind.Dedicated && level != GridLevel.Third)
        {
            return "A dedicated grid is handled at the level of a 3rd-level grid.";
        }

        var expected = LengthOf(level, kind);
        if (code.Length == CommunityLength && level is GridLevel.District or GridLevel.Subdistrict && kind == GridKind.Territorial)
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"A {Describe(level, kind)} code has {expected} digits; in the published 12-digit form it is those {expected} digits (not all zero at its own level) followed by {new string('0', CommunityLength - expected)}.");
        }

        if (code.Length != expected)
        {
            return string.Create(CultureInfo.InvariantCulture, $"A {Describe(level, kind)} code has {expected} digits, not {code.Length}.");
        }

        if (kind == GridKind.Dedicated && code[CommunityLength] != DedicatedMarker)
        {
            return "A dedicated grid's code is its community's code, then 9, then two digits.";
        }

        if (kind == GridKind.Territorial && level == GridLevel.Second && code[CommunityLength] == DedicatedMarker)
        {
            return "2nd-level grid numbers run from 01 to 89; 9x is kept for dedicated grids.";
        }

        if (parentCode is not null)
        {
            if (!code.StartsWith(parentCode, StringComparison.Ordinal))
            {
                return "A code must extend its parent's code.";
            }

            var parentLevelLength = ParentLevelOf(level, kind) is { } parentLevel ? LengthOf(parentLevel, GridKind.Territorial) : 0;
            if (parentCode.Length != parentLevelLength)
            {
                return "The parent is not at the level above.";
            }
        }

        return null;
    }

    /// <summary>
    /// Reads a district or subdistrict code written as the National Bureau of Statistics publishes it (统计用区划代码): every
    /// division as 12 digits, a county as its 6 digits and <c>000000</c> (110101000000), a township/subdistrict as its 9
    /// digits and <c>000</c> (110101001000). A community's code is already 12 digits, and levels below have no published
    /// form, so nothing else is rewritten.
    /// </summary>
    /// <param name="code">The code as found in a file.</param>
    /// <param name="level">The level of the node the code names (a node's own level, or the level its child's parent must have).</param>
    /// <param name="normalised">Our 6- or 9-digit code when the published form was recognised, else <paramref name="code"/> unchanged.</param>
    /// <returns>
    /// True only for a well-formed published code: 12 ASCII digits with the right zero tail and a non-zero number at its own
    /// level (a subdistrict 110101000000 is a county's code, not a subdistrict's, and stays refused). Anything else is left
    /// for <see cref="Validate"/> to refuse.
    /// </returns>
    public static bool TryNormalisePublished(string code, GridLevel level, out string normalised)
    {
        normalised = code;
        if (code is not { Length: CommunityLength } || !code.All(char.IsAsciiDigit))
        {
            return false;
        }

        // The digits of the division's own number: a county's last 2 of 6, a township's last 3 of 9.
        var (ours, own) = level switch
        {
            GridLevel.District => (DistrictLength, 2),
            GridLevel.Subdistrict => (SubdistrictLength, 3),
            _ => (0, 0),
        };
        if (ours == 0 || code.AsSpan(ours).ContainsAnyExcept('0') || !code.AsSpan(ours - own, own).ContainsAnyExcept('0'))
        {
            return false;
        }

        normalised = code[..ours];
        return true;
    }

    /// <summary>The code of the parent node implied by a code's length, or null for a district code.</summary>
    public static string? ParentCodeOf(string code) => code.Length switch
    {
        DistrictLength => null,
        SubdistrictLength => code[..DistrictLength],
        CommunityLength => code[..SubdistrictLength],
        SecondLength => code[..CommunityLength],
        DedicatedLength => code[..CommunityLength],
        ThirdLength => code[..SecondLength],
        MicroLength => code[..ThirdLength],
        _ => throw new ArgumentException($"'{code}' has no valid code length.", nameof(code)),
    };

    /// <summary>True when <paramref name="code"/> is <paramref name="ancestorCode"/> or lies below it.</summary>
    public static bool IsWithin(string code, string ancestorCode) => code.StartsWith(ancestorCode, StringComparison.Ordinal);

    private static string Describe(GridLevel level, GridKind kind) =>
        kind == GridKind.Dedicated ? "dedicated grid" : level.ToString().ToLowerInvariant();
}
