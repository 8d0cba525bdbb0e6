using System.Text;
using System.Text.RegularExpressions;
using Skillancer.Deploy.Engine.Configuration;
using Skillancer.Deploy.Engine.Primitives;

namespace Skillancer.Deploy.Engine.Migrations.Folder;

/// <summary>
/// Reads a Prisma migrations folder: every sub-folder holding a migration.sql, ordered by name
/// with ordinal comparison. A migration_lock.toml, when present, must name postgresql.
/// </summary>
public static partial class MigrationFolder
{
    [GeneratedRegex(@"^\s*provider\s*=\s*""(?<provider>[^""]*)""", RegexOptions.Multiline)]
    private static partial Regex Provider();

    /// <summary>The migrations in <paramref name="folder"/>, in the order they apply.</summary>
    public static IReadOnlyList<LocalMigration> Read(string folder, OperationHost host)
    {
        if (!Directory.Exists(folder))
        {
            throw new DeployException(MigrationErrors.MigrationsFolderNotFound, DeployErrorCategory.ObjectNotFound,
                $"The migrations folder '{folder}' does not exist. Pass -Path with the folder that holds the migrations " +
                "(prisma/migrations in a Prisma project), or set database.migrations for the environment.", folder);
        }

        CheckProvider(folder);
        var migrations = new List<LocalMigration>();
        foreach (var directory in Directory.GetDirectories(folder).Order(StringComparer.Ordinal))
        {
            var script = Path.Join(directory, "migration.sql");
            if (!File.Exists(script))
            {
                host.Warning($"{directory} has no migration.sql and is skipped. Prisma would refuse the folder; move it out of {folder}.");
                continue;
            }

            var text = ReadScript(script);
            migrations.Add(new LocalMigration(Path.GetFileName(directory), script, text, MigrationChecksum.Compute(text)));
        }

        return migrations;
    }

    /// <summary>
    /// The folder a migration command works on: the one given (-Path), else the environment's
    /// database.migrations, else ./prisma/migrations, Prisma's default.
    /// </summary>
    public static string Locate(string? givenFolder, DatabaseSettings? database, string currentDirectory) =>
        givenFolder ?? database?.Migrations ?? Path.Join(currentDirectory, "prisma", "migrations");

    /// <summary>The names of the migrations in <paramref name="folder"/>, in order, without reading them; empty when it does not exist.</summary>
    public static IReadOnlyList<string> Names(string folder) =>
        Directory.Exists(folder)
            ? Directory.GetDirectories(folder).Where(d => File.Exists(Path.Join(d, "migration.sql"))).Select(d => Path.GetFileName(d)).Order(StringComparer.Ordinal).ToList()
            : [];

    /// <summary>A migration.sql as Prisma checksums it: UTF-8, a byte-order mark kept.</summary>
    public static string ReadScript(string path) => new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetString(File.ReadAllBytes(path));

    private static void CheckProvider(string folder)
    {
        var lockFile = Path.Join(folder, "migration_lock.toml");
        if (!File.Exists(lockFile))
        {
            return;
        }

        var match = Provider().Match(File.ReadAllText(lockFile));
        if (match.Success && !string.Equals(match.Groups["provider"].Value, "postgresql", StringComparison.Ordinal))
        {
            throw new DeployException(MigrationErrors.MigrationProviderMismatch, DeployErrorCategory.InvalidData,
                $"{lockFile} says the migrations were written for '{match.Groups["provider"].Value}', not postgresql. Point -Path at the PostgreSQL migrations.",
                lockFile);
        }
    }
}
