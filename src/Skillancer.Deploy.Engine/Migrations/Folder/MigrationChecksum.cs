using System.Security.Cryptography;
using System.Text;

namespace Skillancer.Deploy.Engine.Migrations.Folder;

/// <summary>
/// Prisma's migration checksum: SHA-256 over the UTF-8 text of migration.sql (a BOM stays part of
/// it), as 64 lowercase hex characters. A script still matches when only its line endings changed,
/// and checksums that old Prisma versions wrote without zero-padding match too.
/// </summary>
public static class MigrationChecksum
{
    /// <summary>The checksum of a script's text.</summary>
    public static string Compute(string script) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(script))).ToLowerInvariant();

    /// <summary>True when <paramref name="checksum"/> is the checksum of <paramref name="script"/> with LF or CRLF line endings.</summary>
    public static bool Matches(string script, string checksum)
    {
        foreach (var variant in new[] { script, script.Replace("\r\n", "\n", StringComparison.Ordinal), script.Replace("\n", "\r\n", StringComparison.Ordinal) })
        {
            var hash = SHA256.HashData(Encoding.UTF8.GetBytes(variant));
            if (string.Equals(Convert.ToHexString(hash).ToLowerInvariant(), checksum, StringComparison.Ordinal)
                || string.Equals(string.Concat(hash.Select(b => b.ToString("x", System.Globalization.CultureInfo.InvariantCulture))), checksum, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
