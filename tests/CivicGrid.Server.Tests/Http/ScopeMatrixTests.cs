using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CivicGrid.Domain.Accounts;
using CivicGrid.Domain.Geography;
using CivicGrid.Server.Infrastructure.Persistence;
using CivicGrid.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using CivicGrid.Server.Features.Cases.PersonalData;
using CivicGrid.Server.Features.Devices;

namespace CivicGrid.Server.Tests.Http;

/// <summary>Where a target lies relative to the caller's scope node.</summary>
public enum Relation
{
    /// <summary>The scope node itself or something inside its subtree.</summary>
    Own,

    /// <summary>Inside a sibling's subtree (the nearest one that has such a target).</summary>
    Sibling,

    /// <summary>The parent node itself.</summary>
    Parent,

    /// <summary>Inside the other subdistrict of the demo district.</summary>
    OtherSubdistrict,
}

/// <summary>
/// Every endpoint × role × own/sibling/parent/other subdistrict: a user reads and changes only their
/// subtree, a resident only their own records. <see cref="EveryEndpoint_IsInTheMatrix"/> fails when
/// an endpoint is added without rows here, so the matrix grows with the API.
/// </summary>
public abstract class ScopeMatrixTests(CivicGridApp app)
{
    private const string MainSubdistrict = "610103099";
    private const string OtherSubdistrictCode = "610103098";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Endpoints checked one target at a time, by relation.</summary>
    public static readonly string[] TargetEndpoints =
    [
        "GET /api/grids/{code}", "GET /api/grids/{code}/compounds", "GET /api/compounds/{code}", "GET /api/cases/{number}",
        "GET /api/cases/{number}/timeline", "POST /api/users",
        "POST /api/geo/lessons", "DELETE /api/geo/lessons/{id:guid}", "POST /api/cases/{number}/personal-data",
    ];

    /// <summary>Endpoints whose whole answer is checked to lie inside the caller's scope.</summary>
    public static readonly string[] ListEndpoints =
        ["GET /api/geo/grids", "GET /api/geo/buildings", "GET /api/geo/lessons", "GET /api/grids", "GET /api/cases", "GET /api/users",
            "GET /api/cases/inbox/{box}", "GET /api/cases/export.xlsx", "GET /api/cases/points", "GET /api/cases/grid-counts", "GET /api/places", "GET /api/devices"];

    /// <summary>
    /// Endpoints every logged-in user may call for themselves, and public ones that answer from
    /// public geography only (the locator); nothing of others' records is in them. Duplicate suggestions answer public
    /// facts of open cases across scopes by design (number, category, status, distance, date; CasePrivacyAndDuplicateTests).
    /// </summary>
    public static readonly string[] SelfEndpoints =
        ["GET /api/auth/me", "POST /api/auth/logout", "POST /api/auth/login", "GET /api/geo/locate", "GET /api/categories", "GET /api/cases/duplicates",
            "GET /api/notifications", "GET /api/notifications/unread-count", "POST /api/notifications/{id:guid}/read", "POST /api/notifications/read-all",
            "GET /api/notifications/channels", "PUT /api/notifications/channels/{channel}", "DELETE /api/notifications/channels/{channel}",
            "PUT /api/notifications/channels/{channel}/opt-out"];

    /// <summary>
    /// The residents' WeChat end: the status, sign-in start and callback are anonymous and reached by a single-use state bound
    /// to the browser (<c>WeChatTests.ForgedState…</c>, <c>ReusedState…</c>, <c>CodeUsedTwice…</c>); the JS-SDK signature
    /// is public and only for this site's pages (<c>WeChatTests.JsConfig…</c>); claiming reports needs a resident account and
    /// each report's follow token, and staff are refused (<c>WeChatTests.AResidentSignedInByWeChat_Claims…</c>).
    /// </summary>
    public static readonly string[] CoveredByWeChatTests =
        ["GET /api/wechat/status", "GET /api/wechat/sign-in", "GET /api/wechat/callback", "GET /api/wechat/js-config", "POST /api/wechat/claim-reports"];

    /// <summary>Endpoints for one role whatever the target: checked per user by <see cref="RoleOnlyEndpoint_AnswersOnlyItsRole"/>.</summary>
    public static readonly string[] RoleEndpoints =
        ["POST /api/grids/import", "GET /api/grids/validation", "POST /api/categories", "PUT /api/categories/{code}", "GET /api/calendar", "PUT /api/calendar",
            "GET /api/cases/inbox", "GET /api/audit/reveals", "GET /api/admin/jobs", "POST /api/admin/jobs/{name}/run", "GET /api/organisations", "GET /api/admin/apikeys",
            "POST /api/admin/apikeys", "DELETE /api/admin/apikeys/{id:guid}", "GET /api/devices/alarm-types", "PUT /api/devices/alarm-types/{code}",
            "GET /api/security-events", "GET /api/security-events/export", "POST /api/security-events/verify", "GET /api/role-grants",
            MetricsEndpoint];

    /// <summary>
    /// The Prometheus scrape endpoint (outside <c>/api</c>, any method): the system and security administrators only (or the scrape
    /// token, which <c>MetricsTests</c> checks with the refusals of anonymous callers and wrong tokens).
    /// </summary>
    public const string MetricsEndpoint = "* /metrics";

    /// <summary>
    /// An account's lifecycle and administrator role approvals: scoped by the account's scope code (another region's account
    /// is a 404), and by who may manage whom (community staff their volunteers; the security admin everyone; nobody
    /// themselves), asserted rule by rule in <c>AccountLifecycleTests</c>; changing one's own password is the caller's own.
    /// </summary>
    public static readonly string[] CoveredByAccountTests =
    [
        "GET /api/users/{id:guid}", "PUT /api/users/{id:guid}", "POST /api/users/{id:guid}/deactivate", "POST /api/users/{id:guid}/reactivate",
        "POST /api/users/{id:guid}/unlock", "POST /api/users/{id:guid}/reset-password", "POST /api/role-grants/{grantId:guid}/approve",
        "POST /api/role-grants/{grantId:guid}/reject", "POST /api/auth/password",
    ];

    /// <summary>
    /// Open311 GeoReport v2 (outside <c>/api</c>): no account and no scope. Reads answer public facts of the jurisdiction's
    /// requests (the filing client alone sees what it sent) and filing needs an API key; asserted rule by rule in
    /// <c>Open311ConformanceTests</c> (<c>GetRequests_PublicFactsOnly…</c>, <c>PostRequest_WithoutAnApiKey_Is403…</c>).
    /// </summary>
    public static readonly string[] Open311Endpoints =
    [
        "GET /open311/v2/discovery.{format}", "GET /open311/v2/services.{format}", "GET /open311/v2/services/{service_code}.{format}",
        "POST /open311/v2/requests.{format}", "GET /open311/v2/requests.{format}", "GET /open311/v2/requests/{service_request_id}.{format}",
        "GET /open311/v2/tokens/{token}.{format}",
    ];

    /// <summary>
    /// Workflow verbs and photo endpoints on one case: checked by <see cref="CaseVerb_OutsideTheScope_IsNotFound_AndChangesNothing"/>.
    /// </summary>
    public static readonly string[] CaseVerbEndpoints =
    [
        .. new[]
        {
            "accept", "reject", "assign", "start-handling", "record-handled", "verify", "evaluate", "close", "return", "transfer", "escalate", "park",
            "resume", "reopen", "merge", "record-mediation", "supervise", "move-pin", "hand-to-district", "supplement", "chase", "withdraw",
        }.Select(v => $"POST /api/cases/{{number}}/{v}"),
        "GET /api/cases/{number}/progress",
        "POST /api/cases/{number}/photos", "GET /api/cases/{number}/photos", "GET /api/cases/{number}/photos/{id:guid}",
    ];

