using System.ComponentModel.DataAnnotations;
using System.Net.Http.Json;
using System.Text.Json;
using CivicGrid.Server.Features.Support;
using CivicGrid.Server.Tests.Infrastructure;

namespace CivicGrid.Server.Tests.Http;

/// <summary>
/// The support line the help pages and the sign-in pages show: configured in <c>Support</c> (the demo's in
/// appsettings.Development.json), read by anyone without signing in — someone who cannot sign in is who needs it most.
/// </summary>
public sealed class SupportTests(SqliteApp app) : IClassFixture<SqliteApp>
{
    [Fact]
    public async Task TheSupportLine_IsReadWithoutSigningIn()
    {
        using var anonymous = app.CreateClient();
        var support = await anonymous.GetFromJsonAsync<JsonElement>("/api/support", TestContext.Current.CancellationToken);
        Assert.Equal("029-8765 4321", support.GetProperty("phone").GetString());
        Assert.Contains("7×24", support.GetProperty("hours").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("示范街道城运中心", support.GetProperty("unit").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("029-8765 4321", true)]
    [InlineData("+86 (29) 8765-4321", true)]
    [InlineData("12345", true)]
    [InlineData("call us", false)]
    [InlineData("<script>", false)]
    public void OnlyATelephoneNumber_IsAcceptedAsTheSupportPhone(string phone, bool valid)
    {
        var options = new SupportOptions { Phone = phone };
        Assert.Equal(valid, Validator.TryValidateObject(options, new ValidationContext(options), null, validateAllProperties: true));
    }
}
