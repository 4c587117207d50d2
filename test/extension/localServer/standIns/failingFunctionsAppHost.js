// A stand-in for server/dist/functionsApp.js that meets a problem in the user's app: as the host's
// contract says (server/src/hosts/functionsApp/main.ts), it prints what it serves so far, then one
// message on stderr naming the problem and its fix, and exits with code 1.
console.log(`Loading the Functions app in ${process.argv[2]} ...`);
console.error(
  'dist/src/functions/greet.js uses an input binding of type "cosmosDB", which the embedded host does not support. Run this app with Azure Functions Core Tools (func start), or remove the binding.',
);
process.exit(1);
