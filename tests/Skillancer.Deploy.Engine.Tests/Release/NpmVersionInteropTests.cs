using Skillancer.Deploy.Engine.Release;
using Skillancer.Deploy.Engine.Release.Npm;
using Skillancer.Deploy.Engine.Tests.Infrastructure;

namespace Skillancer.Deploy.Engine.Tests.Release;

/// <summary>The files we write must be byte-for-byte what `npm version X --no-git-tag-version` writes.</summary>
public class NpmVersionInteropTests
{
    public static TheoryData<string> Cases() =>
        new(Directory.GetDirectories(Path.Join(RepositoryFiles.Root, "tests", "fixtures", "npm-version")).Select(Path.GetFileName).Order()!);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Writes_the_same_bytes_as_npm_version(string fixture)
    {
        using var byNpm = CopyOf(fixture);
        using var byUs = CopyOf(fixture);

        NpmCli.Run(byNpm.Path, "version", "3.0.0", "--no-git-tag-version", "--ignore-scripts");
        VersionFiles.Write(VersionFiles.Plan(byUs.Path, "3.0.0", workspaces: false));

        foreach (var file in Directory.GetFiles(byNpm.Path))
        {
            var name = Path.GetFileName(file);
            Assert.True(
                File.ReadAllBytes(file).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Join(byUs.Path, name))),
                $"{fixture}/{name} differs.\nnpm:\n{File.ReadAllText(file)}\nours:\n{File.ReadAllText(Path.Join(byUs.Path, name))}");
        }
    }

    [Theory]
    [InlineData("1.2.3", VersionBump.Major, null)]
    [InlineData("1.2.3", VersionBump.Minor, null)]
    [InlineData("1.2.3", VersionBump.Patch, null)]
    [InlineData("1.2.3", VersionBump.Prerelease, null)]
    [InlineData("1.2.3", VersionBump.Prerelease, "rc")]
    [InlineData("2.0.0-rc.1", VersionBump.Major, null)]
    [InlineData("1.3.0-rc.1", VersionBump.Minor, null)]
    [InlineData("1.3.1-rc.1", VersionBump.Minor, null)]
    [InlineData("1.2.4-rc.1", VersionBump.Patch, null)]
    [InlineData("1.2.4-rc.1", VersionBump.Prerelease, null)]
    [InlineData("1.2.4-rc.1", VersionBump.Prerelease, "rc")]
    [InlineData("1.2.4-alpha.1", VersionBump.Prerelease, "beta")]
    [InlineData("1.2.4-alpha", VersionBump.Prerelease, null)]
    public void Bumps_the_way_npm_version_does(string current, VersionBump bump, string? preId)
    {
        using var folder = new TempFolder();
        folder.Write("package.json", $"{{\n  \"name\": \"svc\",\n  \"version\": \"{current}\"\n}}\n");
        var arguments = new List<string> { "version", bump.ToString().ToLowerInvariant(), "--no-git-tag-version", "--ignore-scripts" };
        if (preId is not null)
        {
            arguments.AddRange(["--preid", preId]);
        }

        var npm = NpmCli.Run(folder.Path, [.. arguments]);

        Assert.Equal(npm, ReleaseVersion.Tag(ReleaseVersion.Bump(ReleaseVersion.ParseCurrent(current), bump, preId)));
    }

    private static TempFolder CopyOf(string fixture)
    {
        var folder = new TempFolder();
        foreach (var file in Directory.GetFiles(Path.Join(RepositoryFiles.Root, "tests", "fixtures", "npm-version", fixture)))
        {
            File.Copy(file, Path.Join(folder.Path, Path.GetFileName(file)));
        }

        return folder;
    }
}
