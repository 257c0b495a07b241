namespace MlOps.Cli.Tests;

public class MlOpsCommandTests
{
    [Fact]
    public void A_command_line_that_names_a_subcommand_builds_that_subcommand_alone()
    {
        var context = new CliContext(TextWriter.Null, TextWriter.Null, showProgress: false);
        var all = MlOpsCommand.Create(context).Subcommands.Select(c => c.Name).ToArray();
        Assert.Equal(all, MlOpsCommand.SubcommandNames);
        foreach (string name in all)
            Assert.Equal(name, Assert.Single(MlOpsCommand.Create(context, name).Subcommands).Name);
        Assert.Equal(all, MlOpsCommand.Create(context, "--help").Subcommands.Select(c => c.Name));
        Assert.Equal(all, MlOpsCommand.Create(context, "drfit").Subcommands.Select(c => c.Name));
    }

    [Fact]
    public async Task Help_of_the_root_still_lists_every_subcommand()
    {
        var (code, output, _) = await CliRunner.Run("--help");
        Assert.Equal(0, code);
        foreach (string name in MlOpsCommand.SubcommandNames)
            Assert.Contains(name, output);
    }
}
