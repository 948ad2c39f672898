using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CivicGrid.Server.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class WeChatEnd : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "OptedOut",
                table: "user_channel_addresses",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<long>(
                name: "OptedOutAt",
                table: "user_channel_addresses",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "wechat_credentials",
                columns: table => new
                {
                    Kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Value = table.Column<string>(type: "TEXT", maxLength: 2445, nullable: true),
                    ExpiresAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    LeaseOwner = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    LeaseUntil = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_wechat_credentials", x => x.Kind);
                });

            migrationBuilder.CreateTable(
                name: "wechat_identities",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    UserId = table.Column<Guid>(type: "TEXT", nullable: false),
                    AppId = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    OpenId = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    UnionId = table.Column<string>(type: "TEXT", maxLength: 400, nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    LastSignInAt = table.Column<long>(type: "INTEGER", nullable: false),
                    OpenIdIndex = table.Column<string>(type: "TEXT", maxLength: 44, nullable: true),
                    UnionIdIndex = table.Column<string>(type: "TEXT", maxLength: 44, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_wechat_identities", x => x.Id);
                    table.ForeignKey(
                        name: "FK_wechat_identities_users_UserId",
                        column: x => x.UserId,
                        principalTable: "users",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "wechat_sign_in_states",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    StateHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ReturnPath = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    Scope = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ExpiresAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UsedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_wechat_sign_in_states", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "wechat_template_deliveries",
                columns: table => new
                {
                    MessageId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Outcome = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    MsgId = table.Column<long>(type: "INTEGER", nullable: true),
                    ErrCode = table.Column<int>(type: "INTEGER", nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_wechat_template_deliveries", x => x.MessageId);
                });

            migrationBuilder.CreateIndex(
                name: "IX_wechat_identities_AppId_OpenIdIndex",
                table: "wechat_identities",
                columns: new[] { "AppId", "OpenIdIndex" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_wechat_identities_UnionIdIndex",
                table: "wechat_identities",
                column: "UnionIdIndex");

            migrationBuilder.CreateIndex(
                name: "IX_wechat_identities_UserId",
                table: "wechat_identities",
                column: "UserId");

            migrationBuilder.CreateIndex(
                name: "IX_wechat_sign_in_states_ExpiresAt",
                table: "wechat_sign_in_states",
                column: "ExpiresAt");

            migrationBuilder.CreateIndex(
                name: "IX_wechat_sign_in_states_StateHash",
                table: "wechat_sign_in_states",
                column: "StateHash",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "wechat_credentials");

            migrationBuilder.DropTable(
                name: "wechat_identities");

            migrationBuilder.DropTable(
                name: "wechat_sign_in_states");

            migrationBuilder.DropTable(
                name: "wechat_template_deliveries");

            migrationBuilder.DropColumn(
                name: "OptedOut",
                table: "user_channel_addresses");

            migrationBuilder.DropColumn(
                name: "OptedOutAt",
                table: "user_channel_addresses");
        }
    }
}
