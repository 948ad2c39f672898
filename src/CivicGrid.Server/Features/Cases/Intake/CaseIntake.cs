using System.ComponentModel.DataAnnotations;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using CivicGrid.Domain.Cases;
using CivicGrid.Domain.Geography;
using CivicGrid.Server.Features.Cases.LocationQueue;
using CivicGrid.Server.Features.Cases.Photos;
using CivicGrid.Server.Features.Geography;
using CivicGrid.Server.Features.Metrics;
using CivicGrid.Server.Infrastructure.Persistence;
using CivicGrid.Server.Infrastructure.Storage;
using CivicGrid.Spatial.Indexing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NetTopologySuite.Geometries;

namespace CivicGrid.Server.Features.Cases.Intake;

/// <summary>The <c>Cases</c> section: intake and queue settings.</summary>
public sealed class CaseOptions
{
    public const string Section = "Cases";

    /// <summary>How long candidate grids have to claim an ambiguous case before the best candidate gets it.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan ConfirmLocationTimeout { get; set; } = TimeSpan.FromHours(2);

    /// <summary>Photos per case (report and handling together).</summary>
    [Range(1, 100)]
    public int MaxPhotosPerCase { get; set; } = 30;

    /// <summary>Case creations allowed per client address per minute (anonymous reporters included).</summary>
    [Range(1, int.MaxValue)]
    public int CreatesPerMinute { get; set; } = 120;

    /// <summary>A candidate grid must hold at least this share of the accuracy circle to be offered the case.</summary>
    [Range(0.0, 0.5)]
    public double MinCandidateShare { get; set; } = 0.05;

    /// <summary>
    /// The Linux nice value the intake writer's thread asks for (-20 highest, 19 lowest; 0 leaves it as it is). The writer
    /// is intake's one serial stage: when request handling fills every core it must not wait in the run queue behind the
    /// requests it serves. Raising a thread's priority needs <c>CAP_SYS_NICE</c> or a <c>RLIMIT_NICE</c> that allows it
    /// (systemd <c>LimitNICE=</c>); without either the writer logs it once and runs at the normal priority.
    /// </summary>
    [Range(-20, 19)]
    public int WriterNice { get; set; } = -10;
}

/// <summary>A report from any channel, already normalised: WGS-84 position, processed photos, checked fields.</summary>
/// <param name="Lon">WGS-84 longitude.</param>
/// <param name="ReporterId">The signed-in reporter; null for an anonymous report or a staff entry on behalf of a caller.</param>
/// <param name="ReporterName">Name for the timeline: the staff member's, or the caller's for a phone entry.</param>
/// <param name="ReporterPhone">Personal data, masked on output: the anonymous reporter's or caller's phone.</param>
/// <param name="EnteredBy">Staff who typed in a phone call or walk-in, or imported a hotline file, if any.</param>
/// <param name="AlsoStore">
/// A channel's own rows about the new case (an Open311 client's request record, a device's link to the case its alarm opened), added to the same transaction as the case;
/// called again with a fresh context if the batch is retried.
/// </param>
/// <param name="ExternalSource">The external system the report came from (<see cref="ExternalSources"/>) with its own number; unique together.</param>
/// <param name="Routed">
/// The router's answer for exactly this position, accuracy, building, compound and address, when the channel already
/// routed it (Open311 checks the jurisdiction with it): not computed twice.
/// </param>
public sealed record IntakeCommand(CaseChannel Channel, string CategoryCode, string? Title, string Description, double Lon, double Lat,
    double AccuracyMeters, string? BuildingCode, string? CompoundCode, string? Address, Guid? ReporterId, string? ReporterName,
    string? ReporterPhone, IReadOnlyList<ProcessedPhoto> Photos, Guid? EnteredBy = null, Action<CivicGridDbContext, Case>? AlsoStore = null,
    string? ExternalSource = null, string? ExternalNumber = null, RoutingAnswer? Routed = null)
{
    /// <summary>The door the report came in by, for the metrics; when not given, the channel's usual one.</summary>
    public IntakeDoor? Door { get; init; }

    /// <summary>The door the metrics count this report under.</summary>
    public IntakeDoor DoorOrChannel => Door ?? Channel switch
    {
        CaseChannel.Open311 => IntakeDoor.Open311,
        CaseChannel.Hotline12345 => IntakeDoor.Hotline,
        CaseChannel.Sensor => IntakeDoor.Webhook,
        _ => IntakeDoor.Other,
    };
}

