using BudgetPerf.Dashboard.Cli;

return await BudgetPerfCli.RunAsync(args);