    /// <summary>
    /// Endpoints whose scope is not a grid subtree of the caller, each asserted by a named test: the intake (anyone may
    /// report; <c>CaseLoopTests</c>), the anonymous reporter's follow-token endpoints (a wrong token is a 404;
    /// <c>CaseLoopTests.AnonymousReport…</c>), the confirm-location queue (offers scoped by candidate grid;
    /// <c>CaseLoopTests.AmbiguousReport…</c>), the colour records (subdistrict and district only;
    /// <c>CaseLoopTests.BlueCase…</c>, <c>RedCase…</c>), a referral's delivery log (scoped like the referral;
    /// <c>DistrictHandOffTests.DeliveryLog…</c>; its "retry now" likewise, for the operations centre and the system admin:
    /// <c>DistrictHandOffTests.GivenUpHandOff…</c>) and the district's signed answers (no account: the shared secret's
    /// signature; <c>DistrictHandOffTests</c>) and the 12345 import (operations centre and system admin; it files cases
    /// through the intake wherever their address lies; <c>HotlineImportTests.UnreadableFiles…</c>) and its export (the
    /// case query filter; <c>HotlineImportTests.ExcelFile…</c> checks that another subdistrict sees none of the orders), and
    /// the hotline column mappings (shared settings: staff read them, the system admin writes them; <c>HotlineImportTests.StoredMapping…</c>),
    /// and the SMS endpoints (no account: a code request and its confirmation are bounded by the caps, the resend wait and the
    /// cool-down, <c>SmsTests.WrongCodes…</c> and <c>DailyCaps…</c>; the providers' receipts by the receipt token,
    /// <c>SmsTests.AVerifiedReporter…</c>).
    /// </summary>
    public static readonly string[] CoveredByCaseTests =
    [
        "POST /api/cases", "GET /api/track/{number}", "POST /api/track/{number}/verify", "POST /api/track/{number}/evaluate",
        "POST /api/track/{number}/reopen", "GET /api/track/{number}/photos/{id:guid}", "GET /api/cases/to-confirm",
        "POST /api/cases/{number}/location/claim", "GET /api/meetings/agenda", "GET /api/meetings", "POST /api/meetings",
        "GET /api/district-referrals", "POST /api/district-referrals/{id:guid}/acknowledge", "POST /api/district-referrals/{id:guid}/answer",
        "GET /api/district-referrals/{id:guid}/deliveries", "POST /api/district-referrals/{id:guid}/retry", "POST /api/district/answers", "POST /api/hotline/imports",
        "GET /api/hotline/export.xlsx", "GET /api/hotline/export.csv",
        "GET /api/hotline/mappings", "PUT /api/hotline/mappings/{name}",
        "POST /api/sms/codes", "POST /api/sms/codes/confirm", "POST /api/sms/receipts/{provider}",
        "POST /api/track/{number}/supplement", "POST /api/track/{number}/chase", "POST /api/track/{number}/withdraw",
    ];

    /// <summary>
    /// The public map of nearby reports: anonymous by design, across scopes, public facts only (no number, words, photos or
    /// sensitive categories; coarsened positions, banded distances): <c>ResidentActionsTests.NearbyReports…</c>.
    /// </summary>
    public static readonly string[] CoveredByResidentTests = ["GET /api/public/nearby"];

    /// <summary>
    /// The device registry's single-device endpoints (a device outside the scope is a 404, registering outside it a 403, and
    /// only the system admin and subdistrict operators register; <c>DeviceTests.Registry…</c>; retiring likewise:
    /// <c>DeviceTests.RetiredDevice…</c>), and the device webhook,
    /// which no user calls: it is authenticated by the device's signature (<c>DeviceTests</c>: wrong signature, unknown
    /// device, stale timestamp, replay), and what it opens is routed by the device's registered position.
    /// </summary>
    public static readonly string[] CoveredByDeviceTests =
    [
        "GET /api/devices/{code}", "POST /api/devices", "POST /api/devices/{code}/secret", "POST /api/devices/{code}/retire",
        "POST /api/device-webhook/alarms", "POST /api/device-webhook/heartbeats",
    ];

    /// <summary>
    /// The organisation register's single-organisation endpoints and writes (one outside the caller's region is a 404, writing
    /// outside the scope a 403, only the system admin writes; <c>OrganisationTests.Create_WithThePinnedBody…</c>,
    /// <c>…Writes_AreTheSystemAdminsWithinTheirScope</c>) and the liaisons' grids (community staff only inside their community;
    /// <c>OrganisationTests.LiaisonGrids…</c>).
    /// </summary>
    public static readonly string[] CoveredByOrganisationTests =
    [
        "GET /api/organisations/{id:guid}", "POST /api/organisations", "PUT /api/organisations/{id:guid}", "POST /api/organisations/{id:guid}/retire",
        "POST /api/organisations/{id:guid}/reinstate", "GET /api/organisations/{id:guid}/compounds", "PUT /api/organisations/{id:guid}/compounds",
        "GET /api/organisations/{id:guid}/liaisons", "PUT /api/organisations/{id:guid}/liaisons/{userId:guid}/grids",
    ];

    /// <summary>
    /// Policy briefings: staff see those sent in their scope (another community's is a 404, another subdistrict's is not
    /// listed), only community staff and the operations centre send and remind, a grid or organisation outside the sender's
    /// scope is a 403, and a worker reads only those sent to them (<c>BriefingTests.Worker_SeesOnly…</c>,
    /// <c>Send_WithABadAudience…</c>, <c>Send_WithBadFields_OrByAWorker…</c>, <c>Remind_AfterTheDeadline…</c>).
    /// </summary>
    public static readonly string[] CoveredByBriefingTests =
    [
        "GET /api/briefings", "POST /api/briefings/preview", "POST /api/briefings", "GET /api/briefings/{id:guid}", "POST /api/briefings/{id:guid}/remind",
        "GET /api/briefings/inbox", "POST /api/briefings/inbox/{id:guid}/open", "POST /api/briefings/inbox/{id:guid}/confirm",
    ];

    /// <summary>
    /// Sign-in's second step and trusted phones: the anonymous second-factor and sign-in-code endpoints are reached by a
    /// single-use token, not a scope (<c>SecondFactorTests</c>: wrong, replayed, expired and reused challenges;
    /// <c>TrustedDeviceTests.SignInCode_Expired…</c>); the caller's own account security (<c>SecondFactorTests.AccountPage…</c>);
    /// the security admin's reset, scoped by the accounts filter (<c>SecondFactorTests.Reset…</c>); community staff's
    /// volunteers, codes and revocations, scoped by the accounts and devices filters
    /// (<c>TrustedDeviceTests.SignInCode_IsIssuedOnlyByCommunityStaff…</c>, <c>RevokingADeviceOfAVolunteerOutsideTheScope…</c>).
    /// </summary>
    public static readonly string[] CoveredBySignInTests =
    [
        "POST /api/auth/login/second-factor", "POST /api/auth/login/second-factor/enrolment", "POST /api/auth/login/second-factor/enrolment/confirm",
        "GET /api/account/security", "POST /api/account/second-factor/enrolment", "POST /api/account/second-factor/enrolment/confirm",
        "POST /api/account/second-factor/recovery-codes", "POST /api/account/trusted-devices/{id:guid}/revoke",
        "GET /api/users/{id:guid}/second-factor", "POST /api/users/{id:guid}/second-factor/reset",
        "GET /api/volunteers", "POST /api/volunteers/{id:guid}/sign-in-codes", "POST /api/volunteers/{id:guid}/devices/{deviceId:guid}/revoke",
        "POST /api/auth/trusted-device",
    ];

    /// <summary>
    /// The roster, training and work IDs: members are scoped by community (and for grid staff by the grids they work),
    /// only community staff change them, the operations centre and grid leaders read; administrators, residents and field
    /// staff are refused; the holder's own card is found by the account link; the public check answers a random token with
    /// the masked name, grid and status only (<c>RosterTests.Scope…</c>, <c>RosterTests.Training_ThenWorkId…</c>).
    /// </summary>
    public static readonly string[] CoveredByRosterTests =
    [
        "GET /api/roster/members", "GET /api/roster/members/{id:guid}", "POST /api/roster/members", "POST /api/roster/members/{id:guid}/assignments",
        "POST /api/roster/members/{id:guid}/assignments/{assignmentId:guid}/end", "POST /api/roster/members/{id:guid}/move",
        "POST /api/roster/members/{id:guid}/leave", "GET /api/roster/vacancies", "GET /api/roster/turnover", "POST /api/roster/imports",
        "GET /api/roster/import-template.xlsx", "GET /api/training/courses", "POST /api/training/courses", "PUT /api/training/courses/{id:guid}/required",
        "GET /api/training/sessions", "POST /api/training/sessions", "GET /api/training/sessions/{id:guid}", "PUT /api/training/sessions/{id:guid}/attendance",
        "GET /api/training/eligibility", "GET /api/work-ids", "POST /api/work-ids", "GET /api/work-ids/{id:guid}", "POST /api/work-ids/{id:guid}/photo",
        "GET /api/work-ids/{id:guid}/photo", "POST /api/work-ids/{id:guid}/revoke", "GET /api/work-ids/mine", "GET /api/work-ids/mine/photo",
        "GET /api/public/work-ids/{token}",
    ];

    /// <summary>
    /// Patrols: a walker starts, feeds and ends only their own patrol (another's is a 404) and reads only their own patrols
    /// and day; grid leaders, community staff, the operations centre and the district read tracks, coverage, workers'
    /// days and one patrol of their scope (another subdistrict's are absent); administrators, residents, property staff and liaisons are
    /// refused (<c>PatrolTests.Scope_WorkersSeeTheirOwn…</c>, <c>PatrolTests.BadBatches…</c>, <c>PatrolTests.OnePatrol_…</c>).
    /// </summary>
    public static readonly string[] CoveredByPatrolTests =
    [
        "POST /api/patrols", "POST /api/patrols/{id:guid}/end", "POST /api/patrols/{id:guid}/points", "GET /api/patrols/mine", "GET /api/patrols/days/mine",
        "GET /api/patrols/{id:guid}", "GET /api/patrols/tracks", "GET /api/patrols/coverage", "GET /api/patrols/days", "GET /api/patrols/days/export.xlsx",
    ];

