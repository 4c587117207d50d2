import { UserFacingError } from '../common/errors';
import { integerSetting, type SettingReader } from '../common/settings';

export interface StatusViewSettings {
  /** 0: no automatic refresh. */
  autoRefreshMs: number;
  probeConcurrency: number;
  probeTimeoutMs: number;
}

export const DEFAULT_STATUS_VIEW_SETTINGS: StatusViewSettings = {
  autoRefreshMs: 0,
  probeConcurrency: 8,
  probeTimeoutMs: 10_000,
};

/**
 * The view's settings. A bad value does not stop the view: it is named (what it is, what it must be)
 * in `problems`, which the view shows with a way to the setting, and the default is used meanwhile.
 */
export function readStatusViewSettings(get: SettingReader): {
  settings: StatusViewSettings;
  problems: string[];
} {
  const problems: string[] = [];
  const read = (key: string, fallback: number, min: number, max: number) => {
    try {
      return integerSetting(get, key, fallback, min, max);
    } catch (error) {
      if (!(error instanceof UserFacingError)) throw error;
      problems.push(`${error.message} Using ${fallback} until it is fixed.`);
      return fallback;
    }
  };
  const autoRefreshSeconds = read('statusView.autoRefreshSeconds', 0, 0, 86_400);
  if (autoRefreshSeconds > 0 && autoRefreshSeconds < 10) {
    problems.push(
      `The setting remoteMcp.statusView.autoRefreshSeconds is ${autoRefreshSeconds}; it must be 0 (off) or at least 10. Refreshing every 10 seconds until it is fixed.`,
    );
  }
  return {
    settings: {
      autoRefreshMs: autoRefreshSeconds === 0 ? 0 : Math.max(10, autoRefreshSeconds) * 1000,
      probeConcurrency: read(
        'statusView.probeConcurrency',
        DEFAULT_STATUS_VIEW_SETTINGS.probeConcurrency,
        1,
        64,
      ),
      probeTimeoutMs:
        read('statusView.probeTimeoutSeconds', DEFAULT_STATUS_VIEW_SETTINGS.probeTimeoutMs / 1000, 1, 120) *
        1000,
    },
    problems,
  };
}
