using CivicGrid.Server.Features.Deadlines;
using CivicGrid.Server.Features.Notifications;
using CivicGrid.Server.Infrastructure.Jobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CivicGrid.Server.Tests.Unit;

public sealed class NotificationAndJobSettingsTests
{
    [Theory]
    [InlineData("Outbox:SendTimeout", "00:05:00")] // not shorter than the lease
    [InlineData("Outbox:MaxAttempts", "0")]
    [InlineData("Outbox:BatchSize", "0")]
    public void BadOutboxSetting_IsRefusedAtStart(string key, string value)
    {
        using var services = Build(key, value);

        Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<OutboxOptions>>().Value);
    }

    [Theory]
    [InlineData("Jobs:AutoEvaluation:WaitingDays", "0", typeof(AutoEvaluationOptions))]
    [InlineData("Jobs:DueReminders:LeadWorkingHours", "0", typeof(DueReminderOptions))]
    [InlineData("Jobs:OverdueEscalation:Interval", "00:00:00", typeof(OverdueEscalationOptions))]
    [InlineData("Jobs:LeaseDuration", "00:00:20", typeof(JobsOptions))] // not longer than the poll interval
    public void BadJobSetting_IsRefusedAtStart(string key, string value, Type options)
    {
        using var services = Build(key, value);
        var accessor = services.GetRequiredService(typeof(IOptions<>).MakeGenericType(options));

        var thrown = Assert.ThrowsAny<Exception>(() => accessor.GetType().GetProperty("Value")!.GetValue(accessor));

        Assert.IsType<OptionsValidationException>(thrown.InnerException ?? thrown);
    }

    [Fact]
    public void Defaults_AreValid_AndJobsCanBeDisabledByConfiguration()
    {
        using var services = Build("Jobs:ParkReviews:Enabled", "false");

        Assert.False(services.GetRequiredService<IOptions<ParkReviewOptions>>().Value.Enabled);
        Assert.True(services.GetRequiredService<IOptions<OverdueEscalationOptions>>().Value.Enabled);
        Assert.False(services.GetRequiredService<IOptions<AutoSupervisionOptions>>().Value.Enabled);
        Assert.Equal(7, services.GetRequiredService<IOptions<AutoEvaluationOptions>>().Value.WaitingDays);
        Assert.Equal(8, services.GetRequiredService<IOptions<OutboxOptions>>().Value.MaxAttempts);
    }

    [Fact]
    public void BackOff_DoublesFromTheBaseDelay_UpToTheMaximum()
    {
        var options = new OutboxOptions { RetryBaseDelay = TimeSpan.FromSeconds(30), RetryMaxDelay = TimeSpan.FromMinutes(5) };

        Assert.Equal(
            [30, 60, 120, 240, 300, 300],
            Enumerable.Range(1, 6).Select(attempts => options.BackOff(attempts).TotalSeconds));
    }

    [Fact]
    public void MessageId_IsTheSameForTheSameCauseChannelAndRecipient_AndDiffersOtherwise()
    {
        var id = OutboxMessage.MessageIdFor("case:abc:3", OutboxChannel.Sms, "13912345678");

        Assert.Equal(id, OutboxMessage.MessageIdFor("case:abc:3", OutboxChannel.Sms, " 13912345678 "));
        Assert.NotEqual(id, OutboxMessage.MessageIdFor("case:abc:4", OutboxChannel.Sms, "13912345678"));
        Assert.NotEqual(id, OutboxMessage.MessageIdFor("case:abc:3", OutboxChannel.WeChat, "13912345678"));
        Assert.NotEqual(id, OutboxMessage.MessageIdFor("case:abc:3", OutboxChannel.Sms, "13912345679"));
        Assert.True(id.Length <= 64);
    }

    [Fact]
    public void TemplateParameters_OfALongNote_FitTheirColumn_AndStayReadableChinese()
    {
        var parameters = NotificationWriter.Parameters("7000000000001", new string('题', 300), "退回原因：" + new string('很', 5000));

        var message = new OutboxMessage("cg-test", OutboxChannel.WeChat, "oTest", OutboxTemplates.CaseTask, parameters, "7000000000001", DateTimeOffset.UtcNow);

        Assert.True(message.ParametersJson.Length <= 4000, $"{message.ParametersJson.Length} characters");
        Assert.Contains("退回原因", message.ParametersJson, StringComparison.Ordinal);
        Assert.EndsWith("…", message.Parameters()["text"], StringComparison.Ordinal);
    }

    private static ServiceProvider Build(string key, string value)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [key] = value }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(TimeProvider.System);
        NotificationsFeature.AddServices(services, configuration);
        DeadlinesFeature.AddServices(services, configuration);
        return services.BuildServiceProvider();
    }
}
