using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CivicGrid.Server.Infrastructure.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class FieldEncryption : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_roster_members_CommunityCode_Phone",
                table: "roster_members");

            migrationBuilder.DropIndex(
                name: "IX_council_members_CommunityCode_Phone",
                table: "council_members");

            migrationBuilder.AlterColumn<string>(
                name: "PhoneNumber",
                table: "users",
                type: "character varying(400)",
                maxLength: 400,
                nullable: true,
                oldClrType: typeof(string),
                oldType: "character varying(32)",
                oldMaxLength: 32,
                oldNullable: true);

            migrationBuilder.AlterColumn<string>(
                name: "Address",
                table: "user_channel_addresses",
                type: "character varying(400)",
                maxLength: 400,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(128)",
                oldMaxLength: 128);

            migrationBuilder.AlterColumn<string>(
                name: "Phone",
                table: "roster_members",
                type: "character varying(400)",
                maxLength: 400,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(20)",
                oldMaxLength: 20);

            migrationBuilder.AlterColumn<string>(
                name: "Name",
                table: "roster_members",
                type: "character varying(400)",
                maxLength: 400,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(50)",
                oldMaxLength: 50);

            migrationBuilder.AddColumn<string>(
                name: "PhoneIndex",
                table: "roster_members",
                type: "character varying(44)",
                maxLength: 44,
                nullable: true);

            migrationBuilder.AlterColumn<string>(
                name: "Recipient",
                table: "outbox_messages",
                type: "character varying(400)",
                maxLength: 400,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(128)",
                oldMaxLength: 128);

            migrationBuilder.AlterColumn<string>(
                name: "Requester",
                table: "needs",
                type: "character varying(445)",
                maxLength: 445,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(100)",
                oldMaxLength: 100);

            migrationBuilder.AlterColumn<string>(
                name: "ContactPhone",
                table: "needs",
                type: "character varying(400)",
                maxLength: 400,
                nullable: true,
                oldClrType: typeof(string),
                oldType: "character varying(20)",
                oldMaxLength: 20,
                oldNullable: true);

            migrationBuilder.AlterColumn<string>(
                name: "Phone",
                table: "council_members",
                type: "character varying(400)",
                maxLength: 400,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(20)",
                oldMaxLength: 20);

            migrationBuilder.AlterColumn<string>(
                name: "Name",
                table: "council_members",
                type: "character varying(400)",
                maxLength: 400,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(50)",
                oldMaxLength: 50);

            migrationBuilder.AddColumn<string>(
                name: "PhoneIndex",
                table: "council_members",
                type: "character varying(44)",
                maxLength: 44,
                nullable: true);

            migrationBuilder.AlterColumn<string>(
                name: "ReporterPhone",
                table: "cases",
                type: "character varying(400)",
                maxLength: 400,
                nullable: true,
                oldClrType: typeof(string),
                oldType: "character varying(32)",
                oldMaxLength: 32,
                oldNullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ReporterPhoneIndex",
                table: "cases",
                type: "character varying(44)",
                maxLength: 44,
                nullable: true);

            migrationBuilder.AlterColumn<string>(
                name: "ActorName",
                table: "case_timeline",
                type: "character varying(445)",
                maxLength: 445,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(100)",
                oldMaxLength: 100);

            migrationBuilder.AlterColumn<string>(
                name: "Phone",
                table: "case_followers",
                type: "character varying(400)",
                maxLength: 400,
                nullable: true,
                oldClrType: typeof(string),
                oldType: "character varying(32)",
                oldMaxLength: 32,
                oldNullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_roster_members_CommunityCode_PhoneIndex",
                table: "roster_members",
                columns: new[] { "CommunityCode", "PhoneIndex" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_council_members_CommunityCode_PhoneIndex",
                table: "council_members",
                columns: new[] { "CommunityCode", "PhoneIndex" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_cases_ReporterPhoneIndex",
                table: "cases",
                column: "ReporterPhoneIndex",
                filter: "\"ReporterPhoneIndex\" IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_roster_members_CommunityCode_PhoneIndex",
                table: "roster_members");

            migrationBuilder.DropIndex(
                name: "IX_council_members_CommunityCode_PhoneIndex",
                table: "council_members");

            migrationBuilder.DropIndex(
                name: "IX_cases_ReporterPhoneIndex",
                table: "cases");

            migrationBuilder.DropColumn(
                name: "PhoneIndex",
                table: "roster_members");

            migrationBuilder.DropColumn(
                name: "PhoneIndex",
                table: "council_members");

            migrationBuilder.DropColumn(
                name: "ReporterPhoneIndex",
                table: "cases");

            migrationBuilder.AlterColumn<string>(
                name: "PhoneNumber",
                table: "users",
                type: "character varying(32)",
                maxLength: 32,
                nullable: true,
                oldClrType: typeof(string),
                oldType: "character varying(400)",
                oldMaxLength: 400,
                oldNullable: true);

            migrationBuilder.AlterColumn<string>(
                name: "Address",
                table: "user_channel_addresses",
                type: "character varying(128)",
                maxLength: 128,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(400)",
                oldMaxLength: 400);

            migrationBuilder.AlterColumn<string>(
                name: "Phone",
                table: "roster_members",
                type: "character varying(20)",
                maxLength: 20,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(400)",
                oldMaxLength: 400);

            migrationBuilder.AlterColumn<string>(
                name: "Name",
                table: "roster_members",
                type: "character varying(50)",
                maxLength: 50,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(400)",
                oldMaxLength: 400);

            migrationBuilder.AlterColumn<string>(
                name: "Recipient",
                table: "outbox_messages",
                type: "character varying(128)",
                maxLength: 128,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(400)",
                oldMaxLength: 400);

            migrationBuilder.AlterColumn<string>(
                name: "Requester",
                table: "needs",
                type: "character varying(100)",
                maxLength: 100,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(445)",
                oldMaxLength: 445);

            migrationBuilder.AlterColumn<string>(
                name: "ContactPhone",
                table: "needs",
                type: "character varying(20)",
                maxLength: 20,
                nullable: true,
                oldClrType: typeof(string),
                oldType: "character varying(400)",
                oldMaxLength: 400,
                oldNullable: true);

            migrationBuilder.AlterColumn<string>(
                name: "Phone",
                table: "council_members",
                type: "character varying(20)",
                maxLength: 20,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(400)",
                oldMaxLength: 400);

            migrationBuilder.AlterColumn<string>(
                name: "Name",
                table: "council_members",
                type: "character varying(50)",
                maxLength: 50,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(400)",
                oldMaxLength: 400);

            migrationBuilder.AlterColumn<string>(
                name: "ReporterPhone",
                table: "cases",
                type: "character varying(32)",
                maxLength: 32,
                nullable: true,
                oldClrType: typeof(string),
                oldType: "character varying(400)",
                oldMaxLength: 400,
                oldNullable: true);

            migrationBuilder.AlterColumn<string>(
                name: "ActorName",
                table: "case_timeline",
                type: "character varying(100)",
                maxLength: 100,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(445)",
                oldMaxLength: 445);

            migrationBuilder.AlterColumn<string>(
                name: "Phone",
                table: "case_followers",
                type: "character varying(32)",
                maxLength: 32,
                nullable: true,
                oldClrType: typeof(string),
                oldType: "character varying(400)",
                oldMaxLength: 400,
                oldNullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_roster_members_CommunityCode_Phone",
                table: "roster_members",
                columns: new[] { "CommunityCode", "Phone" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_council_members_CommunityCode_Phone",
                table: "council_members",
                columns: new[] { "CommunityCode", "Phone" },
                unique: true);
        }
    }
}
