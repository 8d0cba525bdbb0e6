using Skillancer.Deploy.Engine.Migrations.Sql;

namespace Skillancer.Deploy.Engine.Migrations.Folder;

/// <summary>One migration in the folder: &lt;timestamp&gt;_&lt;name&gt;/migration.sql.</summary>
public sealed record LocalMigration(string Name, string ScriptPath, string Script, string Checksum)
{
    /// <summary>The script as the server should see it: without a leading byte-order mark.</summary>
    public string ExecutableScript => Script.TrimStart('\uFEFF');

    /// <summary>The script's statements.</summary>
    public IReadOnlyList<SqlStatement> Statements => SqlScript.Split(ExecutableScript);
}
