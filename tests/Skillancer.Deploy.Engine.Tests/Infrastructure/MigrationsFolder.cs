using System.Text;
using Skillancer.Deploy.Engine.Migrations;
using Skillancer.Deploy.Engine.Migrations.Database;
using Skillancer.Deploy.Engine.Primitives;

namespace Skillancer.Deploy.Engine.Tests.Infrastructure;

/// <summary>A Prisma migrations folder written by a test, and the source that points it at a test database.</summary>
public sealed class MigrationsFolder : IDisposable
{
    private readonly TempFolder _folder = new();

    public string Path => _folder.Path;

    public string Add(string name, string sql) => AddBytes(name, Encoding.UTF8.GetBytes(sql));

    public string AddBytes(string name, byte[] bytes)
    {
        var directory = System.IO.Path.Join(Path, name);
        Directory.CreateDirectory(directory);
        var file = System.IO.Path.Join(directory, "migration.sql");
        File.WriteAllBytes(file, bytes);
        return file;
    }

    public MigrationSource Source(TestDatabase database, string? schema = null, string? rollback = null, bool requireSafety = false) =>
        new(DatabaseTarget.Parse(new Secret(database.Url(schema), "test"), "test"), Path, rollback, null, requireSafety);

    public void Dispose() => _folder.Dispose();
}
