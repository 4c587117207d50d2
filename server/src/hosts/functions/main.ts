// Entry point of the Functions app (server/package.json "main"): what `func start` and Azure run.
import { app } from '@azure/functions';
import { catalogue } from '../../tools';
import { consoleLogger, toolDependenciesFromEnv } from '../../dependenciesFromEnv';
import { registerFunctionsTools } from './registerTools';

registerFunctionsTools(app, catalogue, toolDependenciesFromEnv(process.env, consoleLogger));
