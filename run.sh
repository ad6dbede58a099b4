#!/usr/bin/env bash
# The main job on the embedded default: build, load the demo county (deterministic, seed 42) into
# data/budgetperf.duckdb, build the warehouse, and serve the dashboard on http://127.0.0.1:5000.
# Extra arguments go to `serve` (e.g. --urls http://0.0.0.0:5000). Give your own data with
# `budgetperf load FILE...` instead of the demo (see README).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build dashboard/Cli/BudgetPerf.Cli.csproj -c Release -v quiet -nologo
budgetperf=(dotnet dashboard/Cli/bin/Release/net10.0/budgetperf.dll)
"${budgetperf[@]}" demo
exec "${budgetperf[@]}" serve "$@"
