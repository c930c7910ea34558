return await Custodes.Cli.CliApp.RunAsync(args);
