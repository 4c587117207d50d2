// Entry point of the Functions app (server/package.json "main"): what `func start` and Azure run.
import { app } from '@azure/functions';
import { catalogue } from '../../tools';
import { promptCatalogue } from '../../prompts';
import { resourceCatalogue } from '../../resources';
import { consoleLogger, toolDependenciesFromEnv } from '../../dependenciesFromEnv';
import { registerFunctionsTools } from './registerTools';
import { registerFunctionsPrompts } from './registerPrompts';
import { registerFunctionsResources } from './registerResources';

const deps = toolDependenciesFromEnv(process.env, consoleLogger);
registerFunctionsTools(app, catalogue, deps);
registerFunctionsPrompts(app, promptCatalogue);
registerFunctionsResources(app, resourceCatalogue, deps);
