using Microsoft.IdentityModel.JsonWebTokens;

namespace Listes360.Cli.Tests;

/// <summary>`listes360 token`: an administrator of the Orne by default, national only when asked, and only for admin.</summary>
public sealed class TokenCommandTests
{
    private static async Task<(int ExitCode, string Output)> RunAsync(params string[] args)
    {
        await using var token = CliProcess.Start(["token", .. args]);
        await token.WaitForExitAsync(TimeSpan.FromSeconds(60));
        return (token.ExitCode, token.Output);
    }

    private static JsonWebToken Read(string output) => new(output.Trim().Split('\n').Last().Trim());

    [Fact]
    public async Task An_admin_token_is_of_the_orne_unless_national_is_asked()
    {
        var (code, output) = await RunAsync("--role", "admin", "--name", "test-cli");
        Assert.True(code == 0, output);
        var departmental = Read(output);
        Assert.Equal("61", departmental.GetClaim("department").Value);
        Assert.False(departmental.TryGetClaim("scope", out _));

        (code, output) = await RunAsync("--role", "admin", "--national", "--name", "test-cli");
        Assert.True(code == 0, output);
        var national = Read(output);
        Assert.Equal("national", national.GetClaim("scope").Value);
        Assert.False(national.TryGetClaim("department", out _));
    }

    [Fact]
    public async Task Only_an_admin_may_be_national()
    {
        var (code, output) = await RunAsync("--role", "observatory", "--national");

        Assert.Equal(1, code);
        Assert.Contains("--national ne vaut que pour un jeton admin", output);
    }
}
