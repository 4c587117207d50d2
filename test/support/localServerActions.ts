// The message buttons LocalServerManager offers, as tests record them: each only has its title.
import type { MessageAction } from '../../extension/common/errors';
import type { LocalServerServices } from '../../extension/localServer/localServerManager';

export const titledAction = (title: string): MessageAction => ({ title, run: () => undefined });

export function recordedManagerActions(): LocalServerServices['actions'] {
  return {
    openSetting: () => titledAction('Open Settings'),
    showLogs: () => titledAction('Show Logs'),
    startAgain: () => titledAction('Start Again'),
    openUrl: () => undefined,
  };
}
