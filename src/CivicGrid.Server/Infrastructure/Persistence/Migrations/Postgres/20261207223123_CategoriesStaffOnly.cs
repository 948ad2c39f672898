using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CivicGrid.Server.Infrastructure.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class CategoriesStaffOnly : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "StaffOnly",
                table: "case_categories",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            // The standard catalogue's sensor category is staff's to report (StandardCatalogue.StaffOnlyCodes).
            migrationBuilder.Sql("UPDATE case_categories SET \"StaffOnly\" = TRUE WHERE \"Code\" = 'C0103';");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "StaffOnly",
                table: "case_categories");
        }
    }
}
