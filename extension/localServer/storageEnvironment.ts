// The same environment as `npm start -- --project` gives the app: one definition, in shared/.
export { localServerEnvironment } from '../../shared/functionsAppRun/appEnvironment';
