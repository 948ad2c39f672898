using CivicGrid.Domain.Accounts;

namespace CivicGrid.Domain.Cases;

/// <summary>Who asks "already reported nearby?": the public (anonymous callers, residents, partners) or staff at work.</summary>
public enum DuplicateAudience
{
    /// <summary>Sees banded distances and no case of a sensitive category.</summary>
    Public = 1,

    /// <summary>Sees every open case nearby, to the metre.</summary>
    Staff = 2,
}

/// <summary>
/// What the "already reported nearby" suggestions may tell whom. An exact distance from three points trilaterates a home,
/// and a nearby case of elder care, a dispute or a suspicious person says who lives there; so the public sees distances
/// only as bands and never a case of a <see cref="CaseCategory.IsSensitive">sensitive</see> category. Staff, who handle
/// the cases anyway, see every open case to the metre.
/// </summary>
public static class DuplicateDisclosure
{
    /// <summary>The bands' upper bounds, metres: a public distance is the smallest of these that is not below the real one.</summary>
    public static readonly IReadOnlyList<int> BandsMeters = [50, 100, 200, 500, 1_000, 2_000];

    /// <summary>
    /// The audience of a caller holding <paramref name="roles"/> (none when anonymous): staff roles that watch the cases of
    /// a region see as staff; administrators (who see no business content), residents, and property staff and volunteers
    /// (who see only their own cases, <see cref="Roles.SeeOwnCasesOnly"/>) see as the public.
    /// </summary>
    public static DuplicateAudience AudienceOf(IReadOnlyCollection<Role> roles) =>
        roles.Any(r => Roles.Staff.Contains(r) && !Roles.Administrators.Contains(r)) && !Roles.SeeOwnCasesOnly(roles)
            ? DuplicateAudience.Staff : DuplicateAudience.Public;

    /// <summary>Whether a case of <paramref name="category"/> may be suggested to <paramref name="audience"/>.</summary>
    public static bool MayShow(DuplicateAudience audience, CaseCategory category) =>
        audience == DuplicateAudience.Staff || !category.IsSensitive;

    /// <summary>
    /// The distance <paramref name="audience"/> is told, metres: to the metre for staff, else the upper bound of its band
    /// (beyond the last band, the whole kilometre above).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A negative or non-finite distance.</exception>
    public static int DistanceFor(DuplicateAudience audience, double distanceMeters)
    {
        if (!double.IsFinite(distanceMeters) || distanceMeters < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(distanceMeters), distanceMeters, "A distance is a finite number of metres, not below zero.");
        }

        if (audience == DuplicateAudience.Staff)
        {
            return (int)Math.Round(distanceMeters);
        }

        foreach (var band in BandsMeters)
        {
            if (distanceMeters <= band)
            {
                return band;
            }
        }

        return (int)Math.Ceiling(distanceMeters / 1_000) * 1_000;
    }
}

/// <summary>How far a role's view of case content reaches beyond the case itself.</summary>
public static class CaseContentReach
{
    /// <summary>
    /// Roles that verify where a report was made and so see where its photos were taken (EXIF GPS): the grid's workers and
    /// leader, the community, the operations centre and the district. Property staff, volunteers and department liaisons
    /// handle what they are given, and a photo's position can be a reporter's home: it is stripped from their answers.
    /// </summary>
    public static readonly IReadOnlySet<Role> SeePhotoPositions = new HashSet<Role>
    {
        Role.GridWorker, Role.GridLeader, Role.CommunityStaff, Role.SubdistrictOperator, Role.DistrictViewer,
    };

    /// <summary>Whether any of <paramref name="roles"/> sees a photo's EXIF position.</summary>
    public static bool SeesPhotoPositions(IEnumerable<Role> roles) => roles.Any(SeePhotoPositions.Contains);
}
