using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CivicGrid.Server.Infrastructure.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class DutyRoster : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "duty_alerts",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    SubdistrictCode = table.Column<string>(type: "character varying(9)", maxLength: 9, nullable: false),
                    Kind = table.Column<int>(type: "integer", nullable: false),
                    SourceKey = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: false),
                    CaseNumber = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    CaseTitle = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    GridCode = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    RaisedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    AcknowledgeBy = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    State = table.Column<int>(type: "integer", nullable: false),
                    Audience = table.Column<int>(type: "integer", nullable: false),
                    RecipientUserId = table.Column<Guid>(type: "uuid", nullable: true),
                    Routing = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    EscalatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    EscalatedTo = table.Column<int>(type: "integer", nullable: true),
                    EscalatedToUserId = table.Column<Guid>(type: "uuid", nullable: true),
                    AcknowledgedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    AcknowledgedBy = table.Column<Guid>(type: "uuid", nullable: true),
                    Version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_duty_alerts", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "duty_log",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    SubdistrictCode = table.Column<string>(type: "character varying(9)", maxLength: 9, nullable: false),
                    At = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ActorId = table.Column<Guid>(type: "uuid", nullable: true),
                    Action = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    SubjectId = table.Column<Guid>(type: "uuid", nullable: false),
                    Detail = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_duty_log", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "duty_posts",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    SubdistrictCode = table.Column<string>(type: "character varying(9)", maxLength: 9, nullable: false),
                    Name = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    Kind = table.Column<int>(type: "integer", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_duty_posts", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "duty_shifts",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    PostId = table.Column<Guid>(type: "uuid", nullable: false),
                    SubdistrictCode = table.Column<string>(type: "character varying(9)", maxLength: 9, nullable: false),
                    UserId = table.Column<Guid>(type: "uuid", nullable: false),
                    StartsAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    EndsAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    CreatedBy = table.Column<Guid>(type: "uuid", nullable: true),
                    CancelledAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    CancelledBy = table.Column<Guid>(type: "uuid", nullable: true),
                    CancelReason = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    Version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_duty_shifts", x => x.Id);
                    table.ForeignKey(
                        name: "FK_duty_shifts_duty_posts_PostId",
                        column: x => x.PostId,
                        principalTable: "duty_posts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "duty_handovers",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    SubdistrictCode = table.Column<string>(type: "character varying(9)", maxLength: 9, nullable: false),
                    ShiftId = table.Column<Guid>(type: "uuid", nullable: false),
                    PostId = table.Column<Guid>(type: "uuid", nullable: false),
                    OutgoingUserId = table.Column<Guid>(type: "uuid", nullable: false),
                    OutgoingSignedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    IncomingUserId = table.Column<Guid>(type: "uuid", nullable: true),
                    IncomingAcceptedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Notes = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    Items = table.Column<string>(type: "text", nullable: false),
                    Version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_duty_handovers", x => x.Id);
                    table.ForeignKey(
                        name: "FK_duty_handovers_duty_shifts_ShiftId",
                        column: x => x.ShiftId,
                        principalTable: "duty_shifts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_duty_alerts_SourceKey",
                table: "duty_alerts",
                column: "SourceKey",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_duty_alerts_State_AcknowledgeBy",
                table: "duty_alerts",
                columns: new[] { "State", "AcknowledgeBy" });

            migrationBuilder.CreateIndex(
                name: "IX_duty_alerts_SubdistrictCode_RaisedAt",
                table: "duty_alerts",
                columns: new[] { "SubdistrictCode", "RaisedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_duty_handovers_ShiftId",
                table: "duty_handovers",
                column: "ShiftId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_duty_handovers_SubdistrictCode_OutgoingSignedAt",
                table: "duty_handovers",
                columns: new[] { "SubdistrictCode", "OutgoingSignedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_duty_log_SubdistrictCode_At",
                table: "duty_log",
                columns: new[] { "SubdistrictCode", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_duty_log_SubjectId",
                table: "duty_log",
                column: "SubjectId");

            migrationBuilder.CreateIndex(
                name: "IX_duty_posts_SubdistrictCode_Name",
                table: "duty_posts",
                columns: new[] { "SubdistrictCode", "Name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_duty_shifts_PostId_StartsAt",
                table: "duty_shifts",
                columns: new[] { "PostId", "StartsAt" });

            migrationBuilder.CreateIndex(
                name: "IX_duty_shifts_SubdistrictCode_StartsAt",
                table: "duty_shifts",
                columns: new[] { "SubdistrictCode", "StartsAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "duty_alerts");

            migrationBuilder.DropTable(
                name: "duty_handovers");

            migrationBuilder.DropTable(
                name: "duty_log");

            migrationBuilder.DropTable(
                name: "duty_shifts");

            migrationBuilder.DropTable(
                name: "duty_posts");
        }
    }
}
