import { UserFacingError } from '../common/errors';
import { integerSetting, type SettingReader } from '../common/settings';

export type HostSetting = 'auto' | 'func' | 'embedded';

export interface LocalServerSettings {
  port: number;
  host: HostSetting;
  /** `func` on PATH unless the user gave a path. */
  funcPath: string;
  startTimeoutMs: number;
  azuriteBlobPort: number;
}

/** Settings are user input: each is checked, and a bad one is named with the value it should have. */
export function readLocalServerSettings(get: SettingReader): LocalServerSettings {
  const host = get('localServer.host') ?? 'auto';
  if (host !== 'auto' && host !== 'func' && host !== 'embedded') {
    throw new UserFacingError(
      `The setting remoteMcp.localServer.host is ${JSON.stringify(host)}; it must be "auto", "func" or "embedded".`,
    );
  }
  const funcPath = get('funcPath');
  if (funcPath !== undefined && typeof funcPath !== 'string') {
    throw new UserFacingError(
      'The setting remoteMcp.funcPath must be a path to the func executable, or empty.',
    );
  }
  return {
    port: integerSetting(get, 'localServer.port', 7071, 1, 65535),
    host,
    funcPath: funcPath?.trim() || 'func',
    startTimeoutMs: integerSetting(get, 'localServer.startTimeoutSeconds', 90, 5, 600) * 1000,
    azuriteBlobPort: integerSetting(get, 'localServer.azuriteBlobPort', 10000, 1, 65535),
  };
}
