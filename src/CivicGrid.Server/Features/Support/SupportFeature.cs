using System.ComponentModel.DataAnnotations;
using CivicGrid.Server.Infrastructure.Hosting;

namespace CivicGrid.Server.Features.Support;

/// <summary>The <c>Support</c> section: who a user calls when the platform does not do what they need.</summary>
public sealed class SupportOptions
{
    public const string Section = "Support";

    /// <summary>The support line shown on the help pages and the sign-in pages (e.g. the subdistrict's 城运中心 or the vendor's hotline). Unset: the pages say to ask the subdistrict's system administrator.</summary>
    [RegularExpression(@"^[0-9+\- ()]{3,30}$", ErrorMessage = "Support:Phone must be a telephone number (digits, spaces, +, -, parentheses).")]
    public string? Phone { get; set; }

    /// <summary>When the line answers, in the users' words (e.g. 工作日 8:30–17:30，值班电话 7×24 小时).</summary>
    [MaxLength(100)]
    public string? Hours { get; set; }

    /// <summary>Who answers it (e.g. 示范街道城运中心).</summary>
    [MaxLength(100)]
    public string? Unit { get; set; }
}

/// <summary>The support line (ADR 0039): one public read for the help and sign-in pages.</summary>
/// <param name="Phone">The number to call, or null when none is configured.</param>
/// <param name="Hours">When it answers.</param>
/// <param name="Unit">Who answers.</param>
public sealed record SupportResponse(string? Phone, string? Hours, string? Unit);

public sealed class SupportFeature : IFeature
{
    public static void AddServices(IServiceCollection services, IConfiguration configuration) =>
        services.AddOptions<SupportOptions>().Bind(configuration.GetSection(SupportOptions.Section)).ValidateDataAnnotations().ValidateOnStart();

    public static void MapEndpoints(IEndpointRouteBuilder routes) =>
        routes.MapGet("/api/support", (Microsoft.Extensions.Options.IOptions<SupportOptions> options) =>
                new SupportResponse(Blank(options.Value.Phone), Blank(options.Value.Hours), Blank(options.Value.Unit)))
            .WithTags("Support").AllowAnonymous().WithName("GetSupport")
            .WithSummary("The support line the help and sign-in pages show (Support:Phone, Hours, Unit); public, nothing personal.");

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
