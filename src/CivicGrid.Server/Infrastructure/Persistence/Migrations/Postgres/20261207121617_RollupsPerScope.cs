using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CivicGrid.Server.Infrastructure.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class RollupsPerScope : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The roll-ups are re-keyed by scope: the old rows mean something else. Emptied here, they are rebuilt from
            // the cases at the next start (DatabaseInitializer builds them when cases exist and no roll-up row does).
            migrationBuilder.Sql("DELETE FROM case_count_rollups;");
            migrationBuilder.Sql("DELETE FROM case_open_counts;");

            migrationBuilder.DropPrimaryKey(
                name: "PK_case_open_counts",
                table: "case_open_counts");

            migrationBuilder.DropPrimaryKey(
                name: "PK_case_count_rollups",
                table: "case_count_rollups");

            migrationBuilder.DropColumn(
                name: "CategoryCode",
                table: "case_open_counts");

            migrationBuilder.DropColumn(
                name: "Channel",
                table: "case_open_counts");

            migrationBuilder.DropColumn(
                name: "GridCode",
                table: "case_count_rollups");

            migrationBuilder.DropColumn(
                name: "CategoryCode",
                table: "case_count_rollups");

            migrationBuilder.RenameColumn(
                name: "GridCode",
                table: "case_open_counts",
                newName: "ScopeCode");

            migrationBuilder.RenameColumn(
                name: "DepartmentKey",
                table: "case_count_rollups",
                newName: "ScopeCode");

            migrationBuilder.AddPrimaryKey(
                name: "PK_case_open_counts",
                table: "case_open_counts",
                columns: new[] { "ScopeCode", "Tier", "Status", "Supervised", "DueHour" });

            migrationBuilder.AddPrimaryKey(
                name: "PK_case_count_rollups",
                table: "case_count_rollups",
                columns: new[] { "Period", "ScopeCode", "Start", "Channel", "Tier" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropPrimaryKey(
                name: "PK_case_open_counts",
                table: "case_open_counts");

            migrationBuilder.DropPrimaryKey(
                name: "PK_case_count_rollups",
                table: "case_count_rollups");

            migrationBuilder.RenameColumn(
                name: "ScopeCode",
                table: "case_open_counts",
                newName: "GridCode");

            migrationBuilder.RenameColumn(
                name: "ScopeCode",
                table: "case_count_rollups",
                newName: "DepartmentKey");

            migrationBuilder.AddColumn<string>(
                name: "CategoryCode",
                table: "case_open_counts",
                type: "character varying(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<int>(
                name: "Channel",
                table: "case_open_counts",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "GridCode",
                table: "case_count_rollups",
                type: "character varying(32)",
                maxLength: 32,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "CategoryCode",
                table: "case_count_rollups",
                type: "character varying(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddPrimaryKey(
                name: "PK_case_open_counts",
                table: "case_open_counts",
                columns: new[] { "GridCode", "CategoryCode", "Channel", "Tier", "Status", "Supervised", "DueHour" });

            migrationBuilder.AddPrimaryKey(
                name: "PK_case_count_rollups",
                table: "case_count_rollups",
                columns: new[] { "Period", "Start", "GridCode", "CategoryCode", "Channel", "Tier", "DepartmentKey" });
        }
    }
}
