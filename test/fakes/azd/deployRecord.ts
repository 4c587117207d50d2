// What the fake azd (fakeAzd.ts) records of each deploy when its configuration names a `deployRecord`
// file: one JSON line per deploy, read back by tests that assert which folder was deployed.
import { existsSync, readFileSync } from 'node:fs';

/** What `azd deploy` deploys: the `api` service of azure.yaml, its folder resolved as azd does. */
export interface DeployedService {
  environment: string;
  /** The folder holding azure.yaml. */
  projectDir: string;
  /** `services.api.project`, absolute (azd resolves it against azure.yaml's folder). */
  serviceDir: string;
  language?: string;
  host?: string;
}

/** Every deploy recorded in `file`, oldest first; none when nothing was deployed. */
export function readDeployRecord(file: string): DeployedService[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as DeployedService);
}
