using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CivicGrid.Server.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class SecurityAuditAndAccounts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "DeactivatedAt",
                table: "users",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "MustChangePassword",
                table: "users",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateTable(
                name: "role_grant_requests",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    UserId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Roles = table.Column<string>(type: "TEXT", nullable: false),
                    ScopeCode = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    ActivatesAccount = table.Column<bool>(type: "INTEGER", nullable: false),
                    RequestedBy = table.Column<Guid>(type: "TEXT", nullable: false),
                    RequestedByName = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    RequestedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Status = table.Column<int>(type: "INTEGER", nullable: false),
                    DecidedBy = table.Column<Guid>(type: "TEXT", nullable: true),
                    DecidedByName = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    DecidedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Note = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true)
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
                name: "security_audit_head",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false),
                    LastSequence = table.Column<long>(type: "INTEGER", nullable: false),
                    LastHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_security_audit_head", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "security_events",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Sequence = table.Column<long>(type: "INTEGER", nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false),
                    Kind = table.Column<int>(type: "INTEGER", nullable: false),
                    Outcome = table.Column<int>(type: "INTEGER", nullable: false),
                    ActorId = table.Column<Guid>(type: "TEXT", nullable: true),
                    ActorName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    SubjectKind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    SubjectId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    SubjectName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    ScopeCode = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    ClientAddress = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Detail = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    PreviousHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_security_events", x => x.Id);
                });

            migrationBuilder.InsertData(
                table: "security_audit_head",
                columns: new[] { "Id", "LastHash", "LastSequence" },
                values: new object[] { 1, "", 0L });

            migrationBuilder.CreateIndex(
                name: "IX_role_grant_requests_Status_RequestedAt",
                table: "role_grant_requests",
                columns: new[] { "Status", "RequestedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_role_grant_requests_UserId",
                table: "role_grant_requests",
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
            migrationBuilder.Sql(CivicGrid.Server.Features.Audit.SecurityAuditStorage.AppendOnlySql(postgres: false));
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "role_grant_requests");

            migrationBuilder.DropTable(
                name: "security_audit_head");

            migrationBuilder.DropTable(
                name: "security_events");

            migrationBuilder.DropColumn(
                name: "DeactivatedAt",
                table: "users");

            migrationBuilder.DropColumn(
                name: "MustChangePassword",
                table: "users");
        }
    }
}
