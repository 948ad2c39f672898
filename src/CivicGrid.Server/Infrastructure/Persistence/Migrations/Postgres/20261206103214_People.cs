using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CivicGrid.Server.Infrastructure.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class People : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "DeactivatedAt",
                table: "users",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "MustChangePassword",
                table: "users",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<Guid>(
                name: "TrustedDeviceId",
                table: "user_sessions",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "CompoundId",
                table: "organisations",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "IsRedProperty",
                table: "organisations",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<Guid>(
                name: "ParentId",
                table: "organisations",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "RetiredAt",
                table: "organisations",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "RetiredBy",
                table: "organisations",
                type: "uuid",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "briefings",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Title = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Body = table.Column<string>(type: "character varying(5000)", maxLength: 5000, nullable: false),
                    AttachmentUrl = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    RequiresConfirmation = table.Column<bool>(type: "boolean", nullable: false),
                    DueAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    ScopeCode = table.Column<string>(type: "character varying(18)", maxLength: 18, nullable: false),
                    SenderId = table.Column<Guid>(type: "uuid", nullable: false),
                    SenderName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    SentAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    AudienceGridCodes = table.Column<List<string>>(type: "text[]", nullable: false),
                    AudienceKinds = table.Column<int[]>(type: "integer[]", nullable: false),
                    AudienceOrganisationIds = table.Column<List<Guid>>(type: "uuid[]", nullable: false),
                    LastRemindedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_briefings", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "liaison_attachments",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    UserId = table.Column<Guid>(type: "uuid", nullable: false),
                    DepartmentId = table.Column<Guid>(type: "uuid", nullable: false),
                    GridCode = table.Column<string>(type: "character varying(18)", maxLength: 18, nullable: false),
                    StartsOn = table.Column<DateOnly>(type: "date", nullable: false),
                    EndsOn = table.Column<DateOnly>(type: "date", nullable: true),
                    CreatedBy = table.Column<Guid>(type: "uuid", nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_liaison_attachments", x => x.Id);
                    table.ForeignKey(
                        name: "FK_liaison_attachments_organisations_DepartmentId",
                        column: x => x.DepartmentId,
                        principalTable: "organisations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_liaison_attachments_users_UserId",
                        column: x => x.UserId,
                        principalTable: "users",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "role_grant_requests",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    UserId = table.Column<Guid>(type: "uuid", nullable: false),
                    Roles = table.Column<int[]>(type: "integer[]", nullable: false),
                    ScopeCode = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    ActivatesAccount = table.Column<bool>(type: "boolean", nullable: false),
                    RequestedBy = table.Column<Guid>(type: "uuid", nullable: false),
                    RequestedByName = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    RequestedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Status = table.Column<int>(type: "integer", nullable: false),
                    DecidedBy = table.Column<Guid>(type: "uuid", nullable: true),
                    DecidedByName = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    DecidedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Note = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_role_grant_requests", x => x.Id);
                    table.ForeignKey(
                        name: "FK_role_grant_requests_users_UserId",
                        column: x => x.UserId,
                        principalTable: "users",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "roster_members",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Name = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    Phone = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    AgeBand = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    CommunityCode = table.Column<string>(type: "character varying(12)", maxLength: 12, nullable: false),
                    UserId = table.Column<Guid>(type: "uuid", nullable: true),
                    OrganisationId = table.Column<Guid>(type: "uuid", nullable: true),
                    JoinedOn = table.Column<DateOnly>(type: "date", nullable: false),
                    LeftOn = table.Column<DateOnly>(type: "date", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_roster_members", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "second_factors",
                columns: table => new
                {
                    UserId = table.Column<Guid>(type: "uuid", nullable: false),
                    ProtectedSecret = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    EnrolledAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    LastUsedStep = table.Column<long>(type: "bigint", nullable: false),
                    MustEnrol = table.Column<bool>(type: "boolean", nullable: false),
                    ResetAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    ResetBy = table.Column<Guid>(type: "uuid", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_second_factors", x => x.UserId);
                    table.ForeignKey(
                        name: "FK_second_factors_users_UserId",
                        column: x => x.UserId,
                        principalTable: "users",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "security_audit_head",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false),
                    LastSequence = table.Column<long>(type: "bigint", nullable: false),
                    LastHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_security_audit_head", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "security_events",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Sequence = table.Column<long>(type: "bigint", nullable: false),
                    At = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Kind = table.Column<int>(type: "integer", nullable: false),
                    Outcome = table.Column<int>(type: "integer", nullable: false),
                    ActorId = table.Column<Guid>(type: "uuid", nullable: true),
                    ActorName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    SubjectKind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    SubjectId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    SubjectName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    ScopeCode = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    ClientAddress = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    Detail = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    PreviousHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_security_events", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "sign_in_challenges",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Step = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    UseCookie = table.Column<bool>(type: "boolean", nullable: false),
                    UserId = table.Column<Guid>(type: "uuid", nullable: false),
                    TokenHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ExpiresAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UsedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_sign_in_challenges", x => x.Id);
                    table.ForeignKey(
                        name: "FK_sign_in_challenges_users_UserId",
                        column: x => x.UserId,
                        principalTable: "users",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "sign_in_codes",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    IssuedBy = table.Column<Guid>(type: "uuid", nullable: false),
                    UserId = table.Column<Guid>(type: "uuid", nullable: false),
                    TokenHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ExpiresAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UsedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_sign_in_codes", x => x.Id);
                    table.ForeignKey(
                        name: "FK_sign_in_codes_users_UserId",
                        column: x => x.UserId,
                        principalTable: "users",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "training_courses",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Title = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Hours = table.Column<decimal>(type: "numeric(5,1)", precision: 5, scale: 1, nullable: false),
                    PassMark = table.Column<int>(type: "integer", nullable: false),
                    RequiredForWorkId = table.Column<bool>(type: "boolean", nullable: false),
                    ScopeCode = table.Column<string>(type: "character varying(18)", maxLength: 18, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_training_courses", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "trusted_devices",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    UserId = table.Column<Guid>(type: "uuid", nullable: false),
                    ScopeCode = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Label = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    LastSeenAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ExpiresAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    RevokedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    RevokedBy = table.Column<Guid>(type: "uuid", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_trusted_devices", x => x.Id);
                    table.ForeignKey(
                        name: "FK_trusted_devices_users_UserId",
                        column: x => x.UserId,
                        principalTable: "users",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "briefing_recipients",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    BriefingId = table.Column<Guid>(type: "uuid", nullable: false),
                    BriefingScopeCode = table.Column<string>(type: "character varying(18)", maxLength: 18, nullable: false),
                    UserId = table.Column<Guid>(type: "uuid", nullable: false),
                    DisplayName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    ScopeCode = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    OrganisationId = table.Column<Guid>(type: "uuid", nullable: true),
                    Roles = table.Column<int[]>(type: "integer[]", nullable: false),
                    FirstOpenedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    ConfirmedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    ReminderCount = table.Column<int>(type: "integer", nullable: false),
                    LastRemindedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_briefing_recipients", x => x.Id);
                    table.ForeignKey(
                        name: "FK_briefing_recipients_briefings_BriefingId",
                        column: x => x.BriefingId,
                        principalTable: "briefings",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "roster_assignments",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    MemberId = table.Column<Guid>(type: "uuid", nullable: false),
                    GridCode = table.Column<string>(type: "character varying(18)", maxLength: 18, nullable: false),
                    Kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    StartOn = table.Column<DateOnly>(type: "date", nullable: false),
                    EndOn = table.Column<DateOnly>(type: "date", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_roster_assignments", x => x.Id);
                    table.ForeignKey(
                        name: "FK_roster_assignments_roster_members_MemberId",
                        column: x => x.MemberId,
                        principalTable: "roster_members",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "work_ids",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    MemberId = table.Column<Guid>(type: "uuid", nullable: false),
                    CommunityCode = table.Column<string>(type: "character varying(12)", maxLength: 12, nullable: false),
                    Number = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    VerifyToken = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    PhotoId = table.Column<Guid>(type: "uuid", nullable: true),
                    ValidFrom = table.Column<DateOnly>(type: "date", nullable: false),
                    ValidUntil = table.Column<DateOnly>(type: "date", nullable: false),
                    IssuedBy = table.Column<Guid>(type: "uuid", nullable: false),
                    IssuedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    RevokedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    RevokedReason = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_work_ids", x => x.Id);
                    table.ForeignKey(
                        name: "FK_work_ids_roster_members_MemberId",
                        column: x => x.MemberId,
                        principalTable: "roster_members",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "second_factor_recovery_codes",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    UserId = table.Column<Guid>(type: "uuid", nullable: false),
                    CodeHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UsedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_second_factor_recovery_codes", x => x.Id);
                    table.ForeignKey(
                        name: "FK_second_factor_recovery_codes_second_factors_UserId",
                        column: x => x.UserId,
                        principalTable: "second_factors",
                        principalColumn: "UserId",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "training_sessions",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    CourseId = table.Column<Guid>(type: "uuid", nullable: false),
                    HeldOn = table.Column<DateOnly>(type: "date", nullable: false),
                    Place = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Trainer = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    ScopeCode = table.Column<string>(type: "character varying(18)", maxLength: 18, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_training_sessions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_training_sessions_training_courses_CourseId",
                        column: x => x.CourseId,
                        principalTable: "training_courses",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "training_attendance",
                columns: table => new
                {
                    SessionId = table.Column<Guid>(type: "uuid", nullable: false),
                    MemberId = table.Column<Guid>(type: "uuid", nullable: false),
                    CommunityCode = table.Column<string>(type: "character varying(12)", maxLength: 12, nullable: false),
                    Attended = table.Column<bool>(type: "boolean", nullable: false),
                    Score = table.Column<int>(type: "integer", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_training_attendance", x => new { x.SessionId, x.MemberId });
                    table.ForeignKey(
                        name: "FK_training_attendance_roster_members_MemberId",
                        column: x => x.MemberId,
                        principalTable: "roster_members",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_training_attendance_training_sessions_SessionId",
                        column: x => x.SessionId,
                        principalTable: "training_sessions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.InsertData(
                table: "security_audit_head",
                columns: new[] { "Id", "LastHash", "LastSequence" },
                values: new object[] { 1, "", 0L });

            migrationBuilder.CreateIndex(
                name: "IX_organisations_CompoundId",
                table: "organisations",
                column: "CompoundId");

            migrationBuilder.CreateIndex(
                name: "IX_organisations_ParentId",
                table: "organisations",
                column: "ParentId");

            migrationBuilder.CreateIndex(
                name: "IX_organisations_RetiredBy",
                table: "organisations",
                column: "RetiredBy");

            migrationBuilder.CreateIndex(
                name: "IX_organisations_ScopeCode_Name",
                table: "organisations",
                columns: new[] { "ScopeCode", "Name" });

            migrationBuilder.CreateIndex(
                name: "IX_briefing_recipients_BriefingId_UserId",
                table: "briefing_recipients",
                columns: new[] { "BriefingId", "UserId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_briefing_recipients_UserId",
                table: "briefing_recipients",
                column: "UserId");

            migrationBuilder.CreateIndex(
                name: "IX_briefings_DueAt",
                table: "briefings",
                column: "DueAt");

            migrationBuilder.CreateIndex(
                name: "IX_briefings_ScopeCode_SentAt",
                table: "briefings",
                columns: new[] { "ScopeCode", "SentAt" });

            migrationBuilder.CreateIndex(
                name: "IX_liaison_attachments_DepartmentId_EndsOn",
                table: "liaison_attachments",
                columns: new[] { "DepartmentId", "EndsOn" });

            migrationBuilder.CreateIndex(
                name: "IX_liaison_attachments_GridCode",
                table: "liaison_attachments",
                column: "GridCode");

            migrationBuilder.CreateIndex(
                name: "IX_liaison_attachments_UserId_GridCode",
                table: "liaison_attachments",
                columns: new[] { "UserId", "GridCode" });

            migrationBuilder.CreateIndex(
                name: "IX_role_grant_requests_Status_RequestedAt",
                table: "role_grant_requests",
                columns: new[] { "Status", "RequestedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_role_grant_requests_UserId",
                table: "role_grant_requests",
                column: "UserId");

            migrationBuilder.CreateIndex(
                name: "IX_roster_assignments_GridCode_EndOn",
                table: "roster_assignments",
                columns: new[] { "GridCode", "EndOn" });

            migrationBuilder.CreateIndex(
                name: "IX_roster_assignments_MemberId",
                table: "roster_assignments",
                column: "MemberId");

            migrationBuilder.CreateIndex(
                name: "IX_roster_members_CommunityCode_Phone",
                table: "roster_members",
                columns: new[] { "CommunityCode", "Phone" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_roster_members_UserId",
                table: "roster_members",
                column: "UserId");

            migrationBuilder.CreateIndex(
                name: "IX_second_factor_recovery_codes_UserId",
                table: "second_factor_recovery_codes",
                column: "UserId");

            migrationBuilder.CreateIndex(
                name: "IX_security_events_ActorId_At",
                table: "security_events",
                columns: new[] { "ActorId", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_security_events_At",
                table: "security_events",
                column: "At");

            migrationBuilder.CreateIndex(
                name: "IX_security_events_Kind_At",
                table: "security_events",
                columns: new[] { "Kind", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_security_events_Sequence",
                table: "security_events",
                column: "Sequence",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_sign_in_challenges_ExpiresAt",
                table: "sign_in_challenges",
                column: "ExpiresAt");

            migrationBuilder.CreateIndex(
                name: "IX_sign_in_challenges_TokenHash",
                table: "sign_in_challenges",
                column: "TokenHash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_sign_in_challenges_UserId",
                table: "sign_in_challenges",
                column: "UserId");

            migrationBuilder.CreateIndex(
                name: "IX_sign_in_codes_ExpiresAt",
                table: "sign_in_codes",
                column: "ExpiresAt");

            migrationBuilder.CreateIndex(
                name: "IX_sign_in_codes_TokenHash",
                table: "sign_in_codes",
                column: "TokenHash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_sign_in_codes_UserId",
                table: "sign_in_codes",
                column: "UserId");

            migrationBuilder.CreateIndex(
                name: "IX_training_attendance_MemberId",
                table: "training_attendance",
                column: "MemberId");

            migrationBuilder.CreateIndex(
                name: "IX_training_courses_ScopeCode",
                table: "training_courses",
                column: "ScopeCode");

            migrationBuilder.CreateIndex(
                name: "IX_training_sessions_CourseId",
                table: "training_sessions",
                column: "CourseId");

            migrationBuilder.CreateIndex(
                name: "IX_training_sessions_ScopeCode_HeldOn",
                table: "training_sessions",
                columns: new[] { "ScopeCode", "HeldOn" });

            migrationBuilder.CreateIndex(
                name: "IX_trusted_devices_ScopeCode",
                table: "trusted_devices",
                column: "ScopeCode");

            migrationBuilder.CreateIndex(
                name: "IX_trusted_devices_UserId",
                table: "trusted_devices",
                column: "UserId");

            migrationBuilder.CreateIndex(
                name: "IX_work_ids_CommunityCode_ValidUntil",
                table: "work_ids",
                columns: new[] { "CommunityCode", "ValidUntil" });

            migrationBuilder.CreateIndex(
                name: "IX_work_ids_MemberId",
                table: "work_ids",
                column: "MemberId");

            migrationBuilder.CreateIndex(
                name: "IX_work_ids_Number",
                table: "work_ids",
                column: "Number",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_work_ids_VerifyToken",
                table: "work_ids",
                column: "VerifyToken",
                unique: true);

            migrationBuilder.AddForeignKey(
                name: "FK_organisations_compounds_CompoundId",
                table: "organisations",
                column: "CompoundId",
                principalTable: "compounds",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_organisations_organisations_ParentId",
                table: "organisations",
                column: "ParentId",
                principalTable: "organisations",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_organisations_users_RetiredBy",
                table: "organisations",
                column: "RetiredBy",
                principalTable: "users",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);
            migrationBuilder.Sql(CivicGrid.Server.Features.Audit.SecurityAuditStorage.AppendOnlySql(postgres: true));
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_organisations_compounds_CompoundId",
                table: "organisations");

            migrationBuilder.DropForeignKey(
                name: "FK_organisations_organisations_ParentId",
                table: "organisations");

            migrationBuilder.DropForeignKey(
                name: "FK_organisations_users_RetiredBy",
                table: "organisations");

            migrationBuilder.DropTable(
                name: "briefing_recipients");

            migrationBuilder.DropTable(
                name: "liaison_attachments");

            migrationBuilder.DropTable(
                name: "role_grant_requests");

            migrationBuilder.DropTable(
                name: "roster_assignments");

            migrationBuilder.DropTable(
                name: "second_factor_recovery_codes");

            migrationBuilder.DropTable(
                name: "security_audit_head");

            migrationBuilder.DropTable(
                name: "security_events");

            migrationBuilder.DropTable(
                name: "sign_in_challenges");

            migrationBuilder.DropTable(
                name: "sign_in_codes");

            migrationBuilder.DropTable(
                name: "training_attendance");

            migrationBuilder.DropTable(
                name: "trusted_devices");

            migrationBuilder.DropTable(
                name: "work_ids");

            migrationBuilder.DropTable(
                name: "briefings");

            migrationBuilder.DropTable(
                name: "second_factors");

            migrationBuilder.DropTable(
                name: "training_sessions");

            migrationBuilder.DropTable(
                name: "roster_members");

            migrationBuilder.DropTable(
                name: "training_courses");

            migrationBuilder.DropIndex(
                name: "IX_organisations_CompoundId",
                table: "organisations");

            migrationBuilder.DropIndex(
                name: "IX_organisations_ParentId",
                table: "organisations");

            migrationBuilder.DropIndex(
                name: "IX_organisations_RetiredBy",
                table: "organisations");

            migrationBuilder.DropIndex(
                name: "IX_organisations_ScopeCode_Name",
                table: "organisations");

            migrationBuilder.DropColumn(
                name: "DeactivatedAt",
                table: "users");

            migrationBuilder.DropColumn(
                name: "MustChangePassword",
                table: "users");

            migrationBuilder.DropColumn(
                name: "TrustedDeviceId",
                table: "user_sessions");

            migrationBuilder.DropColumn(
                name: "CompoundId",
                table: "organisations");

            migrationBuilder.DropColumn(
                name: "IsRedProperty",
                table: "organisations");

            migrationBuilder.DropColumn(
                name: "ParentId",
                table: "organisations");

            migrationBuilder.DropColumn(
                name: "RetiredAt",
                table: "organisations");

            migrationBuilder.DropColumn(
                name: "RetiredBy",
                table: "organisations");
        }
    }
}
