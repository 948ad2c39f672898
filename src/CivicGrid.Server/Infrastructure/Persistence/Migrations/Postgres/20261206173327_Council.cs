using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CivicGrid.Server.Infrastructure.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Council : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "branch_activities",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    GridCode = table.Column<string>(type: "character varying(18)", maxLength: 18, nullable: false),
                    HeldOn = table.Column<DateOnly>(type: "date", nullable: false),
                    Title = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Note = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    Participants = table.Column<int>(type: "integer", nullable: false),
                    RecordedBy = table.Column<Guid>(type: "uuid", nullable: false),
                    RecordedByName = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    RecordedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    photo_ids = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_branch_activities", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "council_members",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Name = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    Phone = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    CommunityCode = table.Column<string>(type: "character varying(12)", maxLength: 12, nullable: false),
                    HomeGridCode = table.Column<string>(type: "character varying(18)", maxLength: 18, nullable: false),
                    CompoundCode = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    TermFrom = table.Column<DateOnly>(type: "date", nullable: false),
                    TermTo = table.Column<DateOnly>(type: "date", nullable: false),
                    EndedOn = table.Column<DateOnly>(type: "date", nullable: true),
                    EndReason = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    UserId = table.Column<Guid>(type: "uuid", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_council_members", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "council_assignments",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Period = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    MemberId = table.Column<Guid>(type: "uuid", nullable: false),
                    MemberUserId = table.Column<Guid>(type: "uuid", nullable: true),
                    CommunityCode = table.Column<string>(type: "character varying(12)", maxLength: 12, nullable: false),
                    GridCode = table.Column<string>(type: "character varying(18)", maxLength: 18, nullable: false),
                    AssignedBy = table.Column<Guid>(type: "uuid", nullable: false),
                    AssignedByName = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    AssignedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_council_assignments", x => x.Id);
                    table.ForeignKey(
                        name: "FK_council_assignments_council_members_MemberId",
                        column: x => x.MemberId,
                        principalTable: "council_members",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "council_evaluations",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    AssignmentId = table.Column<Guid>(type: "uuid", nullable: false),
                    Period = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    GridCode = table.Column<string>(type: "character varying(18)", maxLength: 18, nullable: false),
                    MemberUserId = table.Column<Guid>(type: "uuid", nullable: true),
                    Stars = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    Phrases = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    Overall = table.Column<int>(type: "integer", nullable: false),
                    SubmittedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_council_evaluations", x => x.Id);
                    table.ForeignKey(
                        name: "FK_council_evaluations_council_assignments_AssignmentId",
                        column: x => x.AssignmentId,
                        principalTable: "council_assignments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_branch_activities_GridCode_HeldOn",
                table: "branch_activities",
                columns: new[] { "GridCode", "HeldOn" });

            migrationBuilder.CreateIndex(
                name: "IX_council_assignments_MemberId",
                table: "council_assignments",
                column: "MemberId");

            migrationBuilder.CreateIndex(
                name: "IX_council_assignments_MemberUserId",
                table: "council_assignments",
                column: "MemberUserId");

            migrationBuilder.CreateIndex(
                name: "IX_council_assignments_Period_GridCode",
                table: "council_assignments",
                columns: new[] { "Period", "GridCode" });

            migrationBuilder.CreateIndex(
                name: "IX_council_assignments_Period_MemberId_GridCode",
                table: "council_assignments",
                columns: new[] { "Period", "MemberId", "GridCode" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_council_evaluations_AssignmentId",
                table: "council_evaluations",
                column: "AssignmentId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_council_evaluations_Period_GridCode",
                table: "council_evaluations",
                columns: new[] { "Period", "GridCode" });

            migrationBuilder.CreateIndex(
                name: "IX_council_members_CommunityCode_Phone",
                table: "council_members",
                columns: new[] { "CommunityCode", "Phone" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_council_members_UserId",
                table: "council_members",
                column: "UserId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "branch_activities");

            migrationBuilder.DropTable(
                name: "council_evaluations");

            migrationBuilder.DropTable(
                name: "council_assignments");

            migrationBuilder.DropTable(
                name: "council_members");
        }
    }
}
