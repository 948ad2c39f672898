using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CivicGrid.Server.Infrastructure.Persistence.Migrations.Postgres
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
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "OptedOutAt",
                table: "user_channel_addresses",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "wechat_credentials",
                columns: table => new
                {
                    Kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Value = table.Column<string>(type: "character varying(2445)", maxLength: 2445, nullable: true),
                    ExpiresAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Version = table.Column<int>(type: "integer", nullable: false),
                    LeaseOwner = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    LeaseUntil = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_wechat_credentials", x => x.Kind);
                });

            migrationBuilder.CreateTable(
                name: "wechat_identities",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    UserId = table.Column<Guid>(type: "uuid", nullable: false),
                    AppId = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    OpenId = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    UnionId = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    LastSignInAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    OpenIdIndex = table.Column<string>(type: "character varying(44)", maxLength: 44, nullable: true),
                    UnionIdIndex = table.Column<string>(type: "character varying(44)", maxLength: 44, nullable: true)
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
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    StateHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    ReturnPath = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    Scope = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ExpiresAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UsedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_wechat_sign_in_states", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "wechat_template_deliveries",
                columns: table => new
                {
                    MessageId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Outcome = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    MsgId = table.Column<long>(type: "bigint", nullable: true),
                    ErrCode = table.Column<int>(type: "integer", nullable: false),
                    At = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
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