    /// <summary>
    /// The household register and door-knocking visits: each role's view over the list, detail, export and search
    /// (<c>HouseholdTests.EachRole_SeesTheRegister…</c>: masked for the community and the operations centre, no ID numbers for
    /// property and grid staff, rooms only for volunteers and liaisons, nothing for administrators, residents and the district),
    /// writes by community staff and the operations centre inside their scope (<c>HouseholdTests.Create_Refusals…</c>,
    /// <c>…UpdateHousehold…</c>, <c>…Import…</c>), reveals (<c>HouseholdTests.Reveal…</c>), the room picker
    /// (<c>HouseholdTests.Buildings_AndRooms…</c>) and visits (<c>VisitTests</c>: who knocks, households outside the scope are
    /// a 404, another subdistrict sees none of the visits nor their photos, only the visitor attaches a photo, who reads the week).
    /// </summary>
    public static readonly string[] CoveredByHouseholdTests =
    [
        "GET /api/households", "GET /api/households/{id:guid}", "POST /api/households", "PUT /api/households/{id:guid}",
        "POST /api/households/{id:guid}/residents", "PUT /api/households/{id:guid}/residents/{residentId:guid}",
        "DELETE /api/households/{id:guid}/residents/{residentId:guid}", "POST /api/households/{id:guid}/residents/{residentId:guid}/personal-data",
        "GET /api/households/buildings", "GET /api/households/buildings/{code}/rooms", "POST /api/households/imports",
        "GET /api/households/import-template.xlsx", "GET /api/households/export.xlsx",
        "POST /api/visits", "GET /api/visits", "GET /api/visits/mine", "GET /api/visits/week", "POST /api/visits/{id:guid}/photo",
        "GET /api/visits/{id:guid}/photo",
    ];

    /// <summary>
    /// The three lists, claims and courtyard councils: needs, claims and councils are scoped by their grid (another community's is
    /// a 404 and not listed, another subdistrict sees none), resources and projects inside and above where they are based; the
    /// administrators and residents are refused every read; only the community and the operations centre keep the lists, grid
    /// staff record needs and councils, property staff neither (<c>GridAffairsTests.EveryList_IsScoped…</c>,
    /// <c>CreateNeed_Refuses…</c>, <c>OwnerlessCompound_IsClaimed…</c>, <c>Council_FollowUps…</c>).
    /// </summary>
    public static readonly string[] CoveredByGridAffairsTests =
    [
        "GET /api/needs", "GET /api/needs/export.xlsx", "GET /api/needs/{id:guid}", "POST /api/needs", "GET /api/needs/{id:guid}/matches",
        "POST /api/needs/{id:guid}/match", "POST /api/needs/{id:guid}/meet", "POST /api/needs/{id:guid}/close", "POST /api/needs/{id:guid}/reopen",
        "GET /api/resources", "GET /api/resources/export.xlsx", "GET /api/resources/{id:guid}", "POST /api/resources", "PUT /api/resources/{id:guid}",
        "POST /api/resources/{id:guid}/retire", "GET /api/projects", "GET /api/projects/export.xlsx", "GET /api/projects/{id:guid}", "POST /api/projects",
        "POST /api/projects/{id:guid}/start", "POST /api/projects/{id:guid}/figures", "POST /api/projects/{id:guid}/complete",
        "POST /api/projects/{id:guid}/cancel", "POST /api/projects/{id:guid}/photos", "GET /api/projects/{id:guid}/photos/{photoId:guid}",
        "GET /api/claims", "GET /api/claims/export.xlsx", "GET /api/claims/ownerless-compounds", "GET /api/claims/{id:guid}", "POST /api/claims",
        "POST /api/claims/{id:guid}/fulfilments", "POST /api/claims/{id:guid}/end", "GET /api/councils", "GET /api/councils/export.xlsx",
        "GET /api/councils/{id:guid}", "POST /api/councils", "GET /api/grid-affairs/figures", "POST /api/projects/{id:guid}/tasks",
    ];

    /// <summary>
    /// Field-work figures: grid leaders, community staff, the operations centre and the district read the grids and people of
    /// their subtree (another community's grid is a 403, their rows absent); the district reads names masked; volunteers, grid
    /// workers, property staff, residents and the administrators are refused every route (<c>FieldWorkTests.EachRole_SeesItsSubtree…</c>).
    /// </summary>
    public static readonly string[] CoveredByFieldWorkTests =
    [
        "GET /api/field-work/figures/grids", "GET /api/field-work/figures/grids/export.xlsx", "GET /api/field-work/figures/people",
        "GET /api/field-work/figures/people/export.xlsx",
    ];

    /// <summary>The base map: public by design (streets and buildings, no personal data; the residents' report page shows it); <c>BasemapTests</c>.</summary>
    public static readonly string[] CoveredByBasemapTests = ["GET /api/basemap", "GET /api/basemap/tiles/{z:int}/{x:int}/{y:int}"];

    /// <summary>The support line: public by design (a number to call, nothing personal; the sign-in pages show it); <c>SupportTests</c>.</summary>
    public static readonly string[] CoveredBySupportTests = ["GET /api/support"];

    /// <summary>
    /// The dashboard: the roll-ups under the caller's subtree, a grid outside it a 403, residents and the administrators refused
    /// (<c>DashboardTests.Summary_IsTheCallersScope_…</c>); the figures equal a recount (<c>Rollups_MatchAFullRecount_…</c>). The live
    /// stream: only events of grids in the caller's scope, residents and administrators refused (<c>LiveTests</c>).
    /// </summary>
    public static readonly string[] CoveredByDashboardTests = ["GET /api/dashboard/summary", "GET /api/dashboard/breakdown", "GET /api/dashboard/report.xlsx", "GET /api/live"];

    /// <summary>
    /// Emergency broadcast: only the subdistrict operations centre previews and sends, within its grids; it and the district
    /// read the log of their scope; a worker lists and acknowledges only the broadcasts delivered to them (BroadcastTests).
    /// </summary>
    public static readonly string[] CoveredByBroadcastTests =
    [
        "POST /api/broadcasts/preview", "POST /api/broadcasts", "GET /api/broadcasts", "GET /api/broadcasts/{id:guid}", "GET /api/broadcasts/mine",
        "POST /api/broadcasts/{id:guid}/ack",
    ];

    /// <summary>
    /// Five stars: results and evidence list only grids in the caller's subtree (another grid's evidence is a 404); the
    /// administrators, property staff and residents are refused (<c>AssessmentTests.Scope_…</c>, <c>Administrators_…</c>). A worker's
    /// evidence: their own for a grid worker (another's is a 403), their grid's people for a leader, nobody outside the subtree
    /// (a 404) (<c>WorkerAssessmentTests</c>).
    /// </summary>
    public static readonly string[] CoveredByAssessmentTests =
    [
        "GET /api/assessment/catalogue", "GET /api/assessment/results", "GET /api/assessment/results/{gridCode}/indicators/{indicator}/evidence",
        "GET /api/assessment/workers/{userId}/indicators/{indicator}/evidence",
    ];

    /// <summary>
    /// The resident council and branch activities: members and assignments are kept by community staff and the operations
    /// centre in their scope (another community's member is a 404 and not listed, another subdistrict sees none), the district
    /// reads; grid staff, who are evaluated, the administrators, residents and property staff are refused; a member reads and
    /// scores only their own assignments (another's is a 404) and nobody else reads a score, only tallies without names
    /// (<c>CouncilTests.FiveMembers_…</c>, <c>Scope_…</c>, <c>Refusals_…</c>); branch activities are scoped by grid
    /// (<c>CouncilTests.BranchActivities_…</c>).
    /// </summary>
    public static readonly string[] CoveredByCouncilTests =
    [
        "GET /api/council/members", "POST /api/council/members", "POST /api/council/members/{id:guid}/end-term", "GET /api/council/assignments",
        "POST /api/council/assignments", "POST /api/council/assignments/by-compound", "DELETE /api/council/assignments/{id:guid}", "GET /api/council/progress",
        "GET /api/council/evaluation", "POST /api/council/evaluation/{assignmentId:guid}", "GET /api/branch-activities", "POST /api/branch-activities",
        "POST /api/branch-activities/{id:guid}/photos", "GET /api/branch-activities/{id:guid}/photos/{photoId:guid}",
    ];

