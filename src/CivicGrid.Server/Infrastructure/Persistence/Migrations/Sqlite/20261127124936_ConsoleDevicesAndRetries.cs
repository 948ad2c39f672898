using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CivicGrid.Server.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ConsoleDevicesAndRetries : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "RetryRequestedAt",
                table: "district_referrals",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "RetryRequestedBy",
                table: "district_referrals",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "RetiredAt",
                table: "devices",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "RetiredBy",
                table: "devices",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "RetiredReason",
                table: "devices",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "UpdatedAt",
                table: "device_alarm_types",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "UpdatedBy",
                table: "device_alarm_types",
                type: "TEXT",
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
