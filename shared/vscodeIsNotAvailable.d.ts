// The shared module and the server run outside VS Code (in plain Node and the Functions worker), so
// their tsconfig.json maps `vscode` to this file, which is no module: importing `vscode` there fails
// type checking with "File '…/vscodeIsNotAvailable.d.ts' is not a module".