    /// <summary>
    /// Assessment runs and catalogue versions: a run is seen from its subdistrict, from above and by the communities and grids
    /// inside it (their own stored subjects only); the neighbouring subdistrict gets a 404; only the subdistrict's operations
    /// centre computes, opens and closes the council step, reviews for the subdistrict, publishes and adds catalogue versions;
    /// community staff review and approve their community; administrators, property staff and residents are refused
    /// (<c>AssessmentRunTests.Refusals_…</c>, <c>…Administrators_…</c>, <c>CatalogueVersions_…</c>).
    /// </summary>
    public static readonly string[] CoveredByAssessmentRunTests =
    [
        "GET /api/assessment/catalogue/versions", "GET /api/assessment/catalogue/versions/{version:int}", "POST /api/assessment/catalogue/versions",
        "GET /api/assessment/runs", "POST /api/assessment/runs", "GET /api/assessment/runs/{id:guid}", "GET /api/assessment/runs/{id:guid}/results",
        "POST /api/assessment/runs/{id:guid}/open-council", "POST /api/assessment/runs/{id:guid}/close-council", "POST /api/assessment/runs/{id:guid}/reviews",
        "POST /api/assessment/runs/{id:guid}/approve", "POST /api/assessment/runs/{id:guid}/publish", "POST /api/assessment/runs/{id:guid}/verify",
    ];

    /// <summary>
    /// Appeals, award lists, a grid's history and the exports: an appeal is seen in its grid's subtree (the neighbouring
    /// subdistrict gets a 404), filed only by a grid worker or leader whose scope covers the grid, decided only by the community's
    /// staff or the operations centre and never by the appellant; award lists and ranks are drawn from the published runs the
    /// caller sees; only staff above the grid export; administrators, property staff and residents are refused
    /// (<c>AppealTests.ALeaderAppeals_…</c>, <c>Refusals_…</c>, <c>AwardLists_…</c>, <c>Administrators_…</c>).
    /// </summary>
    public static readonly string[] CoveredByAppealTests =
    [
        "POST /api/assessment/appeals", "GET /api/assessment/appeals", "GET /api/assessment/appeals/{id:guid}", "POST /api/assessment/appeals/{id:guid}/accept",
        "POST /api/assessment/appeals/{id:guid}/refuse", "GET /api/assessment/awards", "GET /api/assessment/awards/export.xlsx",
        "GET /api/assessment/history/{gridCode}", "GET /api/assessment/runs/{id:guid}/export.xlsx",
    ];

    /// <summary>
    /// The operations centre's duty: every staff member reads the roster, who is on duty, the alerts and the handovers of their own
    /// subdistrict (the district names one inside its scope; another subdistrict's alert is a 404 and not listed), only the
    /// subdistrict's operations centre keeps posts and shifts (community staff are refused, another subdistrict's post is not
    /// offered), only the officer or leader on duty (or whom an alert went to) acknowledges, only the outgoing officer signs a
    /// handover and only the incoming one accepts it; administrators and residents are refused (<c>DutyTests.Scope_…</c>,
    /// <c>AShiftOverlapping…</c>, <c>AHandover_WithoutTheOutgoingOfficer…</c>, <c>ARedCase_…</c>).
    /// </summary>
    public static readonly string[] CoveredByDutyTests =
    [
        "GET /api/duty/posts", "POST /api/duty/posts", "GET /api/duty/people", "GET /api/duty/shifts", "POST /api/duty/shifts",
        "POST /api/duty/shifts/generate", "PUT /api/duty/shifts/{id:guid}", "POST /api/duty/shifts/{id:guid}/cancel", "GET /api/duty/now",
        "GET /api/duty/alerts", "POST /api/duty/alerts/{id:guid}/acknowledge", "GET /api/duty/handovers", "GET /api/duty/handovers/draft",
        "POST /api/duty/handovers", "POST /api/duty/handovers/{id:guid}/accept",
    ];

    /// <summary>Demo users of every role, each scoped somewhere different in the tree.</summary>
    public static readonly string[] Users =
        ["admin", "secadmin", "auditor", "district", "ops", "ops-east", "community01", "worker01", "leader01", "micro01", "property01", "police01", "resident001"];

    private static readonly string[] WholeTreeUsers = ["admin", "secadmin", "auditor", "district"];

    public static TheoryData<string, string, Relation> TargetCases()
    {
        var data = new TheoryData<string, string, Relation>();
        foreach (var user in Users)
        {
            foreach (var endpoint in TargetEndpoints)
            {
                foreach (var relation in Enum.GetValues<Relation>())
                {
                    if (WholeTreeUsers.Contains(user) && relation != Relation.Own)
                    {
                        continue; // nothing in the demo lies outside their subtree
                    }

                    if (relation == Relation.Parent && !endpoint.Contains("/grids/", StringComparison.Ordinal) && endpoint != "POST /api/users")
                    {
                        continue; // compounds and cases belong to finest grids: "parent" is a grid relation
                    }

                    data.Add(user, endpoint, relation);
                }
            }
        }

        return data;
    }

