using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CivicGrid.Server.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Organisations : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "CompoundId",
                table: "organisations",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "IsRedProperty",
                table: "organisations",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<Guid>(
                name: "ParentId",
                table: "organisations",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "RetiredAt",
                table: "organisations",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "RetiredBy",
                table: "organisations",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "liaison_attachments",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    UserId = table.Column<Guid>(type: "TEXT", nullable: false),
                    DepartmentId = table.Column<Guid>(type: "TEXT", nullable: false),
                    GridCode = table.Column<string>(type: "TEXT", maxLength: 18, nullable: false),
                    StartsOn = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    EndsOn = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    CreatedBy = table.Column<Guid>(type: "TEXT", nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_liaison_attachments", x => x.Id);
                    table.ForeignKey(
                        name: "FK_liaison_attachments_organisations_DepartmentId",
                        column: x => x.DepartmentId,
                        principalTable: "organisations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_liaison_attachments_users_UserId",
                        column: x => x.UserId,
                        principalTable: "users",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_organisations_CompoundId",
                table: "organisations",
                column: "CompoundId");

            migrationBuilder.CreateIndex(
                name: "IX_organisations_ParentId",
                table: "organisations",
                column: "ParentId");

            migrationBuilder.CreateIndex(
                name: "IX_organisations_RetiredBy",
                table: "organisations",
                column: "RetiredBy");

            migrationBuilder.CreateIndex(
                name: "IX_organisations_ScopeCode_Name",
                table: "organisations",
                columns: new[] { "ScopeCode", "Name" });

            migrationBuilder.CreateIndex(
                name: "IX_liaison_attachments_DepartmentId_EndsOn",
                table: "liaison_attachments",
                columns: new[] { "DepartmentId", "EndsOn" });

            migrationBuilder.CreateIndex(
                name: "IX_liaison_attachments_GridCode",
                table: "liaison_attachments",
                column: "GridCode");

            migrationBuilder.CreateIndex(
                name: "IX_liaison_attachments_UserId_GridCode",
                table: "liaison_attachments",
                columns: new[] { "UserId", "GridCode" });

            migrationBuilder.AddForeignKey(
                name: "FK_organisations_compounds_CompoundId",
                table: "organisations",
                column: "CompoundId",
                principalTable: "compounds",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_organisations_organisations_ParentId",
                table: "organisations",
                column: "ParentId",
                principalTable: "organisations",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_organisations_users_RetiredBy",
                table: "organisations",
                column: "RetiredBy",
                principalTable: "users",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_organisations_compounds_CompoundId",
                table: "organisations");

            migrationBuilder.DropForeignKey(
                name: "FK_organisations_organisations_ParentId",
                table: "organisations");

            migrationBuilder.DropForeignKey(
                name: "FK_organisations_users_RetiredBy",
                table: "organisations");

            migrationBuilder.DropTable(
                name: "liaison_attachments");

            migrationBuilder.DropIndex(
                name: "IX_organisations_CompoundId",
                table: "organisations");

            migrationBuilder.DropIndex(
                name: "IX_organisations_ParentId",
                table: "organisations");

            migrationBuilder.DropIndex(
                name: "IX_organisations_RetiredBy",
                table: "organisations");

            migrationBuilder.DropIndex(
                name: "IX_organisations_ScopeCode_Name",
                table: "organisations");

            migrationBuilder.DropColumn(
                name: "CompoundId",
                table: "organisations");

            migrationBuilder.DropColumn(
                name: "IsRedProperty",
                table: "organisations");

            migrationBuilder.DropColumn(
                name: "ParentId",
                table: "organisations");

            migrationBuilder.DropColumn(
                name: "RetiredAt",
                table: "organisations");

            migrationBuilder.DropColumn(
                name: "RetiredBy",
                table: "organisations");
        }
    }
}
