using BudgetPerf.Dashboard.Cli;

return await BudgetPerfCli.Build().Parse(args).InvokeAsync();
