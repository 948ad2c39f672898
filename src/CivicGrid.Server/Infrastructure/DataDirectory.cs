namespace CivicGrid.Server.Infrastructure;

/// <summary>
/// The folder where the embedded database, generated keys and uploaded files live. Production
/// starts with nothing but this folder: whatever the server needs and was not configured is
/// generated here on first start.
/// </summary>
public sealed class DataDirectory
{
    public const string EnvironmentVariable = "CIVICGRID_DATA_DIR";

    public DataDirectory(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(Path);
    }

    /// <summary>Absolute path of the folder; it exists.</summary>
    public string Path { get; }

    /// <summary>Folder for generated secrets (token signing key, data protection keys); readable by the owner only.</summary>
    public string KeysPath => EnsureDirectory("keys", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    /// <summary>
    /// <c>CIVICGRID_DATA_DIR</c> if set, else the <c>DataDirectory</c> setting, else <c>./data</c>
    /// relative to the working directory.
    /// </summary>
    public static DataDirectory Resolve(IConfiguration configuration)
    {
        var path = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (string.IsNullOrWhiteSpace(path))
        {
            path = configuration["DataDirectory"];
        }

        return new DataDirectory(string.IsNullOrWhiteSpace(path) ? "data" : path);
    }

    private string EnsureDirectory(string name, UnixFileMode mode)
    {
        var path = Combine(name);
        if (!Directory.Exists(path))
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(path);
            }
            else
            {
                Directory.CreateDirectory(path, mode);
            }
        }

        return path;
    }
}
