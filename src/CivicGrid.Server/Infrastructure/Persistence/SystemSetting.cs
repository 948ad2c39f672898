namespace CivicGrid.Server.Infrastructure.Persistence;

/// <summary>
/// A piece of configuration that administrators edit at run time (the work calendar, later rules),
/// stored as JSON under a stable key, with who changed it last and when.
/// </summary>
public sealed class SystemSetting
{
    private SystemSetting()
    {
        Key = null!;
        Json = null!;
    }

    public SystemSetting(string key, string json, Guid? updatedBy, DateTimeOffset updatedAt)
    {
        Key = key;
        Json = json;
        UpdatedBy = updatedBy;
        UpdatedAt = updatedAt;
    }

    public string Key { get; private set; }

    public string Json { get; private set; }

    public Guid? UpdatedBy { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public void Replace(string json, Guid? updatedBy, DateTimeOffset updatedAt)
    {
        Json = json;
        UpdatedBy = updatedBy;
        UpdatedAt = updatedAt;
    }
}
