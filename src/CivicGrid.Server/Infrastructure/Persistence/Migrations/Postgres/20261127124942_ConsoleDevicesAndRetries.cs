using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CivicGrid.Server.Infrastructure.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ConsoleDevicesAndRetries : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "RetryRequestedAt",
                table: "district_referrals",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "RetryRequestedBy",
                table: "district_referrals",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "RetiredAt",
                table: "devices",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "RetiredBy",
                table: "devices",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "RetiredReason",
                table: "devices",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "UpdatedAt",
                table: "device_alarm_types",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "UpdatedBy",
                table: "device_alarm_types",
                type: "uuid",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "RetryRequestedAt",
                table: "district_referrals");

            migrationBuilder.DropColumn(
                name: "RetryRequestedBy",
                table: "district_referrals");

            migrationBuilder.DropColumn(
                name: "RetiredAt",
                table: "devices");

            migrationBuilder.DropColumn(
                name: "RetiredBy",
                table: "devices");

            migrationBuilder.DropColumn(
                name: "RetiredReason",
                table: "devices");

            migrationBuilder.DropColumn(
                name: "UpdatedAt",
                table: "device_alarm_types");

            migrationBuilder.DropColumn(
                name: "UpdatedBy",
                table: "device_alarm_types");
        }
    }
}