/// <summary>What intake decided.</summary>
/// <param name="FollowToken">For an anonymous report only: the secret that lets the reporter follow, verify and rate the case.</param>
/// <param name="Routing">How the router placed the report.</param>
public sealed record IntakeResult(Case Case, CaseCategory Category, RoutingAnswer Routing, string? FollowToken, IReadOnlyList<LocationClaim> Claims);

/// <summary>Why intake refused a report; the endpoint turns it into problem details.</summary>
public sealed class IntakeRefusedException(string field, string chineseMessage, string type = "/problems/validation") : Exception(chineseMessage)
{
    public string Field { get; } = field;

    public string ChineseMessage { get; } = chineseMessage;

    public string Type { get; } = type;
}

/// <summary>
/// The one pipeline every channel reports through (resident page, grid patrol, property staff, staff entry of a
/// phone call, sensors, the hotline, Open311): checks the category, routes the position, numbers the case, keeps
/// the photos, offers an ambiguous case to its candidate grids, and stores everything in one transaction.
/// </summary>
public sealed class CaseIntake(GeographyIndex geography, Catalogue.CategoryCache categories, IntakeWriter writer, PhotoStore photos, TimeProvider time, IOptions<CaseOptions> options,
    CivicGridMetrics metrics, ILogger<CaseIntake> logger)
{
    /// <summary>
    /// Checks, routes and stores one report; answers once it is committed (shared with reports arriving at the same
    /// moment, see <see cref="IntakeWriter"/>).
    /// </summary>
    /// <exception cref="IntakeRefusedException">An unknown or retired category, a missing photo, a position outside every grid.</exception>
    /// <param name="inTransaction">
    /// Runs on the writer inside the transaction that stores the case, after the case is built: what must commit with it and
    /// needs its number (a keyed request's stored answer, <see cref="Infrastructure.Http.Idempotency.IdempotencyContext"/>).
    /// Called again if the batch is retried; throwing fails this report only.
    /// </param>
    public async Task<IntakeResult> ReportAsync(IntakeCommand command, CancellationToken ct, Action<CivicGridDbContext, IntakeResult>? inTransaction = null)
    {
        var prepared = await PrepareAsync(command, ct, inTransaction);
        await SavePhotoFilesAsync(command.Photos, ct);
        Case stored;
        try
        {
            stored = await writer.StoreAsync(prepared.Report, ct);
        }
        catch
        {
            await DeletePhotoFilesAsync(command.Photos);
            throw;
        }

        metrics.CaseCreated(command.DoorOrChannel, stored.Tier);
        return new IntakeResult(stored, prepared.Category, prepared.Routing, prepared.FollowToken, prepared.Claims);
    }

    /// <summary>
    /// Checks, routes and stores one report (without photos) in the transaction the caller holds open on
    /// <paramref name="db"/>, numbered there too, so that it commits or rolls back with whatever else the caller stores
    /// (the hotline import's all-or-nothing). Not shared with other reports (no group commit): for batch imports.
    /// </summary>
    /// <exception cref="IntakeRefusedException">An unknown or retired category, a position outside every grid; nothing was added to <paramref name="db"/>.</exception>
    public async Task<IntakeResult> ReportInTransactionAsync(IntakeCommand command, CivicGridDbContext db, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(db);
        if (db.Database.CurrentTransaction is null || command.Photos.Count > 0)
        {
            throw new InvalidOperationException("ReportInTransactionAsync needs an open transaction on the context and takes no photos.");
        }

        var prepared = await PrepareAsync(command, ct);
        var day = IntakeWriter.DayOf(prepared.Report.At);
        var last = await IntakeWriter.ReserveAsync(db, day, 1);
        var stored = prepared.Report.Build(string.Create(CultureInfo.InvariantCulture, $"{day}{last:D5}"), db);
        await db.SaveChangesAsync(ct);
        metrics.CaseCreatedOnCommit(db, command.DoorOrChannel, stored.Tier);
        return new IntakeResult(stored, prepared.Category, prepared.Routing, prepared.FollowToken, prepared.Claims);
    }

    private sealed record PreparedReport(PendingReport Report, CaseCategory Category, RoutingAnswer Routing, string? FollowToken, List<LocationClaim> Claims);

    private async Task<PreparedReport> PrepareAsync(IntakeCommand command, CancellationToken ct, Action<CivicGridDbContext, IntakeResult>? inTransaction = null)
    {
        ArgumentNullException.ThrowIfNull(command);
        try
        {
            return await PrepareCheckedAsync(command, inTransaction, ct);
        }
        catch (IntakeRefusedException e)
        {
            metrics.ReportRefused(command.DoorOrChannel, e.Field);
            throw;
        }
    }

    private async Task<PreparedReport> PrepareCheckedAsync(IntakeCommand command, Action<CivicGridDbContext, IntakeResult>? inTransaction, CancellationToken ct)
    {
        var settings = options.Value;
        var category = await categories.FindAsync(command.CategoryCode, ct);
        if (category is null || !category.IsActive)
        {
            throw new IntakeRefusedException("categoryCode", $"没有“{command.CategoryCode}”这个问题类别，请从类别列表中选择。");
        }

        // A resident's report page offers only what residents may report (a sensor gone offline is staff's to report).
        if (category.StaffOnly && command.Channel == CaseChannel.ResidentApp)
        {
            throw new IntakeRefusedException("categoryCode", $"“{category.Name}”类问题由工作人员或设备上报，请选择其他类别。");
        }

        // Only where a camera is at hand: a phone call, a sensor or the hotline cannot send a photo.
        if (category.PhotoRequired && command.Photos.Count == 0
            && command.Channel is CaseChannel.ResidentApp or CaseChannel.GridPatrol or CaseChannel.PropertyStaff)
        {
            throw new IntakeRefusedException("photos", $"“{category.Name}”类问题需要至少一张现场照片。");
        }

        if (command.Photos.Count > settings.MaxPhotosPerCase)
        {
            throw new IntakeRefusedException("photos", $"每个案件最多 {settings.MaxPhotosPerCase} 张照片。");
        }

        var snapshot = await geography.GetAsync(ct);
        var routingStarted = command.Routed is null ? Stopwatch.GetTimestamp() : (long?)null;
        var routing = command.Routed
            ?? Router.Route(snapshot, command.Lon, command.Lat, command.AccuracyMeters, command.BuildingCode, command.CompoundCode, command.Address);
        metrics.Routed(routing, routingStarted);
        if (routing.GridCode is null || routing.GridCode.Length < GridCodes.CommunityLength)
        {
            var nearest = routing.Candidates.Count > 0 && snapshot.Grids.TryGetValue(routing.Candidates[0].Code, out var near)
                ? $"最近的网格是{near.Name}（约 {routing.Candidates[0].DistanceMeters:F0} 米）。"
                : string.Empty;
            throw new IntakeRefusedException("location", $"该位置不在本平台管辖的网格范围内。{nearest}请确认位置，或拨打 12345 反映。",
                "/problems/outside-territory");
        }

        // A point inside a dedicated grid (a school, a hospital, a market) belongs to that grid's responsible person.
        var gridCode = routing.Method == RoutingMethod.Location && routing.DedicatedCodes.Count > 0 ? routing.DedicatedCodes[0] : routing.GridCode;
        var now = time.GetUtcNow();
        var title = string.IsNullOrWhiteSpace(command.Title) ? category.Name : command.Title.Trim();
        var followToken = command.ReporterId is null ? NewFollowToken() : null;
        var claims = new List<LocationClaim>();
        var report = new PendingReport(now, (number, db) =>
        {
            var location = new Point(command.Lon, command.Lat) { SRID = 4326 };
            var subject = new Case(number, category.Code, title, command.Description.Trim(), location, gridCode, category.DefaultTier,
                command.Channel, command.ReporterId, now, command.ReporterName, command.Photos.Select(p => p.Id))
            {
                ReporterPhone = command.ReporterPhone,
                EnteredBy = command.EnteredBy,
                ExternalSource = command.ExternalSource,
                ExternalNumber = command.ExternalNumber,
                Address = string.IsNullOrWhiteSpace(command.Address) ? routing.Match?.NormalizedAddress : command.Address.Trim(),
                BuildingCode = routing.Match?.Subject == Domain.Routing.OverrideSubject.Building ? routing.Match.Code : null,
                CompoundCode = routing.Match?.Subject == Domain.Routing.OverrideSubject.Compound ? routing.Match.Code
                    : routing.Match?.Subject == Domain.Routing.OverrideSubject.Building ? CompoundOf(snapshot, routing.Match.Code) : null,
            };
            claims.Clear();
            claims.AddRange(OfferToCandidates(db, subject, routing, settings, now));

            // Added after its last change: the writer saves without scanning for changes (see IntakeWriter).
            db.Cases.Add(subject);
            if (followToken is not null)
            {
                IntakeWriter.SetFollowTokenHash(db, subject, HashFollowToken(followToken));
            }

            foreach (var photo in command.Photos)
            {
                db.CasePhotos.Add(StoredPhoto.From(photo, subject.Id, PhotoPurpose.Report, command.ReporterId ?? command.EnteredBy, now));
            }

            command.AlsoStore?.Invoke(db, subject);
            inTransaction?.Invoke(db, new IntakeResult(subject, category, routing, followToken, claims));
            return subject;
        });

        return new PreparedReport(report, category, routing, followToken, claims);
    }

    /// <summary>Files photos before the database commit; on a failed commit they are deleted again.</summary>
    public async Task SavePhotoFilesAsync(IReadOnlyList<ProcessedPhoto> processed, CancellationToken ct)
    {
        var saved = new List<ProcessedPhoto>();
        try
        {
            foreach (var photo in processed)
            {
                await photos.SaveAsync(photo, ct);
                saved.Add(photo);
            }
        }
        catch
        {
            await DeletePhotoFilesAsync(saved);
            throw;
        }
    }

    public async Task DeletePhotoFilesAsync(IReadOnlyList<ProcessedPhoto> processed)
    {
        foreach (var photo in processed)
        {
            try
            {
                await photos.DeleteAsync(photo.Id);
            }
            catch (IOException e)
            {
                logger.LogWarning(e, "Could not delete photo {PhotoId} of a case that was not stored", photo.Id);
            }
        }
    }

    /// <summary>A 128-bit random token, URL-safe; only its hash is stored.</summary>
    public static string NewFollowToken() => Base64Url(RandomNumberGenerator.GetBytes(16));

    public static string HashFollowToken(string token) =>
        Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token)));

    /// <summary>True when <paramref name="token"/> is the follow token of the case whose stored hash is <paramref name="storedHash"/>.</summary>
    public static bool FollowTokenMatches(string? storedHash, string? token) =>
        storedHash is { Length: 64 } && !string.IsNullOrEmpty(token)
        && CryptographicOperations.FixedTimeEquals(Convert.FromHexString(storedHash), SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string? CompoundOf(GeographySnapshot snapshot, string buildingCode) =>
        buildingCode.Length > 16 && snapshot.Compounds.ContainsKey(buildingCode[..16]) ? buildingCode[..16] : null;

    private static List<LocationClaim> OfferToCandidates(CivicGridDbContext db, Case subject, RoutingAnswer routing, CaseOptions settings, DateTimeOffset now)
    {
        if (routing.Method != RoutingMethod.Location || routing.Confidence != LocateConfidence.Ambiguous)
        {
            return [];
        }

        var candidates = routing.Candidates.Where(c => c.Share >= settings.MinCandidateShare && c.Code.Length >= GridCodes.CommunityLength).ToList();
        if (candidates.All(c => c.Code != subject.GridCode) || candidates.Count < 2)
        {
            // A point in a dedicated grid, or a circle that barely touches a neighbour: the router's answer stands.
            return [];
        }

        var due = now + settings.ConfirmLocationTimeout;
        subject.AwaitLocationConfirmation(Actor.System, subject.Version, now, [.. candidates.Select(c => c.Code)], due);
        var claims = candidates.Select(c => new LocationClaim
        {
            Id = Guid.CreateVersion7(), CaseId = subject.Id, CaseNumber = subject.Number, GridCode = c.Code, IsBest = c.Code == subject.GridCode,
            Share = Math.Round(c.Share, 3), Title = subject.Title, CategoryCode = subject.CategoryCode, Lon = subject.Location.X,
            Lat = subject.Location.Y, ReportedAt = subject.ReportedAt, DueAt = due,
        }).ToList();
        db.LocationClaims.AddRange(claims);
        return claims;
    }
}
