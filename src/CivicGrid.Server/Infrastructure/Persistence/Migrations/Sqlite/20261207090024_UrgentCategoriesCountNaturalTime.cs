using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CivicGrid.Server.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class UrgentCategoriesCountNaturalTime : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(CivicGrid.Server.Features.Catalogue.CatalogueUpgrades.UrgentKindsCountNaturalTimeSql());
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Left as they are: a category's limit is the subdistrict's choice from here on.
        }
    }
}
