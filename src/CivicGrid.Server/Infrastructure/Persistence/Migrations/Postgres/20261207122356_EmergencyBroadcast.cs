using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CivicGrid.Server.Infrastructure.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class EmergencyBroadcast : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "broadcasts",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    ScopeCode = table.Column<string>(type: "character varying(18)", maxLength: 18, nullable: false),
                    Text = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    Repeat = table.Column<int>(type: "integer", nullable: false),
                    Urgent = table.Column<bool>(type: "boolean", nullable: false),
                    SentBy = table.Column<Guid>(type: "uuid", nullable: false),
                    SenderName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    SentAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    GridCodes = table.Column<string>(type: "text", nullable: false),
                    Area = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_broadcasts", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "broadcast_deliveries",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    BroadcastId = table.Column<Guid>(type: "uuid", nullable: false),
                    Kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    DeviceId = table.Column<Guid>(type: "uuid", nullable: true),
                    UserId = table.Column<Guid>(type: "uuid", nullable: true),
                    TargetCode = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    TargetName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    GridCode = table.Column<string>(type: "character varying(18)", maxLength: 18, nullable: false),
                    State = table.Column<int>(type: "integer", nullable: false),
                    Attempts = table.Column<int>(type: "integer", nullable: false),
                    NextAttemptAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    LeaseOwner = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    LeaseUntil = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    SentAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    AcknowledgedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    FailedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    LastError = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_broadcast_deliveries", x => x.Id);
                    table.ForeignKey(
                        name: "FK_broadcast_deliveries_broadcasts_BroadcastId",
                        column: x => x.BroadcastId,
                        principalTable: "broadcasts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_broadcast_deliveries_BroadcastId",
                table: "broadcast_deliveries",
                column: "BroadcastId");

            migrationBuilder.CreateIndex(
                name: "IX_broadcast_deliveries_DeviceId",
                table: "broadcast_deliveries",
                column: "DeviceId");

            migrationBuilder.CreateIndex(
                name: "IX_broadcast_deliveries_State_NextAttemptAt",
                table: "broadcast_deliveries",
                columns: new[] { "State", "NextAttemptAt" });

            migrationBuilder.CreateIndex(
                name: "IX_broadcast_deliveries_UserId",
                table: "broadcast_deliveries",
                column: "UserId");

            migrationBuilder.CreateIndex(
                name: "IX_broadcasts_ScopeCode_SentAt",
                table: "broadcasts",
                columns: new[] { "ScopeCode", "SentAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "broadcast_deliveries");

            migrationBuilder.DropTable(
                name: "broadcasts");
        }
    }
}
