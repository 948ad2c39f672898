namespace CivicGrid.Domain.Cases;

/// <summary>Names of the external systems cases are imported from (<see cref="Case.ExternalSource"/>).</summary>
public static class ExternalSources
{
    /// <summary>The city's 12345 government service hotline (市民服务热线).</summary>
    public const string Hotline12345 = "12345";
}

public sealed partial class Case
{
    /// <summary>
    /// 外部工单更新: the external system that filed this case sends its order again with a new description or contact
    /// (a 12345 re-import). By the system only; the new description replaces the old one, and the timeline keeps what it
    /// was (append-only). A changed contact is stored, but only the fact that it changed enters the timeline, which is
    /// kept forever and must not hold personal data. Status, colour and grid are unchanged; not shown to the reporter.
    /// </summary>
    /// <param name="contactPhone">The caller's phone as now given, digits only; null when the order carries none.</param>
    public void RecordExternalUpdate(Actor actor, int expectedVersion, DateTimeOffset now, string source, string number, string description,
        string? contactPhone)
    {
        Begin(actor, expectedVersion);
        Require(actor.IsSystem, CaseRules.SystemOnly);
        Require(ExternalSource is not null && ExternalSource == source && ExternalNumber == number, CaseRules.ExternalUpdateSameOrderOnly);
        var newDescription = description?.Trim() ?? string.Empty;
        var descriptionChanged = newDescription.Length > 0 && newDescription != Description;
        var contactChanged = !string.IsNullOrWhiteSpace(contactPhone) && contactPhone != ReporterPhone;
        Require(descriptionChanged || contactChanged, CaseRules.ExternalUpdateChangeRequired);
        var previous = Description;
        if (descriptionChanged)
        {
            Description = newDescription;
        }

        if (contactChanged)
        {
            ReporterPhone = contactPhone;
        }

        Record(actor, now, "external-update", Status, false, string.Empty, descriptionChanged ? newDescription : null,
            details: Facts(("source", source), ("order", number), ("description-changed", descriptionChanged ? "true" : "false"),
                ("previous-description", descriptionChanged ? previous : string.Empty), ("contact-changed", contactChanged ? "true" : "false")));
    }
}
