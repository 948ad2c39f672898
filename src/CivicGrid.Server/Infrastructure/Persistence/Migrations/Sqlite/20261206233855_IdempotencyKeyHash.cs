using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CivicGrid.Server.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class IdempotencyKeyHash : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Keys were stored in plain text and answers unsealed: they cannot be carried over (a retry of an answer from before
            // the upgrade runs the request again), and would all collide on an empty hash.
            migrationBuilder.Sql("DELETE FROM idempotency_records;");

            migrationBuilder.DropIndex(
                name: "IX_idempotency_records_Caller_Key",
                table: "idempotency_records");

            migrationBuilder.DropColumn(
                name: "Key",
                table: "idempotency_records");

            migrationBuilder.AddColumn<string>(
                name: "KeyHash",
                table: "idempotency_records",
                type: "TEXT",
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateIndex(
                name: "IX_idempotency_records_Caller_KeyHash",
                table: "idempotency_records",
                columns: new[] { "Caller", "KeyHash" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_idempotency_records_Caller_KeyHash",
                table: "idempotency_records");

            migrationBuilder.DropColumn(
                name: "KeyHash",
                table: "idempotency_records");

            migrationBuilder.AddColumn<string>(
                name: "Key",
                table: "idempotency_records",
                type: "TEXT",
                maxLength: 128,
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateIndex(
                name: "IX_idempotency_records_Caller_Key",
                table: "idempotency_records",
                columns: new[] { "Caller", "Key" },
                unique: true);
        }
    }
}
