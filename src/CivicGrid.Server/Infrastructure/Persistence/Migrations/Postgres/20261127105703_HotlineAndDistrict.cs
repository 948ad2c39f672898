using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CivicGrid.Server.Infrastructure.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class HotlineAndDistrict : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ExternalNumber",
                table: "cases",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ExternalSource",
                table: "cases",
                type: "character varying(16)",
                maxLength: 16,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "district_deliveries",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    ReferralId = table.Column<Guid>(type: "uuid", nullable: false),
                    SubdistrictCode = table.Column<string>(type: "character varying(9)", maxLength: 9, nullable: false),
                    MessageId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Attempt = table.Column<int>(type: "integer", nullable: false),
                    AttemptedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    HttpStatus = table.Column<int>(type: "integer", nullable: true),
                    Error = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    DurationMs = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_district_deliveries", x => x.Id);
                    table.ForeignKey(
                        name: "FK_district_deliveries_district_referrals_ReferralId",
                        column: x => x.ReferralId,
                        principalTable: "district_referrals",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "hotline_mappings",
                columns: table => new
                {
                    Name = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    OrderNumberColumn = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    CalledAtColumn = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    CallerNameColumn = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    PhoneColumn = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    AddressColumn = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    ContentColumn = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    CategoryColumn = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Categories = table.Column<string>(type: "text", nullable: false),
                    DefaultCategoryCode = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_hotline_mappings", x => x.Name);
                });

            migrationBuilder.InsertData(
                table: "hotline_mappings",
                columns: new[] { "Name", "AddressColumn", "CalledAtColumn", "CallerNameColumn", "Categories", "CategoryColumn", "ContentColumn", "DefaultCategoryCode", "OrderNumberColumn", "PhoneColumn", "UpdatedAt" },
                values: new object[] { "default", "诉求地址", "来电时间", "来电人", "{\"\\u4E71\\u505C\\u8F66\":\"E0503\",\"\\u4E95\\u76D6\":\"C0101\",\"\\u4E95\\u76D6\\u7834\\u635F\":\"C0101\",\"\\u52B3\\u8D44\\u7EA0\\u7EB7\":\"G0302\",\"\\u5360\\u9053\\u7ECF\\u8425\":\"E0501\",\"\\u5783\\u573E\":\"E0101\",\"\\u5C0F\\u5E7F\\u544A\":\"E0201\",\"\\u5DE5\\u5730\\u626C\\u5C18\":\"E0302\",\"\\u65BD\\u5DE5\\u6270\\u6C11\":\"E0301\",\"\\u66B4\\u9732\\u5783\\u573E\":\"E0101\",\"\\u6811\\u6728\\u5012\\u4F0F\":\"C0302\",\"\\u6D88\\u9632\\u901A\\u9053\\u5835\\u585E\":\"G0401\",\"\\u7269\\u4E1A\\u7EA0\\u7EB7\":\"G0301\",\"\\u8DEF\\u706F\":\"C0102\",\"\\u8DEF\\u706F\\u4E0D\\u4EAE\":\"C0102\",\"\\u8DEF\\u706F\\u635F\\u574F\":\"C0102\",\"\\u9053\\u8DEF\\u4E0D\\u6D01\":\"E0103\",\"\\u90BB\\u91CC\\u7EA0\\u7EB7\":\"G0101\"}", "诉求类别", "诉求内容", null, "工单编号", "联系电话", new DateTimeOffset(new DateTime(2026, 11, 27, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)) });

            migrationBuilder.CreateIndex(
                name: "IX_cases_ExternalSource_ExternalNumber",
                table: "cases",
                columns: new[] { "ExternalSource", "ExternalNumber" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_district_deliveries_ReferralId_Attempt",
                table: "district_deliveries",
                columns: new[] { "ReferralId", "Attempt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "district_deliveries");

            migrationBuilder.DropTable(
                name: "hotline_mappings");

            migrationBuilder.DropIndex(
                name: "IX_cases_ExternalSource_ExternalNumber",
                table: "cases");

            migrationBuilder.DropColumn(
                name: "ExternalNumber",
                table: "cases");

            migrationBuilder.DropColumn(
                name: "ExternalSource",
                table: "cases");
        }
    }
}
