using System.Text;
using Skillancer.Deploy.Engine.Primitives;

namespace Skillancer.Deploy.Engine.Migrations.Sql;

/// <summary>The SQL files a path names: a .sql file, one migration's folder, or a whole migrations folder.</summary>
public static class SqlFiles
{
    /// <summary>The files, in migration order.</summary>
    public static IReadOnlyList<string> Resolve(string path)
    {
        if (File.Exists(path))
        {
            return [Path.GetFullPath(path)];
        }

        if (Directory.Exists(path))
        {
            var own = Path.Join(path, "migration.sql");
            if (File.Exists(own))
            {
                return [Path.GetFullPath(own)];
            }

            var nested = Directory.GetDirectories(path).Order(StringComparer.Ordinal)
                .Select(d => Path.Join(d, "migration.sql")).Where(File.Exists).ToList();
            return nested.Count > 0 ? nested : Directory.GetFiles(path, "*.sql").Order(StringComparer.Ordinal).ToList();
        }

        throw new DeployException(MigrationErrors.SqlPathNotFound, DeployErrorCategory.ObjectNotFound,
            $"'{path}' is neither a .sql file nor a folder. Pass a migrations folder, one migration's folder, or a .sql file.", path);
    }

    /// <summary>A file's text, decoded as UTF-8.</summary>
    public static string Read(string file) => new UTF8Encoding(false).GetString(File.ReadAllBytes(file));
}
