using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CivicGrid.Server.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class CategoryCatalogue : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.RenameColumn(
                name: "HandlingHours",
                table: "case_categories",
                newName: "TimeLimit");

            migrationBuilder.AddColumn<string>(
                name: "AcceptanceCondition",
                table: "case_categories",
                type: "TEXT",
                maxLength: 1000,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "ClosingCondition",
                table: "case_categories",
                type: "TEXT",
                maxLength: 1000,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<bool>(
                name: "IsActive",
                table: "case_categories",
                type: "INTEGER",
                nullable: false,
                defaultValue: true);

            migrationBuilder.AddColumn<bool>(
                name: "PhotoRequired",
                table: "case_categories",
                type: "INTEGER",
                nullable: false,
                defaultValue: true);

            migrationBuilder.AddColumn<string>(
                name: "ResponsibleDepartmentCode",
                table: "case_categories",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "TimeLimitUnit",
                table: "case_categories",
                type: "INTEGER",
                nullable: false,
                defaultValue: 1); // rows stored before: their limit was in working hours
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "AcceptanceCondition",
                table: "case_categories");

            migrationBuilder.DropColumn(
                name: "ClosingCondition",
                table: "case_categories");

            migrationBuilder.DropColumn(
                name: "IsActive",
                table: "case_categories");

            migrationBuilder.DropColumn(
                name: "PhotoRequired",
                table: "case_categories");

            migrationBuilder.DropColumn(
                name: "ResponsibleDepartmentCode",
                table: "case_categories");

            migrationBuilder.DropColumn(
                name: "TimeLimitUnit",
                table: "case_categories");

            migrationBuilder.RenameColumn(
                name: "TimeLimit",
                table: "case_categories",
                newName: "HandlingHours");
        }
    }
}
