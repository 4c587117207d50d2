// What a row of the MCP Servers view tells package.json's menus: VS Code matches the `when` clauses
// of `view/item/context` against the row's `contextValue` (`viewItem`), a plain string. This module
// is the one place that string is made; test/extension/statusView/rowContext.unit.test.ts reads
// every clause in package.json and fails on a word or a form this encoder never produces.
import type { LocalServerState } from '../localServer/localServerManager';
import type { AuthMode } from './serverStatus';

/** Every flag a row can carry. */
export type RowContext =
  | { row: 'localServer'; status: LocalServerState['status'] }
  | {
      row: 'remoteServer';
      connected: boolean;
      keyStored: boolean;
      auth: AuthMode;
      fromAzd: boolean;
      gateway: GatewayUse;
    }
  | { row: 'serverGroup' }
  | { row: 'signIn' };

/**
 * Whether an API Management gateway is in front of a deployed server, and the door in use: none; the
 * gateway (connected through it); the app (connected to the app endpoint although a gateway exists);
 * idle (a gateway, and not connected).
 */
export type GatewayUse = 'none' | 'via' | 'app' | 'idle';

/**
 * A local server row is `localServer.<status>` (menus compare it with `==`). A deployed server row
 * is `remoteServer` then one word per flag, so a menu can test one flag with a regex such as
 * `/^remoteServer\b.*\bkeyStored\b/` whatever the others are.
 */
export function encodeRowContext(context: RowContext): string {
  switch (context.row) {
    case 'localServer':
      return `localServer.${context.status}`;
    case 'remoteServer':
      return [
        'remoteServer',
        context.connected ? 'connected' : 'disconnected',
        context.keyStored ? 'keyStored' : 'noKey',
        `auth-${context.auth}`,
        context.fromAzd ? 'azd' : 'notAzd',
        `gateway-${context.gateway}`,
      ].join(' ');
    default:
      return context.row;
  }
}

// Records, not arrays: a status or auth mode added to its type fails to compile until listed here.
const localServerStatuses = Object.keys({
  stopped: true,
  starting: true,
  running: true,
  stopping: true,
} satisfies Record<LocalServerState['status'], true>) as LocalServerState['status'][];
const authModes = Object.keys({
  key: true,
  entra: true,
  anonymous: true,
  unknown: true,
} satisfies Record<AuthMode, true>) as AuthMode[];
const gatewayUses = Object.keys({
  none: true,
  via: true,
  app: true,
  idle: true,
} satisfies Record<GatewayUse, true>) as GatewayUse[];
const yesAndNo = [true, false] as const;

/** Every RowContext there is: what a test matches package.json's clauses against. */
export function everyRowContext(): RowContext[] {
  const remote = yesAndNo.flatMap((connected) =>
    yesAndNo.flatMap((keyStored) =>
      authModes.flatMap((auth) =>
        yesAndNo.flatMap((fromAzd) =>
          gatewayUses.map((gateway): RowContext => ({
            row: 'remoteServer',
            connected,
            keyStored,
            auth,
            fromAzd,
            gateway,
          })),
        ),
      ),
    ),
  );
  return [
    ...localServerStatuses.map((status): RowContext => ({ row: 'localServer', status })),
    ...remote,
    { row: 'serverGroup' },
    { row: 'signIn' },
  ];
}
