using System;
using Microsoft.EntityFrameworkCore.Migrations;
using NetTopologySuite.Geometries;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace CivicGrid.Server.Infrastructure.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterDatabase()
                .Annotation("Npgsql:PostgresExtension:postgis", ",,");

            migrationBuilder.CreateTable(
                name: "api_keys",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Prefix = table.Column<string>(type: "character varying(12)", maxLength: 12, nullable: false),
                    Hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    JurisdictionCode = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    CreatedBy = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    RevokedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_api_keys", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "case_categories",
                columns: table => new
                {
                    Code = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    MajorCode = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    MajorName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    DefaultTier = table.Column<int>(type: "integer", nullable: false),
                    TimeLimit = table.Column<int>(type: "integer", nullable: false),
                    TimeLimitUnit = table.Column<int>(type: "integer", nullable: false),
                    ResponsibleDepartmentCode = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    AcceptanceCondition = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    ClosingCondition = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    PhotoRequired = table.Column<bool>(type: "boolean", nullable: false),
                    IsActive = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_case_categories", x => x.Code);
                });

            migrationBuilder.CreateTable(
                name: "case_number_counters",
                columns: table => new
                {
                    Day = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    Last = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_case_number_counters", x => x.Day);
                });

            migrationBuilder.CreateTable(
                name: "device_alarm_types",
                columns: table => new
                {
                    Code = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    CategoryCode = table.Column<string>(type: "character varying(5)", maxLength: 5, nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    UpdatedBy = table.Column<Guid>(type: "uuid", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_device_alarm_types", x => x.Code);
                });

            migrationBuilder.CreateTable(
                name: "device_nonces",
                columns: table => new
                {
                    DeviceId = table.Column<Guid>(type: "uuid", nullable: false),
                    Nonce = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    ExpiresAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_device_nonces", x => new { x.DeviceId, x.Nonce });
                });

            migrationBuilder.CreateTable(
                name: "devices",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Code = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Model = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Owner = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Lon = table.Column<double>(type: "double precision", nullable: false),
                    Lat = table.Column<double>(type: "double precision", nullable: false),
                    GridCode = table.Column<string>(type: "character varying(18)", maxLength: 18, nullable: false),
                    ProtectedSecret = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    RegisteredAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    LastHeartbeatAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    OfflineReportedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    IsActive = table.Column<bool>(type: "boolean", nullable: false),
                    RetiredAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    RetiredBy = table.Column<Guid>(type: "uuid", nullable: true),
                    RetiredReason = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_devices", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "grid_versions",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Code = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Level = table.Column<int>(type: "integer", nullable: false),
                    Kind = table.Column<int>(type: "integer", nullable: false),
                    ParentCode = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    Boundary = table.Column<Geometry>(type: "geometry(Geometry,4326)", nullable: false),
                    MinLon = table.Column<double>(type: "double precision", nullable: false),
                    MinLat = table.Column<double>(type: "double precision", nullable: false),
                    MaxLon = table.Column<double>(type: "double precision", nullable: false),
                    MaxLat = table.Column<double>(type: "double precision", nullable: false),
                    Households = table.Column<int>(type: "integer", nullable: true),
                    ValidFrom = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ValidTo = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_grid_versions", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "grids",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Code = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Level = table.Column<int>(type: "integer", nullable: false),
                    Kind = table.Column<int>(type: "integer", nullable: false),
                    ParentCode = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    Boundary = table.Column<Geometry>(type: "geometry(Geometry,4326)", nullable: false),
                    MinLon = table.Column<double>(type: "double precision", nullable: false),
                    MinLat = table.Column<double>(type: "double precision", nullable: false),
                    MaxLon = table.Column<double>(type: "double precision", nullable: false),
                    MaxLat = table.Column<double>(type: "double precision", nullable: false),
                    Households = table.Column<int>(type: "integer", nullable: true),
                    ValidFrom = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_grids", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "hotline_mappings",
                columns: table => new
                {
                    Name = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    OrderNumberColumn = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    CalledAtColumn = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    CallerNameColumn = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    PhoneColumn = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    AddressColumn = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    ContentColumn = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    CategoryColumn = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Categories = table.Column<string>(type: "text", nullable: false),
                    DefaultCategoryCode = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_hotline_mappings", x => x.Name);
                });

            migrationBuilder.CreateTable(
                name: "idempotency_records",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Caller = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Key = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    Fingerprint = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    State = table.Column<int>(type: "integer", nullable: false),
                    StatusCode = table.Column<int>(type: "integer", nullable: true),
                    ContentType = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    Location = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: true),
                    ResponseBody = table.Column<byte[]>(type: "bytea", nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    CompletedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    ExpiresAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_idempotency_records", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "job_marks",
                columns: table => new
                {
                    Key = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_job_marks", x => x.Key);
                });

            migrationBuilder.CreateTable(
                name: "joint_meetings",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    SubdistrictCode = table.Column<string>(type: "character varying(9)", maxLength: 9, nullable: false),
                    Title = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    HeldAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Place = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Participants = table.Column<string>(type: "text", nullable: false),
                    Summary = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    RecordedBy = table.Column<Guid>(type: "uuid", nullable: false),
                    RecordedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    CaseNumbers = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_joint_meetings", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "open311_requests",
                columns: table => new
                {
                    CaseNumber = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    ApiKeyId = table.Column<Guid>(type: "uuid", nullable: false),
                    MediaUrl = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: true),
                    ReceivedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_open311_requests", x => x.CaseNumber);
                });

            migrationBuilder.CreateTable(
                name: "organisations",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Code = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Kind = table.Column<int>(type: "integer", nullable: false),
                    ScopeCode = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    ContactPhone = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_organisations", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "outbox_messages",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    MessageId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Channel = table.Column<int>(type: "integer", nullable: false),
                    Recipient = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    TemplateCode = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    ParametersJson = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    CaseNumber = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    State = table.Column<int>(type: "integer", nullable: false),
                    Attempts = table.Column<int>(type: "integer", nullable: false),
                    NextAttemptAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    LeaseOwner = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    LeaseUntil = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    SentAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    FailedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    LastError = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_outbox_messages", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "personal_data_reveals",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    At = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UserId = table.Column<Guid>(type: "uuid", nullable: false),
                    UserName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    CaseId = table.Column<Guid>(type: "uuid", nullable: false),
                    CaseNumber = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    GridCode = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Fields = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    ClientIp = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    Reason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    Outcome = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false, defaultValue: "revealed")
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_personal_data_reveals", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "routing_overrides",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Subject = table.Column<int>(type: "integer", nullable: false),
                    SubjectKey = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    FromGridCode = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    ToGridCode = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Reason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    TaughtBy = table.Column<Guid>(type: "uuid", nullable: true),
                    CaseNumber = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    WithdrawnAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_routing_overrides", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "scheduled_jobs",
                columns: table => new
                {
                    Name = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    NextRunAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    LeaseOwner = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    LeaseUntil = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    LastStartedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    LastFinishedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    LastResult = table.Column<int>(type: "integer", nullable: true),
                    LastError = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    RunCount = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_scheduled_jobs", x => x.Name);
                });

            migrationBuilder.CreateTable(
                name: "system_settings",
                columns: table => new
                {
                    Key = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Json = table.Column<string>(type: "text", nullable: false),
                    UpdatedBy = table.Column<Guid>(type: "uuid", nullable: true),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_system_settings", x => x.Key);
                });

            migrationBuilder.CreateTable(
                name: "device_cases",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    DeviceId = table.Column<Guid>(type: "uuid", nullable: false),
                    AlarmType = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    CaseId = table.Column<Guid>(type: "uuid", nullable: false),
                    CaseNumber = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    OpenedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    IsOpen = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_device_cases", x => x.Id);
                    table.ForeignKey(
                        name: "FK_device_cases_devices_DeviceId",
                        column: x => x.DeviceId,
                        principalTable: "devices",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "compounds",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Code = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Address = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    GridCode = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Boundary = table.Column<Geometry>(type: "geometry(Geometry,4326)", nullable: false),
                    PropertyCompanyId = table.Column<Guid>(type: "uuid", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_compounds", x => x.Id);
                    table.ForeignKey(
                        name: "FK_compounds_organisations_PropertyCompanyId",
                        column: x => x.PropertyCompanyId,
                        principalTable: "organisations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "users",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    UserName = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    NormalizedUserName = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    DisplayName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    PhoneNumber = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    PasswordHash = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    Roles = table.Column<int[]>(type: "integer[]", nullable: false),
                    ScopeCode = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    OrganisationId = table.Column<Guid>(type: "uuid", nullable: true),
                    IsActive = table.Column<bool>(type: "boolean", nullable: false),
                    FailedLoginCount = table.Column<int>(type: "integer", nullable: false),
                    LockedUntil = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    LastLoginAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    PasswordChangedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_users", x => x.Id);
                    table.ForeignKey(
                        name: "FK_users_organisations_OrganisationId",
                        column: x => x.OrganisationId,
                        principalTable: "organisations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "buildings",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Code = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Address = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    GridCode = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    CompoundId = table.Column<Guid>(type: "uuid", nullable: true),
                    Location = table.Column<Point>(type: "geometry(Point,4326)", nullable: false),
                    Footprint = table.Column<Polygon>(type: "geometry(Polygon,4326)", nullable: true),
                    Floors = table.Column<int>(type: "integer", nullable: false),
                    Households = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_buildings", x => x.Id);
                    table.ForeignKey(
                        name: "FK_buildings_compounds_CompoundId",
                        column: x => x.CompoundId,
                        principalTable: "compounds",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "case_followers",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    CaseNumber = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    SourceCaseNumber = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    UserId = table.Column<Guid>(type: "uuid", nullable: true),
                    Phone = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_case_followers", x => x.Id);
                    table.ForeignKey(
                        name: "FK_case_followers_users_UserId",
                        column: x => x.UserId,
                        principalTable: "users",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "cases",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Number = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    CategoryCode = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Title = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Description = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    Location = table.Column<Point>(type: "geometry(Point,4326)", nullable: false),
                    GridCode = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Tier = table.Column<int>(type: "integer", nullable: false),
                    Status = table.Column<int>(type: "integer", nullable: false),
                    Channel = table.Column<int>(type: "integer", nullable: false),
                    ReporterId = table.Column<Guid>(type: "uuid", nullable: true),
                    ReporterPhone = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    ReportedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Address = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    BuildingCode = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    CompoundCode = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    ExternalSource = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    ExternalNumber = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    ClosedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Rating = table.Column<int>(type: "integer", nullable: true),
                    Version = table.Column<int>(type: "integer", nullable: false),
                    AssigneeUserId = table.Column<Guid>(type: "uuid", nullable: true),
                    AssigneeDepartmentId = table.Column<Guid>(type: "uuid", nullable: true),
                    AssigneeName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    DueAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    HandledBy = table.Column<Guid>(type: "uuid", nullable: true),
                    HandledAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    VerifiedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    EvaluationComment = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    EvaluatedAutomatically = table.Column<bool>(type: "boolean", nullable: false),
                    ReopenCount = table.Column<int>(type: "integer", nullable: false),
                    ParkedUntil = table.Column<DateOnly>(type: "date", nullable: true),
                    StatusBeforeParking = table.Column<int>(type: "integer", nullable: true),
                    MergedIntoNumber = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    DistrictRecordId = table.Column<Guid>(type: "uuid", nullable: true),
                    SupervisionCount = table.Column<int>(type: "integer", nullable: false),
                    LocationCandidates = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    LocationConfirmDueAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    SupervisionDueAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    FollowTokenHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    LocationLat = table.Column<double>(type: "double precision", nullable: true),
                    LocationLon = table.Column<double>(type: "double precision", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cases", x => x.Id);
                    table.ForeignKey(
                        name: "FK_cases_case_categories_CategoryCode",
                        column: x => x.CategoryCode,
                        principalTable: "case_categories",
                        principalColumn: "Code",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_cases_users_ReporterId",
                        column: x => x.ReporterId,
                        principalTable: "users",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "notifications",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    UserId = table.Column<Guid>(type: "uuid", nullable: false),
                    SourceKey = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: false),
                    Kind = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    CaseNumber = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    Title = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Body = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ReadAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_notifications", x => x.Id);
                    table.ForeignKey(
                        name: "FK_notifications_users_UserId",
                        column: x => x.UserId,
                        principalTable: "users",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "user_channel_addresses",
                columns: table => new
                {
                    UserId = table.Column<Guid>(type: "uuid", nullable: false),
                    Channel = table.Column<int>(type: "integer", nullable: false),
                    Address = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_user_channel_addresses", x => new { x.UserId, x.Channel });
                    table.ForeignKey(
                        name: "FK_user_channel_addresses_users_UserId",
                        column: x => x.UserId,
                        principalTable: "users",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "user_sessions",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    UserId = table.Column<Guid>(type: "uuid", nullable: false),
                    Channel = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    ClientAddress = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    LastSeenAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ExpiresAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    EndedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_user_sessions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_user_sessions_users_UserId",
                        column: x => x.UserId,
                        principalTable: "users",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "case_location_claims",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    CaseId = table.Column<Guid>(type: "uuid", nullable: false),
                    CaseNumber = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    GridCode = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    IsBest = table.Column<bool>(type: "boolean", nullable: false),
                    Share = table.Column<double>(type: "double precision", nullable: false),
                    Title = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    CategoryCode = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Lon = table.Column<double>(type: "double precision", nullable: false),
                    Lat = table.Column<double>(type: "double precision", nullable: false),
                    ReportedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    DueAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ResolvedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    ResolvedToGridCode = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_case_location_claims", x => x.Id);
                    table.ForeignKey(
                        name: "FK_case_location_claims_cases_CaseId",
                        column: x => x.CaseId,
                        principalTable: "cases",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "case_mediations",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Participants = table.Column<string>(type: "text", nullable: false),
                    HeldOn = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Place = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Outcome = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    RecordedBy = table.Column<Guid>(type: "uuid", nullable: false),
                    CaseId = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_case_mediations", x => x.Id);
                    table.ForeignKey(
                        name: "FK_case_mediations_cases_CaseId",
                        column: x => x.CaseId,
                        principalTable: "cases",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "case_meeting_decisions",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    MeetingId = table.Column<Guid>(type: "uuid", nullable: false),
                    Decision = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    RecordedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    RecordedBy = table.Column<Guid>(type: "uuid", nullable: false),
                    CaseId = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_case_meeting_decisions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_case_meeting_decisions_cases_CaseId",
                        column: x => x.CaseId,
                        principalTable: "cases",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "case_photos",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    CaseId = table.Column<Guid>(type: "uuid", nullable: false),
                    Purpose = table.Column<int>(type: "integer", nullable: false),
                    UploadedBy = table.Column<Guid>(type: "uuid", nullable: true),
                    UploadedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Width = table.Column<int>(type: "integer", nullable: false),
                    Height = table.Column<int>(type: "integer", nullable: false),
                    OriginalFormat = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    OriginalBytes = table.Column<long>(type: "bigint", nullable: false),
                    Sha256OfOriginal = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    EvidenceLon = table.Column<double>(type: "double precision", nullable: true),
                    EvidenceLat = table.Column<double>(type: "double precision", nullable: true),
                    EvidenceAltitudeMeters = table.Column<double>(type: "double precision", nullable: true),
                    EvidenceTakenAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    EvidenceCamera = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_case_photos", x => x.Id);
                    table.ForeignKey(
                        name: "FK_case_photos_cases_CaseId",
                        column: x => x.CaseId,
                        principalTable: "cases",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "case_timeline",
                columns: table => new
                {
                    Sequence = table.Column<int>(type: "integer", nullable: false),
                    CaseId = table.Column<Guid>(type: "uuid", nullable: false),
                    At = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ActorId = table.Column<Guid>(type: "uuid", nullable: false),
                    ActorName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Action = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    FromStatus = table.Column<int>(type: "integer", nullable: true),
                    ToStatus = table.Column<int>(type: "integer", nullable: false),
                    FromTier = table.Column<int>(type: "integer", nullable: false),
                    ToTier = table.Column<int>(type: "integer", nullable: false),
                    FromGridCode = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    ToGridCode = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    Note = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    Details = table.Column<string>(type: "text", nullable: false),
                    AttachmentIds = table.Column<string>(type: "text", nullable: false),
                    IsPublic = table.Column<bool>(type: "boolean", nullable: false),
                    PublicText = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    Hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_case_timeline", x => new { x.CaseId, x.Sequence });
                    table.ForeignKey(
                        name: "FK_case_timeline_cases_CaseId",
                        column: x => x.CaseId,
                        principalTable: "cases",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "district_referrals",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    CaseId = table.Column<Guid>(type: "uuid", nullable: false),
                    CaseNumber = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    SubdistrictCode = table.Column<string>(type: "character varying(9)", maxLength: 9, nullable: false),
                    Summary = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    CreatedBy = table.Column<Guid>(type: "uuid", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Status = table.Column<int>(type: "integer", nullable: false),
                    DeliveredAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Answer = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    AnsweredAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    AnsweredBy = table.Column<Guid>(type: "uuid", nullable: true),
                    RetryRequestedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    RetryRequestedBy = table.Column<Guid>(type: "uuid", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_district_referrals", x => x.Id);
                    table.ForeignKey(
                        name: "FK_district_referrals_cases_CaseId",
                        column: x => x.CaseId,
                        principalTable: "cases",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "district_deliveries",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    ReferralId = table.Column<Guid>(type: "uuid", nullable: false),
                    SubdistrictCode = table.Column<string>(type: "character varying(9)", maxLength: 9, nullable: false),
                    MessageId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Attempt = table.Column<int>(type: "integer", nullable: false),
                    AttemptedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    HttpStatus = table.Column<int>(type: "integer", nullable: true),
                    Error = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    DurationMs = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_district_deliveries", x => x.Id);
                    table.ForeignKey(
                        name: "FK_district_deliveries_district_referrals_ReferralId",
                        column: x => x.ReferralId,
                        principalTable: "district_referrals",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.InsertData(
                table: "hotline_mappings",
                columns: new[] { "Name", "AddressColumn", "CalledAtColumn", "CallerNameColumn", "Categories", "CategoryColumn", "ContentColumn", "DefaultCategoryCode", "OrderNumberColumn", "PhoneColumn", "UpdatedAt" },
                values: new object[] { "default", "诉求地址", "来电时间", "来电人", "{\"\\u4E71\\u505C\\u8F66\":\"E0503\",\"\\u4E95\\u76D6\":\"C0101\",\"\\u4E95\\u76D6\\u7834\\u635F\":\"C0101\",\"\\u52B3\\u8D44\\u7EA0\\u7EB7\":\"G0302\",\"\\u5360\\u9053\\u7ECF\\u8425\":\"E0501\",\"\\u5783\\u573E\":\"E0101\",\"\\u5C0F\\u5E7F\\u544A\":\"E0201\",\"\\u5DE5\\u5730\\u626C\\u5C18\":\"E0302\",\"\\u65BD\\u5DE5\\u6270\\u6C11\":\"E0301\",\"\\u66B4\\u9732\\u5783\\u573E\":\"E0101\",\"\\u6811\\u6728\\u5012\\u4F0F\":\"C0302\",\"\\u6D88\\u9632\\u901A\\u9053\\u5835\\u585E\":\"G0401\",\"\\u7269\\u4E1A\\u7EA0\\u7EB7\":\"G0301\",\"\\u8DEF\\u706F\":\"C0102\",\"\\u8DEF\\u706F\\u4E0D\\u4EAE\":\"C0102\",\"\\u8DEF\\u706F\\u635F\\u574F\":\"C0102\",\"\\u9053\\u8DEF\\u4E0D\\u6D01\":\"E0103\",\"\\u90BB\\u91CC\\u7EA0\\u7EB7\":\"G0101\"}", "诉求类别", "诉求内容", null, "工单编号", "联系电话", new DateTimeOffset(new DateTime(2026, 11, 27, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)) });

            migrationBuilder.CreateIndex(
                name: "IX_api_keys_Hash",
                table: "api_keys",
                column: "Hash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_buildings_Code",
                table: "buildings",
                column: "Code",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_buildings_CompoundId",
                table: "buildings",
                column: "CompoundId");

            migrationBuilder.CreateIndex(
                name: "IX_buildings_GridCode",
                table: "buildings",
                column: "GridCode");

            migrationBuilder.CreateIndex(
                name: "IX_buildings_Location",
                table: "buildings",
                column: "Location")
                .Annotation("Npgsql:IndexMethod", "gist");

            migrationBuilder.CreateIndex(
                name: "IX_case_followers_CaseNumber_SourceCaseNumber",
                table: "case_followers",
                columns: new[] { "CaseNumber", "SourceCaseNumber" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_case_followers_UserId",
                table: "case_followers",
                column: "UserId");

            migrationBuilder.CreateIndex(
                name: "IX_case_location_claims_CaseId_GridCode",
                table: "case_location_claims",
                columns: new[] { "CaseId", "GridCode" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_case_location_claims_GridCode_ResolvedAt",
                table: "case_location_claims",
                columns: new[] { "GridCode", "ResolvedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_case_location_claims_ResolvedAt_DueAt",
                table: "case_location_claims",
                columns: new[] { "ResolvedAt", "DueAt" });

            migrationBuilder.CreateIndex(
                name: "IX_case_mediations_CaseId",
                table: "case_mediations",
                column: "CaseId");

            migrationBuilder.CreateIndex(
                name: "IX_case_meeting_decisions_CaseId",
                table: "case_meeting_decisions",
                column: "CaseId");

            migrationBuilder.CreateIndex(
                name: "IX_case_photos_CaseId",
                table: "case_photos",
                column: "CaseId");

            migrationBuilder.CreateIndex(
                name: "IX_cases_AssigneeUserId",
                table: "cases",
                column: "AssigneeUserId",
                filter: "\"AssigneeUserId\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_cases_CategoryCode",
                table: "cases",
                column: "CategoryCode");

            migrationBuilder.CreateIndex(
                name: "IX_cases_ExternalSource_ExternalNumber",
                table: "cases",
                columns: new[] { "ExternalSource", "ExternalNumber" },
                unique: true,
                filter: "\"ExternalSource\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_cases_grid_code_pattern",
                table: "cases",
                column: "GridCode")
                .Annotation("Npgsql:IndexOperators", new[] { "text_pattern_ops" });

            migrationBuilder.CreateIndex(
                name: "IX_cases_GridCode_Status",
                table: "cases",
                columns: new[] { "GridCode", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_cases_Location",
                table: "cases",
                column: "Location")
                .Annotation("Npgsql:IndexMethod", "gist");

            migrationBuilder.CreateIndex(
                name: "IX_cases_LocationConfirmDueAt",
                table: "cases",
                column: "LocationConfirmDueAt",
                filter: "\"LocationConfirmDueAt\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_cases_Number",
                table: "cases",
                column: "Number",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_cases_ReportedAt",
                table: "cases",
                column: "ReportedAt");

            migrationBuilder.CreateIndex(
                name: "IX_cases_ReporterId",
                table: "cases",
                column: "ReporterId",
                filter: "\"ReporterId\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_cases_Status_DueAt",
                table: "cases",
                columns: new[] { "Status", "DueAt" });

            migrationBuilder.CreateIndex(
                name: "IX_compounds_Boundary",
                table: "compounds",
                column: "Boundary")
                .Annotation("Npgsql:IndexMethod", "gist");

            migrationBuilder.CreateIndex(
                name: "IX_compounds_Code",
                table: "compounds",
                column: "Code",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_compounds_GridCode",
                table: "compounds",
                column: "GridCode");

            migrationBuilder.CreateIndex(
                name: "IX_compounds_PropertyCompanyId",
                table: "compounds",
                column: "PropertyCompanyId");

            migrationBuilder.CreateIndex(
                name: "IX_device_cases_CaseId",
                table: "device_cases",
                column: "CaseId");

            migrationBuilder.CreateIndex(
                name: "IX_device_cases_DeviceId_AlarmType_OpenedAt",
                table: "device_cases",
                columns: new[] { "DeviceId", "AlarmType", "OpenedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_device_cases_open",
                table: "device_cases",
                columns: new[] { "DeviceId", "AlarmType" },
                unique: true,
                filter: "\"IsOpen\"");

            migrationBuilder.CreateIndex(
                name: "IX_device_nonces_ExpiresAt",
                table: "device_nonces",
                column: "ExpiresAt");

            migrationBuilder.CreateIndex(
                name: "IX_devices_Code",
                table: "devices",
                column: "Code",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_devices_GridCode",
                table: "devices",
                column: "GridCode");

            migrationBuilder.CreateIndex(
                name: "IX_district_deliveries_ReferralId_Attempt",
                table: "district_deliveries",
                columns: new[] { "ReferralId", "Attempt" });

            migrationBuilder.CreateIndex(
                name: "IX_district_referrals_CaseId",
                table: "district_referrals",
                column: "CaseId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_district_referrals_SubdistrictCode_Status",
                table: "district_referrals",
                columns: new[] { "SubdistrictCode", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_grid_versions_Code_ValidFrom",
                table: "grid_versions",
                columns: new[] { "Code", "ValidFrom" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_grid_versions_ValidFrom_ValidTo",
                table: "grid_versions",
                columns: new[] { "ValidFrom", "ValidTo" });

            migrationBuilder.CreateIndex(
                name: "IX_grids_Boundary",
                table: "grids",
                column: "Boundary")
                .Annotation("Npgsql:IndexMethod", "gist");

            migrationBuilder.CreateIndex(
                name: "IX_grids_Code",
                table: "grids",
                column: "Code",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_grids_code_pattern",
                table: "grids",
                column: "Code")
                .Annotation("Npgsql:IndexOperators", new[] { "text_pattern_ops" });

            migrationBuilder.CreateIndex(
                name: "IX_grids_Level_MinLon_MaxLon_MinLat_MaxLat",
                table: "grids",
                columns: new[] { "Level", "MinLon", "MaxLon", "MinLat", "MaxLat" });

            migrationBuilder.CreateIndex(
                name: "IX_grids_ParentCode",
                table: "grids",
                column: "ParentCode");

            migrationBuilder.CreateIndex(
                name: "IX_idempotency_records_Caller_Key",
                table: "idempotency_records",
                columns: new[] { "Caller", "Key" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_idempotency_records_ExpiresAt",
                table: "idempotency_records",
                column: "ExpiresAt");

            migrationBuilder.CreateIndex(
                name: "IX_joint_meetings_SubdistrictCode_HeldAt",
                table: "joint_meetings",
                columns: new[] { "SubdistrictCode", "HeldAt" });

            migrationBuilder.CreateIndex(
                name: "IX_notifications_SourceKey_UserId",
                table: "notifications",
                columns: new[] { "SourceKey", "UserId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_notifications_UserId_CreatedAt",
                table: "notifications",
                columns: new[] { "UserId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_open311_requests_ApiKeyId",
                table: "open311_requests",
                column: "ApiKeyId");

            migrationBuilder.CreateIndex(
                name: "IX_organisations_Code",
                table: "organisations",
                column: "Code",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_outbox_messages_MessageId",
                table: "outbox_messages",
                column: "MessageId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_outbox_messages_State_NextAttemptAt",
                table: "outbox_messages",
                columns: new[] { "State", "NextAttemptAt" });

            migrationBuilder.CreateIndex(
                name: "IX_personal_data_reveals_At",
                table: "personal_data_reveals",
                column: "At");

            migrationBuilder.CreateIndex(
                name: "IX_personal_data_reveals_CaseNumber",
                table: "personal_data_reveals",
                column: "CaseNumber");

            migrationBuilder.CreateIndex(
                name: "IX_routing_overrides_Subject_SubjectKey",
                table: "routing_overrides",
                columns: new[] { "Subject", "SubjectKey" });

            migrationBuilder.CreateIndex(
                name: "IX_user_sessions_UserId",
                table: "user_sessions",
                column: "UserId");

            migrationBuilder.CreateIndex(
                name: "IX_users_NormalizedUserName",
                table: "users",
                column: "NormalizedUserName",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_users_OrganisationId",
                table: "users",
                column: "OrganisationId");

            migrationBuilder.CreateIndex(
                name: "IX_users_ScopeCode",
                table: "users",
                column: "ScopeCode");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "api_keys");

            migrationBuilder.DropTable(
                name: "buildings");

            migrationBuilder.DropTable(
                name: "case_followers");

            migrationBuilder.DropTable(
                name: "case_location_claims");

            migrationBuilder.DropTable(
                name: "case_mediations");

            migrationBuilder.DropTable(
                name: "case_meeting_decisions");

            migrationBuilder.DropTable(
                name: "case_number_counters");

            migrationBuilder.DropTable(
                name: "case_photos");

            migrationBuilder.DropTable(
                name: "case_timeline");

            migrationBuilder.DropTable(
                name: "device_alarm_types");

            migrationBuilder.DropTable(
                name: "device_cases");

            migrationBuilder.DropTable(
                name: "device_nonces");

            migrationBuilder.DropTable(
                name: "district_deliveries");

            migrationBuilder.DropTable(
                name: "grid_versions");

            migrationBuilder.DropTable(
                name: "grids");

            migrationBuilder.DropTable(
                name: "hotline_mappings");

            migrationBuilder.DropTable(
                name: "idempotency_records");

            migrationBuilder.DropTable(
                name: "job_marks");

            migrationBuilder.DropTable(
                name: "joint_meetings");

            migrationBuilder.DropTable(
                name: "notifications");

            migrationBuilder.DropTable(
                name: "open311_requests");

            migrationBuilder.DropTable(
                name: "outbox_messages");

            migrationBuilder.DropTable(
                name: "personal_data_reveals");

            migrationBuilder.DropTable(
                name: "routing_overrides");

            migrationBuilder.DropTable(
                name: "scheduled_jobs");

            migrationBuilder.DropTable(
                name: "system_settings");

            migrationBuilder.DropTable(
                name: "user_channel_addresses");

            migrationBuilder.DropTable(
                name: "user_sessions");

            migrationBuilder.DropTable(
                name: "compounds");

            migrationBuilder.DropTable(
                name: "devices");

            migrationBuilder.DropTable(
                name: "district_referrals");

            migrationBuilder.DropTable(
                name: "cases");

            migrationBuilder.DropTable(
                name: "case_categories");

            migrationBuilder.DropTable(
                name: "users");

            migrationBuilder.DropTable(
                name: "organisations");
        }
    }
}