    public static TheoryData<string, string> ListCases()
    {
        var data = new TheoryData<string, string>();
        foreach (var user in Users)
        {
            foreach (var endpoint in ListEndpoints)
            {
                data.Add(user, endpoint);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(TargetCases))]
    public async Task Target_IsReachableOnlyInsideTheCallersScope(string userName, string endpoint, Relation relation)
    {
        var user = await app.WithDatabaseAsync(db => db.Users.SingleAsync(u => u.UserName == userName, Ct));
        var scope = Scope.Of(user);
        using var client = await app.ClientForAsync(userName);

        if (endpoint == "POST /api/users")
        {
            // A micro-grid volunteer is scoped to a micro-grid (RoleRules): one under the target node, never inside the caller's
            // own subtree unless the relation is Own.
            var node = await TargetNodeAsync(scope, relation);
            var target = await app.WithDatabaseAsync(db => db.Grids.IgnoreQueryFilters()
                .Where(g => g.Code.StartsWith(node) && g.Level == GridLevel.Micro && g.Kind == GridKind.Territorial
                    && (relation == Relation.Own || scope.Code.Length == 0 || !g.Code.StartsWith(scope.Code)))
                .OrderBy(g => g.Code).Select(g => g.Code).FirstAsync(Ct));
            var response = await client.PostAsJsonAsync("/api/users", new
            {
                userName = CivicGridApp.UniqueName("matrix"),
                displayName = "矩阵测试",
                roles = new[] { "micro-grid-worker" },
                scopeCode = target,
                password = "Matrix#Pass2026",
            }, Ct);
            var mayGrant = user.HasRole(Role.SecurityAdmin) || user.HasRole(Role.CommunityStaff);
            var expected = mayGrant && relation == Relation.Own ? HttpStatusCode.Created : HttpStatusCode.Forbidden;
            Assert.True(expected == response.StatusCode, $"{userName} creating an account at {target} ({relation}): expected {expected}, got {response.StatusCode}");
            return;
        }

        if (endpoint.Contains("/api/geo/lessons", StringComparison.Ordinal))
        {
            var target = await TargetNodeAsync(scope, relation);
            var mayTeach = user.HasRole(Role.CommunityStaff) || user.HasRole(Role.SubdistrictOperator) || user.HasRole(Role.SystemAdmin);
            HttpResponseMessage response;
            HttpStatusCode expected;
            if (endpoint.StartsWith("POST", StringComparison.Ordinal))
            {
                response = await client.PostAsJsonAsync("/api/geo/lessons", new
                {
                    subject = "address",
                    key = "矩阵测试路" + Guid.NewGuid().ToString("N")[..6] + "号",
                    toGridCode = target.Length >= GridCodes.CommunityLength ? target : await FirstCommunityUnderAsync(target),
                    reason = "矩阵测试",
                }, Ct);
                expected = scope.OwnRecordsOnly || !mayTeach ? HttpStatusCode.Forbidden
                    : relation == Relation.Own ? HttpStatusCode.Created : HttpStatusCode.NotFound;
            }
            else
            {
                var lesson = await app.WithDatabaseAsync(async db =>
                {
                    var to = await db.Grids.Where(g => g.Code.StartsWith(target) && g.Code.Length >= GridCodes.CommunityLength).OrderBy(g => g.Code).Select(g => g.Code).FirstAsync(Ct);
                    var taught = new Domain.Routing.RoutingOverride(Domain.Routing.OverrideSubject.Address, "矩阵删除路" + Guid.NewGuid().ToString("N")[..6],
                        null, to, "矩阵测试", null, null, DateTimeOffset.UtcNow);
                    db.RoutingOverrides.Add(taught);
                    await db.SaveChangesAsync(Ct);
                    return taught;
                });
                response = await client.DeleteAsync(new Uri($"/api/geo/lessons/{lesson.Id}", UriKind.Relative), Ct);
                expected = scope.OwnRecordsOnly || !mayTeach ? HttpStatusCode.Forbidden
                    : relation is Relation.Own ? HttpStatusCode.NoContent
                    : HttpStatusCode.NotFound;
            }

            Assert.True(expected == response.StatusCode, $"{userName} {endpoint} at {target} ({relation}): expected {expected}, got {response.StatusCode}");
            return;
        }

        if (endpoint == "POST /api/cases/{number}/personal-data")
        {
            var target = await TargetAsync(scope, relation, db => db.Cases.IgnoreQueryFilters().Select(c => new Located(c.Number, c.GridCode, c.ReporterId)));
            var response = await client.PostAsJsonAsync($"/api/cases/{target}/personal-data", new { reason = "矩阵测试" }, Ct);
            var expected = !user.Roles.Any(Features.Cases.PersonalData.PersonalDataApi.MayReveal.Contains) ? HttpStatusCode.Forbidden
                : relation == Relation.Own ? HttpStatusCode.OK
                : HttpStatusCode.NotFound;
            Assert.True(expected == response.StatusCode, $"{userName} revealing {target} ({relation}): expected {expected}, got {response.StatusCode}");
            return;
        }

        string url;
        var reaches = relation == Relation.Own;
        if (endpoint.StartsWith("GET /api/grids/", StringComparison.Ordinal))
        {
            var code = await TargetNodeAsync(scope, relation);
            url = endpoint.EndsWith("/compounds", StringComparison.Ordinal) ? $"/api/grids/{code}/compounds" : $"/api/grids/{code}";
        }
        else if (endpoint == "GET /api/compounds/{code}")
        {
            url = $"/api/compounds/{await TargetAsync(scope, relation, db => db.Compounds.IgnoreQueryFilters().Select(c => new Located(c.Code, c.GridCode, null)))}";
        }
        else
        {
            var number = await TargetAsync(scope, relation, db => db.Cases.IgnoreQueryFilters().Select(c => new Located(c.Number, c.GridCode, c.ReporterId)));
            url = endpoint.EndsWith("/timeline", StringComparison.Ordinal) ? $"/api/cases/{number}/timeline" : $"/api/cases/{number}";

            // Property staff and volunteers reach only the cases they reported or were given, wherever they lie (ADR 0026).
            if (scope.OwnCasesOnly)
            {
                reaches = await app.WithDatabaseAsync(db => db.Cases.IgnoreQueryFilters()
                    .AnyAsync(c => c.Number == number && (c.ReporterId == user.Id || c.AssigneeUserId == user.Id), Ct));
            }
        }

        var answer = await client.GetAsync(new Uri(url, UriKind.Relative), Ct);
        var staffOnly = !endpoint.StartsWith("GET /api/cases", StringComparison.Ordinal);
        // Separation of duties: the three administrators see no case content at all (403, not 404: the rule is the role).
        var administrator = user.Roles.Any(Roles.Administrators.Contains);
        var expectedStatus = administrator && !staffOnly ? HttpStatusCode.Forbidden
            : scope.OwnRecordsOnly && staffOnly ? HttpStatusCode.Forbidden
            : reaches ? HttpStatusCode.OK
            : HttpStatusCode.NotFound;
        Assert.True(expectedStatus == answer.StatusCode, $"{userName} GET {url} ({relation}): expected {expectedStatus}, got {answer.StatusCode}");
        if (answer.StatusCode == HttpStatusCode.NotFound)
        {
            var problem = await answer.Content.ReadFromJsonAsync<JsonElement>(Ct);
            Assert.Equal("/problems/not-found", problem.GetProperty("type").GetString());
        }
    }

    [Theory]
    [MemberData(nameof(ListCases))]
    public async Task List_HoldsOnlyWhatIsInsideTheCallersScope(string userName, string endpoint)
    {
        var user = await app.WithDatabaseAsync(db => db.Users.SingleAsync(u => u.UserName == userName, Ct));
        var scope = Scope.Of(user);
        using var client = await app.ClientForAsync(userName);
        var (url, read) = endpoint switch
        {
            "GET /api/geo/grids" => ("/api/geo/grids?level=micro", (Func<JsonElement, IEnumerable<string>>)(j =>
                j.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("properties").GetProperty("code").GetString()!))),
            "GET /api/geo/buildings" => ("/api/geo/buildings?bbox=108.93,34.22,109.01,34.27", j =>
                j.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("properties").GetProperty("gridCode").GetString()!)),
            // A lesson belongs to the scope of its target and of its source (the community losing the place sees it too).
            "GET /api/geo/lessons" => ("/api/geo/lessons", j => j.EnumerateArray().Select(l =>
                l.GetProperty("fromGridCode").GetString() is { } from && scope.Covers(from) ? from : l.GetProperty("toGridCode").GetString()!)),
            "GET /api/grids" => ("/api/grids", j => j.EnumerateArray().Select(g => g.GetProperty("code").GetString()!)),
            "GET /api/cases" => ("/api/cases?pageSize=200", j => j.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("gridCode").GetString()!)),
            "GET /api/users" => ("/api/users", j => j.EnumerateArray().Select(u => u.GetProperty("scopeCode").GetString()!)),
            "GET /api/cases/inbox/{box}" => ("/api/cases/inbox/grid-open?pageSize=200", j => j.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("gridCode").GetString()!)),
            "GET /api/cases/export.xlsx" => ($"/api/cases/export.xlsx?reportedFrom={DateTime.UtcNow.AddDays(-180):yyyy-MM-dd}", _ => []),
            "GET /api/cases/points" => ("/api/cases/points", j =>
                j.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("properties").GetProperty("gridCode").GetString()!)),
            "GET /api/cases/grid-counts" => ("/api/cases/grid-counts", j => j.EnumerateArray().Select(c => c.GetProperty("gridCode").GetString()!)),
            "GET /api/places" => ("/api/places?text=" + Uri.EscapeDataString("号楼"), j => j.EnumerateArray().Select(p => p.GetProperty("gridCode").GetString()!)),
            "GET /api/devices" => ("/api/devices", j => j.EnumerateArray().Select(d => d.GetProperty("gridCode").GetString()!)),
            _ => throw new ArgumentOutOfRangeException(nameof(endpoint)),
        };

        if (endpoint == "GET /api/geo/lessons")
        {
            await SeedLessonsAsync(scope);
        }

        if (endpoint == "GET /api/devices")
        {
            await SeedDevicesAsync(scope);
        }

        // The class has a database of its own and its tests run one at a time, so nothing files a case while the
        // request runs: a resident's list holds exactly their own reports (up to the page size).
        var own = scope.OwnRecordsOnly
            ? await app.WithDatabaseAsync(db => db.Cases.IgnoreQueryFilters().CountAsync(c => c.ReporterId == user.Id, Ct))
            : 0;
        var response = await client.GetAsync(new Uri(url, UriKind.Relative), Ct);

        if (scope.OwnRecordsOnly && endpoint != "GET /api/cases")
        {
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            return;
        }

        if (user.Roles.Any(Roles.Administrators.Contains) && endpoint.StartsWith("GET /api/cases", StringComparison.Ordinal))
        {
            // Separation of duties: no administrator reads, counts, maps or exports cases.
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{userName} {endpoint}: expected 403, got {response.StatusCode}");
            return;
        }

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var workbook = endpoint.EndsWith(".xlsx", StringComparison.Ordinal);
        var json = workbook ? default : await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var codes = workbook ? [.. (await CaseQueryTests.ExcelRows(response)).Items.Select(r => r["网格编码"])] : read(json).ToList();
        if (scope.OwnRecordsOnly)
        {
            var numbers = json.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("number").GetString()).ToList();
            var reporters = await app.WithDatabaseAsync(db => db.Cases.IgnoreQueryFilters().Where(c => numbers.Contains(c.Number)).Select(c => c.ReporterId).ToListAsync(Ct));
            Assert.Equal(Math.Min(own, 200), numbers.Count);
            Assert.All(reporters, r => Assert.Equal(user.Id, r));
            return;
        }

        if (scope.OwnCasesOnly && endpoint.StartsWith("GET /api/cases", StringComparison.Ordinal))
        {
            // Property staff and volunteers: only the grids of cases they reported or were given (ADR 0026), not their subtree's.
            var theirs = await app.WithDatabaseAsync(db => db.Cases.IgnoreQueryFilters()
                .Where(c => c.ReporterId == user.Id || c.AssigneeUserId == user.Id).Select(c => c.GridCode).Distinct().ToListAsync(Ct));
            Assert.All(codes, code => Assert.True(theirs.Contains(code), $"{userName} was shown a case in {code} by {endpoint}, where no case of theirs lies"));
            return;
        }

        if (!endpoint.Contains("/inbox/", StringComparison.Ordinal) && endpoint != "GET /api/places")
        {
            Assert.NotEmpty(codes); // an inbox may be empty for a role (administrators, liaisons own no level); a micro-grid may hold no building
        }

        Assert.All(codes, code => Assert.True(scope.Covers(code), $"{userName} (scope {scope.Code}) was shown {code} by {endpoint}"));
    }

    public static TheoryData<string, string> RoleCases()
    {
        var data = new TheoryData<string, string>();
        foreach (var user in Users)
        {
            foreach (var endpoint in RoleEndpoints)
            {
                data.Add(user, endpoint);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(RoleCases))]
    public async Task RoleOnlyEndpoint_AnswersOnlyItsRole(string userName, string endpoint)
    {
        var user = await app.WithDatabaseAsync(db => db.Users.SingleAsync(u => u.UserName == userName, Ct));
        using var client = await app.ClientForAsync(userName);

        if (endpoint == MetricsEndpoint)
        {
            // Operational metrics carry no case content, but they are the installation's: its operators read them, nobody else.
            var response = await client.GetAsync(new Uri("/metrics", UriKind.Relative), Ct);
            var expected = user.HasRole(Role.SystemAdmin) || user.HasRole(Role.SecurityAdmin) ? HttpStatusCode.OK : HttpStatusCode.Forbidden;
            Assert.True(expected == response.StatusCode, $"{userName} {endpoint}: expected {expected}, got {response.StatusCode}");
            return;
        }

        if (endpoint.EndsWith("/api/categories", StringComparison.Ordinal) || endpoint.EndsWith("/api/categories/{code}", StringComparison.Ordinal))
        {
            // An incomplete body: the system admin gets 400 (the catalogue is untouched), everyone else 403 before any check.
            var response = endpoint.StartsWith("POST", StringComparison.Ordinal)
                ? await client.PostAsJsonAsync("/api/categories", new { code = "E0199" }, Ct)
                : await client.PutAsJsonAsync("/api/categories/E0101", new { name = "" }, Ct);
            var expected = user.HasRole(Role.SystemAdmin) ? HttpStatusCode.BadRequest : HttpStatusCode.Forbidden;
            Assert.True(expected == response.StatusCode, $"{userName} {endpoint}: expected {expected}, got {response.StatusCode}");
            return;
        }

        if (endpoint.EndsWith("/api/calendar", StringComparison.Ordinal))
        {
            // PUT with an empty definition: the system admin gets 400 (nothing stored), everyone else 403.
            var response = endpoint.StartsWith("GET", StringComparison.Ordinal)
                ? await client.GetAsync(new Uri("/api/calendar", UriKind.Relative), Ct)
                : await client.PutAsJsonAsync("/api/calendar", new { workingPeriods = Array.Empty<string>() }, Ct);
            var expected = endpoint.StartsWith("GET", StringComparison.Ordinal)
                ? (user.IsStaff ? HttpStatusCode.OK : HttpStatusCode.Forbidden)
                : (user.HasRole(Role.SystemAdmin) ? HttpStatusCode.BadRequest : HttpStatusCode.Forbidden);
            Assert.True(expected == response.StatusCode, $"{userName} {endpoint}: expected {expected}, got {response.StatusCode}");
            return;
        }

        if (endpoint == "GET /api/organisations")
        {
            // Staff see the organisations serving above or inside their region (a grid leader sees the subdistrict's
            // police station); residents none. The other subdistrict's organisations never reach this one's staff.
            var response = await client.GetAsync(new Uri("/api/organisations", UriKind.Relative), Ct);
            var expected = user.IsStaff ? HttpStatusCode.OK : HttpStatusCode.Forbidden;
            Assert.True(expected == response.StatusCode, $"{userName} {endpoint}: expected {expected}, got {response.StatusCode}");
            if (response.IsSuccessStatusCode)
            {
                var scope = Scope.Of(user);
                var organisations = (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).EnumerateArray().ToList();
                Assert.All(organisations, o =>
                {
                    var code = o.GetProperty("scopeCode").GetString()!;
                    Assert.True(scope.IsWholeSystem || scope.Covers(code) || scope.Code.StartsWith(code, StringComparison.Ordinal),
                        $"{userName} (scope {scope.Code}) was shown an organisation serving {code}");
                });
                if (user.IsStaff && !scope.IsWholeSystem && scope.Code.StartsWith("610103099", StringComparison.Ordinal))
                {
                    Assert.Contains(organisations, o => o.GetProperty("kind").GetString() == "department");
                }
            }

            return;
        }

        if (endpoint is "GET /api/admin/jobs" or "POST /api/admin/jobs/{name}/run")
        {
            // Reading: system and audit administrators; running (an unknown job, so nothing runs): the system administrator gets 404.
            var response = endpoint.StartsWith("GET", StringComparison.Ordinal)
                ? await client.GetAsync(new Uri("/api/admin/jobs", UriKind.Relative), Ct)
                : await client.PostAsync(new Uri("/api/admin/jobs/no-such-job/run", UriKind.Relative), null, Ct);
            var expected = endpoint.StartsWith("GET", StringComparison.Ordinal)
                ? (user.HasRole(Role.SystemAdmin) || user.HasRole(Role.AuditAdmin) ? HttpStatusCode.OK : HttpStatusCode.Forbidden)
                : (user.HasRole(Role.SystemAdmin) ? HttpStatusCode.NotFound : HttpStatusCode.Forbidden);
            Assert.True(expected == response.StatusCode, $"{userName} {endpoint}: expected {expected}, got {response.StatusCode}");
            return;
        }

        if (endpoint.Contains("/api/devices/alarm-types", StringComparison.Ordinal))
        {
            // Staff read the alarm-type mapping; only the system admin writes it (a nameless mapping: 400, nothing stored).
            var response = endpoint.StartsWith("GET", StringComparison.Ordinal)
                ? await client.GetAsync(new Uri("/api/devices/alarm-types", UriKind.Relative), Ct)
                : await client.PutAsJsonAsync("/api/devices/alarm-types/smoke", new { name = "", categoryCode = "E0403" }, Ct);
            var expected = endpoint.StartsWith("GET", StringComparison.Ordinal)
                ? (user.IsStaff ? HttpStatusCode.OK : HttpStatusCode.Forbidden)
                : (user.HasRole(Role.SystemAdmin) ? HttpStatusCode.BadRequest : HttpStatusCode.Forbidden);
            Assert.True(expected == response.StatusCode, $"{userName} {endpoint}: expected {expected}, got {response.StatusCode}");
            return;
        }

        if (endpoint.Contains("/api/security-events", StringComparison.Ordinal) || endpoint == "GET /api/role-grants")
        {
            // The security audit trail is the audit admin's alone; administrator role approvals the security and system admins'.
            var response = endpoint.StartsWith("POST", StringComparison.Ordinal)
                ? await client.PostAsync(new Uri(endpoint[5..], UriKind.Relative), null, Ct)
                : await client.GetAsync(new Uri(endpoint[4..], UriKind.Relative), Ct);
            var allowed = endpoint == "GET /api/role-grants"
                ? user.HasRole(Role.SecurityAdmin) || user.HasRole(Role.SystemAdmin)
                : user.HasRole(Role.AuditAdmin);
            var expected = allowed ? HttpStatusCode.OK : HttpStatusCode.Forbidden;
            Assert.True(expected == response.StatusCode, $"{userName} {endpoint}: expected {expected}, got {response.StatusCode}");
            return;
        }

        if (endpoint is "GET /api/cases/inbox" or "GET /api/audit/reveals")
        {
            var response = await client.GetAsync(new Uri(endpoint[4..], UriKind.Relative), Ct);
            var allowed = endpoint.EndsWith("/inbox", StringComparison.Ordinal)
                ? user.IsStaff && !user.Roles.Any(Roles.Administrators.Contains)
                : user.Roles.Any(Features.Cases.PersonalData.PersonalDataApi.MayAudit.Contains);
            var expected = allowed ? HttpStatusCode.OK : HttpStatusCode.Forbidden;
            Assert.True(expected == response.StatusCode, $"{userName} {endpoint}: expected {expected}, got {response.StatusCode}");
            return;
        }

        if (endpoint.Contains("/api/admin/apikeys", StringComparison.Ordinal))
        {
            // Open311 keys are the system admin's: a nameless key is refused (400), an unknown id is 404, others get 403.
            var response = endpoint.Split(' ')[0] switch
            {
                "GET" => await client.GetAsync(new Uri("/api/admin/apikeys", UriKind.Relative), Ct),
                "POST" => await client.PostAsJsonAsync("/api/admin/apikeys", new { name = "" }, Ct),
                _ => await client.DeleteAsync(new Uri($"/api/admin/apikeys/{Guid.NewGuid()}", UriKind.Relative), Ct),
            };
            var allowed = endpoint.Split(' ')[0] switch { "GET" => HttpStatusCode.OK, "POST" => HttpStatusCode.BadRequest, _ => HttpStatusCode.NotFound };
            var expected = user.HasRole(Role.SystemAdmin) ? allowed : HttpStatusCode.Forbidden;
            Assert.True(expected == response.StatusCode, $"{userName} {endpoint}: expected {expected}, got {response.StatusCode}");
            return;
        }

        if (endpoint == "POST /api/grids/import")
        {
            // An empty collection changes nothing, so every caller may try it safely.
            var response = await client.PostAsync(new Uri("/api/grids/import?dryRun=true", UriKind.Relative),
                new StringContent("""{"type":"FeatureCollection","features":[]}""", System.Text.Encoding.UTF8, "application/geo+json"), Ct);
            var expected = user.HasRole(Role.SystemAdmin) ? HttpStatusCode.OK : HttpStatusCode.Forbidden;
            Assert.True(expected == response.StatusCode, $"{userName} importing: expected {expected}, got {response.StatusCode}");
        }
        else
        {
            var response = await client.GetAsync(new Uri("/api/grids/validation?format=geojson", UriKind.Relative), Ct);
            var expected = user.IsStaff ? HttpStatusCode.OK : HttpStatusCode.Forbidden;
            Assert.True(expected == response.StatusCode, $"{userName} validating: expected {expected}, got {response.StatusCode}");
            if (response.IsSuccessStatusCode)
            {
                var problems = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
                var scope = Scope.Of(user);
                Assert.All(problems.GetProperty("features").EnumerateArray(),
                    f => Assert.True(scope.Covers(f.GetProperty("properties").GetProperty("code").GetString()!)));
            }
        }
    }

    public static TheoryData<string, string, Relation> CaseVerbCases()
    {
        var data = new TheoryData<string, string, Relation>();
        foreach (var user in Users)
        {
            foreach (var endpoint in CaseVerbEndpoints)
            {
                foreach (var relation in new[] { Relation.Own, Relation.Sibling, Relation.OtherSubdistrict })
                {
                    if (!WholeTreeUsers.Contains(user) || relation == Relation.Own)
                    {
                        data.Add(user, endpoint, relation);
                    }
                }
            }
        }

        return data;
    }

    /// <summary>
    /// A verb on a case outside the caller's scope answers 404 (whether or not it exists) and changes nothing; inside it,
    /// the stale version sent here is refused (409) or the body is questioned (400/403/422) — never 404, never a change.
    /// </summary>
    [Theory]
    [MemberData(nameof(CaseVerbCases))]
    public async Task CaseVerb_OutsideTheScope_IsNotFound_AndChangesNothing(string userName, string endpoint, Relation relation)
    {
        var user = await app.WithDatabaseAsync(db => db.Users.SingleAsync(u => u.UserName == userName, Ct));
        var scope = Scope.Of(user);
        using var client = await app.ClientForAsync(userName);
        var number = await TargetAsync(scope, relation, db => db.Cases.IgnoreQueryFilters().Select(c => new Located(c.Number, c.GridCode, c.ReporterId)));
        var before = await app.WithDatabaseAsync(db => db.Cases.IgnoreQueryFilters().Where(c => c.Number == number).Select(c => c.Version).SingleAsync(Ct));
        var verb = endpoint[(endpoint.LastIndexOf('/') + 1)..];
        HttpResponseMessage response;
        if (endpoint.StartsWith("GET", StringComparison.Ordinal))
        {
            var url = endpoint.EndsWith("{id:guid}", StringComparison.Ordinal) ? $"/api/cases/{number}/photos/{Guid.CreateVersion7()}"
                : endpoint.EndsWith("/progress", StringComparison.Ordinal) ? $"/api/cases/{number}/progress" : $"/api/cases/{number}/photos";
            response = await client.GetAsync(new Uri(url, UriKind.Relative), Ct);
        }
        else if (verb == "photos")
        {
            using var content = new MultipartFormDataContent { { new ByteArrayContent([0xFF, 0xD8, 0xFF]), "photos", "x.jpg" } };
            response = await client.PostAsync(new Uri($"/api/cases/{number}/photos", UriKind.Relative), content, Ct);
        }
        else
        {
            // A stale version and otherwise complete arguments: inside the scope nothing can change.
            response = await client.PostAsJsonAsync($"/api/cases/{number}/{verb}", new
            {
                expectedVersion = -1, reason = "矩阵测试", note = "矩阵测试", passed = true, rating = 3, toGridCode = MainSubdistrict + "001",
                reviewOn = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(30)), intoNumber = number, participants = new[] { "矩阵" },
                heldOn = DateTimeOffset.UtcNow.AddHours(-1), place = "矩阵", outcome = "矩阵", due = DateTimeOffset.UtcNow.AddDays(3),
                lon = 108.95, lat = 34.25, crs = "wgs84", summary = "矩阵测试", userId = user.Id, photoIds = Array.Empty<Guid>(),
            }, Ct);
        }

        var status = response.StatusCode;
        var after = await app.WithDatabaseAsync(db => db.Cases.IgnoreQueryFilters().Where(c => c.Number == number).Select(c => c.Version).SingleAsync(Ct));
        Assert.Equal(before, after);
        if (relation != Relation.Own)
        {
            Assert.True(status is HttpStatusCode.NotFound or HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity,
                $"{userName} {endpoint} on {number} ({relation}): expected 404, got {(int)status}");
            if (status != HttpStatusCode.NotFound)
            {
                // Only the arguments were questioned, before any case was looked up: nothing about the case leaks.
                var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
                Assert.DoesNotContain(number, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
            }
        }
        else if (scope.OwnCasesOnly && !await app.WithDatabaseAsync(db => db.Cases.IgnoreQueryFilters()
            .AnyAsync(c => c.Number == number && (c.ReporterId == user.Id || c.AssigneeUserId == user.Id), Ct)))
        {
            // A case of their subtree that they neither reported nor were given is out of reach (ADR 0026).
            Assert.True(status == HttpStatusCode.NotFound, $"{userName} {endpoint} on {number}, not theirs: expected 404, got {(int)status}");
        }
        else
        {
            Assert.True(status != HttpStatusCode.NotFound || endpoint.EndsWith("{id:guid}", StringComparison.Ordinal),
                $"{userName} {endpoint} on their own case {number}: got 404");
        }
    }

    [Fact]
    public async Task CaseList_ForAResident_ShowsTheirOwnReportsAndNoPhoneInFull()
    {
        using var client = await app.ClientForAsync("resident001");

        var page = await client.GetFromJsonAsync<JsonElement>("/api/cases", Ct);

        Assert.True(page.GetProperty("total").GetInt32() > 0, "the demo resident has reported cases");
        foreach (var item in page.GetProperty("items").EnumerateArray())
        {
            var phone = item.GetProperty("reporterPhone");
            Assert.True(phone.ValueKind == JsonValueKind.Null || phone.GetString()!.Contains("****", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Users_PhoneNumbersLeaveTheServerMasked()
    {
        using var client = await app.ClientForAsync("ops");

        var users = await client.GetFromJsonAsync<JsonElement>("/api/users", Ct);

        var phones = users.EnumerateArray().Select(u => u.GetProperty("phoneNumber")).Where(p => p.ValueKind == JsonValueKind.String).Select(p => p.GetString()!).ToList();
        Assert.NotEmpty(phones);
        Assert.All(phones, p => Assert.Matches(@"^\d{3}\*{4}\d{4}$", p));
    }

    /// <summary>
    /// Security review (issue 21): property staff and volunteers listed residents' accounts under their full names (and
    /// could find one by name). Now they see them masked as in the register (ADR 0019) and cannot search by a resident's
    /// name; the community and the operations centre, who keep the register, still see them in full.
    /// </summary>
    [Fact]
    public async Task Users_ResidentsNames_AreMaskedForPropertyStaffAndVolunteers_AndInFullForTheCommunity()
    {
        var (propertyScope, microScope) = await app.WithDatabaseAsync(async db => (
            await db.Users.IgnoreQueryFilters().Where(u => u.UserName == "property01").Select(u => u.ScopeCode).SingleAsync(Ct),
            await db.Users.IgnoreQueryFilters().Where(u => u.UserName == "micro01").Select(u => u.ScopeCode).SingleAsync(Ct)));
        var residents = new List<string>();
        foreach (var scope in new[] { propertyScope, microScope })
        {
            var resident = await app.CreateUserAsync(CivicGridApp.UniqueName("q-res"), scope, Role.Resident);
            await app.WithDatabaseAsync(db => db.Users.IgnoreQueryFilters().Where(u => u.Id == resident.Id)
                .ExecuteUpdateAsync(u => u.SetProperty(x => x.DisplayName, "欧阳明月"), Ct));
            residents.Add(resident.UserName);
        }

        foreach (var (limited, resident) in new[] { ("property01", residents[0]), ("micro01", residents[1]) })
        {
            using var client = await app.ClientForAsync(limited);
            var listed = (await client.GetFromJsonAsync<JsonElement>("/api/users", Ct)).EnumerateArray()
                .Single(u => u.GetProperty("userName").GetString() == resident);
            var searched = await client.GetFromJsonAsync<JsonElement>($"/api/users?q={Uri.EscapeDataString("欧阳明月")}", Ct);

            Assert.Equal("欧***", listed.GetProperty("displayName").GetString());
            Assert.DoesNotContain(searched.EnumerateArray(), u => u.GetProperty("userName").GetString() == resident);
        }

        using var ops = await app.ClientForAsync("ops");
        var all = (await ops.GetFromJsonAsync<JsonElement>("/api/users", Ct)).EnumerateArray().ToList();
        Assert.All(residents, r => Assert.Equal("欧阳明月", all.Single(u => u.GetProperty("userName").GetString() == r).GetProperty("displayName").GetString()));
    }

    [Fact]
    public void EveryEndpoint_IsInTheMatrix()
    {
        var covered = TargetEndpoints.Concat(ListEndpoints).Concat(SelfEndpoints).Concat(RoleEndpoints).Concat(CaseVerbEndpoints)
            .Concat(CoveredByCaseTests).Concat(Open311Endpoints).Concat(CoveredByDeviceTests).Concat(CoveredByAccountTests).Concat(CoveredByOrganisationTests).Concat(CoveredByBriefingTests).Concat(CoveredBySignInTests).Concat(CoveredByRosterTests).Concat(CoveredByPatrolTests).Concat(CoveredByHouseholdTests).Concat(CoveredByGridAffairsTests).Concat(CoveredByAssessmentTests).Concat(CoveredByAssessmentRunTests).Concat(CoveredByAppealTests).Concat(CoveredByFieldWorkTests).Concat(CoveredByCouncilTests).Concat(CoveredByDashboardTests).Concat(CoveredByBasemapTests).Concat(CoveredBySupportTests).Concat(CoveredByDutyTests).Concat(CoveredByBroadcastTests).Concat(CoveredByWeChatTests).Concat(CoveredByResidentTests);
        var endpoints = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api", StringComparison.Ordinal) == true
                || e.RoutePattern.RawText?.StartsWith("/open311", StringComparison.Ordinal) == true
                || e.RoutePattern.RawText == "/metrics")
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["*"]).Select(m => $"{m} {e.RoutePattern.RawText!.TrimEnd('/')}"))
            .ToList();

        Assert.NotEmpty(endpoints);
        Assert.All(endpoints, e => Assert.True(covered.Contains(e), $"{e} is not in the scope matrix: add it to ScopeMatrixTests"));
    }

    private Task<string> FirstCommunityUnderAsync(string code) => app.WithDatabaseAsync(db => db.Grids
        .Where(g => g.Code.StartsWith(code) && g.Level == GridLevel.Community).OrderBy(g => g.Code).Select(g => g.Code).FirstAsync(Ct));

    /// <summary>One lesson inside the caller's subtree and one in the other subdistrict, so the list has both to tell apart.</summary>
    private Task<int> SeedLessonsAsync(Scope scope) => app.WithDatabaseAsync(async db =>
    {
        var node = scope.Code.Length == 0 ? MainSubdistrict : scope.Code;
        foreach (var root in new[] { node, OtherOf(node) })
        {
            var to = await db.Grids.Where(g => g.Code.StartsWith(root) && g.Code.Length >= GridCodes.CommunityLength && g.Kind == GridKind.Territorial)
                .OrderBy(g => g.Code).Select(g => g.Code).FirstAsync(Ct);
            db.RoutingOverrides.Add(new Domain.Routing.RoutingOverride(Domain.Routing.OverrideSubject.Address, "矩阵列表路" + Guid.NewGuid().ToString("N")[..6],
                null, to, "矩阵测试", null, null, DateTimeOffset.UtcNow));
        }

        return await db.SaveChangesAsync(Ct);
    });

    /// <summary>A device inside the scope node and one in the same place of the other subdistrict.</summary>
    private Task<int> SeedDevicesAsync(Scope scope) => app.WithDatabaseAsync(async db =>
    {
        var node = scope.Code.Length == 0 ? MainSubdistrict : scope.Code;
        foreach (var root in new[] { node, OtherOf(node) })
        {
            var grid = await db.Grids.Where(g => g.Code.StartsWith(root) && g.Code.Length >= GridCodes.CommunityLength && g.Kind == GridKind.Territorial)
                .OrderBy(g => g.Code).FirstAsync(Ct);
            var at = grid.Boundary.InteriorPoint;
            db.Devices.Add(new Features.Devices.Device("MX-" + Guid.NewGuid().ToString("N")[..12], Features.Devices.DeviceKind.Camera, "矩阵测试摄像头",
                "DS-2CD", "矩阵测试", at.X, at.Y, grid.Code, "not-a-secret", DateTimeOffset.UtcNow));
        }

        return await db.SaveChangesAsync(Ct);
    });

    /// <summary>A grid code at the given relation to the scope node.</summary>
    private async Task<string> TargetNodeAsync(Scope scope, Relation relation)
    {
        // Whole-tree users have no node of their own to point at; their "own" is the demo subdistrict.
        var node = scope.Code.Length == 0 ? MainSubdistrict : scope.Code;
        return relation switch
        {
            Relation.Own => node,
            Relation.Parent => GridCodes.ParentCodeOf(node) ?? throw new InvalidOperationException($"{node} has no parent"),
            Relation.Sibling => await app.WithDatabaseAsync(db => db.Grids.IgnoreQueryFilters()
                .Where(g => g.ParentCode == GridCodes.ParentCodeOf(node) && g.Code != node && g.Kind == GridKind.Territorial)
                .OrderBy(g => g.Code).Select(g => g.Code).FirstAsync(Ct)),
            Relation.OtherSubdistrict => await app.WithDatabaseAsync(db => db.Grids.IgnoreQueryFilters()
                .Where(g => g.Code.StartsWith(OtherOf(node)) && g.Code.Length == node.Length)
                .OrderBy(g => g.Code).Select(g => g.Code).FirstAsync(Ct)),
            _ => throw new ArgumentOutOfRangeException(nameof(relation)),
        };
    }

    /// <summary>The key of a compound or case at the given relation to the caller.</summary>
    private async Task<string> TargetAsync(Scope scope, Relation relation, Func<CivicGridDbContext, IQueryable<Located>> source)
    {
        var all = await app.WithDatabaseAsync(db => source(db).ToListAsync(Ct));
        if (scope.OwnRecordsOnly)
        {
            // A resident's own records are the ones they reported; anything else is someone else's.
            var mine = all.Where(x => x.Owner == scope.UserId).ToList();
            return relation == Relation.Own
                ? (mine.FirstOrDefault() ?? all.First(x => x.Owner is null)).Key
                : all.First(x => x.Owner != scope.UserId && x.GridCode.StartsWith(relation == Relation.OtherSubdistrict ? OtherSubdistrictCode : MainSubdistrict, StringComparison.Ordinal)).Key;
        }

        switch (relation)
        {
            case Relation.Own when scope.OwnCasesOnly && all.FirstOrDefault(x => x.Owner == scope.UserId) is { } reported:
                // Property staff and volunteers reach only what they reported or were given (ADR 0026): their own report.
                return reported.Key;
            case Relation.Own:
                return all.First(x => scope.Covers(x.GridCode)).Key;
            case Relation.OtherSubdistrict:
                return all.First(x => x.GridCode.StartsWith(OtherOf(scope.Code), StringComparison.Ordinal)).Key;
            default:
                // The nearest record outside the subtree: under the parent, else the grandparent…
                for (var ancestor = GridCodes.ParentCodeOf(scope.Code); ancestor is not null; ancestor = GridCodes.ParentCodeOf(ancestor))
                {
                    var near = all.FirstOrDefault(x => x.GridCode.StartsWith(ancestor, StringComparison.Ordinal) && !scope.Covers(x.GridCode));
                    if (near is not null)
                    {
                        return near.Key;
                    }
                }

                throw new InvalidOperationException($"No record outside {scope.Code}");
        }
    }

    private static string OtherOf(string code) =>
        code.StartsWith(OtherSubdistrictCode, StringComparison.Ordinal) ? MainSubdistrict : OtherSubdistrictCode;

    private sealed record Located(string Key, string GridCode, Guid? Owner);
}

public sealed class ScopeMatrixTestsOnSqlite(SqliteApp app) : ScopeMatrixTests(app), IClassFixture<SqliteApp>;

public sealed class ScopeMatrixTestsOnPostgres(PostgresApp app) : ScopeMatrixTests(app), IClassFixture<PostgresApp>;
