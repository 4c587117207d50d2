// Entry point of the Functions app host (server/dist/functionsApp.js): a user's Node.js Functions MCP
// app (v4 programming model, `app.mcpTool` / `app.mcpResource` / `app.mcpPrompt`) served on the
// Functions MCP extension's routes with no Azure Functions Core Tools (issue 14, point 1).
//
// Contract, shared by the extension's Start Local Server, `npm start -- --project` and the tests:
//   node server/dist/functionsApp.js <app folder>
// - the folder holds the app's package.json (its `main`, globs allowed), host.json and, optionally,
//   local.settings.json, whose Values are put in process.env as `func start` would;
// - the environment is read as the embedded host reads it (PORT, default 7071; MCP_HOST, default
//   127.0.0.1; MCP_KEY; MCP_ALLOWED_HOSTS ...; see ../embedded/hostSettings.ts);
// - once it listens it prints `readyLinePrefix` (../embedded/startEmbeddedHost.ts) and the
//   Streamable HTTP URL, e.g. `Remote MCP embedded host ready: http://127.0.0.1:7071/runtime/webhooks/mcp`;
// - a problem the user must fix (syntax error, missing build, missing node_modules, unsupported
//   binding, port in use) is printed to stderr as one message naming it and how to fix it, and the
//   process exits with code 1.
console.error('The Functions app host is not built yet (issue 14).');
process.exit(1);
