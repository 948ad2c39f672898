using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CivicGrid.Server.Infrastructure.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class SmsProvidersAndVerification : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "DeliveredAt",
                table: "outbox_messages",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Delivery",
                table: "outbox_messages",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "DeliveryCode",
                table: "outbox_messages",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ProviderMessageId",
                table: "outbox_messages",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "RecipientIndex",
                table: "outbox_messages",
                type: "character varying(44)",
                maxLength: 44,
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "EnteredBy",
                table: "cases",
                type: "uuid",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "phone_verifications",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    PhoneIndex = table.Column<string>(type: "character varying(44)", maxLength: 44, nullable: false),
                    Method = table.Column<int>(type: "integer", nullable: false),
                    AddressIndex = table.Column<string>(type: "character varying(44)", maxLength: 44, nullable: true),
                    CodeHash = table.Column<string>(type: "character varying(44)", maxLength: 44, nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ExpiresAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Attempts = table.Column<int>(type: "integer", nullable: false),
                    LockedUntil = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    VerifiedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    AttestedBy = table.Column<Guid>(type: "uuid", nullable: true),
                    CaseNumber = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_phone_verifications", x => x.Id);
                    table.ForeignKey(
                        name: "FK_phone_verifications_users_AttestedBy",
                        column: x => x.AttestedBy,
                        principalTable: "users",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_outbox_messages_ProviderMessageId",
                table: "outbox_messages",
                column: "ProviderMessageId");

            migrationBuilder.CreateIndex(
                name: "IX_outbox_messages_RecipientIndex_State",
                table: "outbox_messages",
                columns: new[] { "RecipientIndex", "State" });

            migrationBuilder.CreateIndex(
                name: "IX_phone_verifications_AddressIndex_CreatedAt",
                table: "phone_verifications",
                columns: new[] { "AddressIndex", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_phone_verifications_AttestedBy",
                table: "phone_verifications",
                column: "AttestedBy");

            migrationBuilder.CreateIndex(
                name: "IX_phone_verifications_PhoneIndex_CreatedAt",
                table: "phone_verifications",
                columns: new[] { "PhoneIndex", "CreatedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "phone_verifications");

            migrationBuilder.DropIndex(
                name: "IX_outbox_messages_ProviderMessageId",
                table: "outbox_messages");

            migrationBuilder.DropIndex(
                name: "IX_outbox_messages_RecipientIndex_State",
                table: "outbox_messages");

            migrationBuilder.DropColumn(
                name: "DeliveredAt",
                table: "outbox_messages");

            migrationBuilder.DropColumn(
                name: "Delivery",
                table: "outbox_messages");

            migrationBuilder.DropColumn(
                name: "DeliveryCode",
                table: "outbox_messages");

            migrationBuilder.DropColumn(
                name: "ProviderMessageId",
                table: "outbox_messages");

            migrationBuilder.DropColumn(
                name: "RecipientIndex",
                table: "outbox_messages");

            migrationBuilder.DropColumn(
                name: "EnteredBy",
                table: "cases");
        }
    }
}
