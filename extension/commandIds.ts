// Every command this extension registers, by the id package.json contributes it under. Code that
// registers or runs one of our commands names it here, so a renamed id fails to compile instead
// of failing when clicked; test/extension/commandIds.unit.test.ts checks this list against package.json.

export const CommandId = {
  startLocalServer: 'remoteMcp.startLocalServer',
  stopLocalServer: 'remoteMcp.stopLocalServer',
  showLogs: 'remoteMcp.showLogs',
  deploy: 'remoteMcp.deploy',
  hostOnFunctions: 'remoteMcp.hostOnFunctions',
  addDeploymentFiles: 'remoteMcp.addDeploymentFiles',
  startInMcpClient: 'remoteMcp.startInMcpClient',
  connect: 'remoteMcp.connect',
  connectThroughGateway: 'remoteMcp.connectThroughGateway',
  connectToAppEndpoint: 'remoteMcp.connectToAppEndpoint',
  enableApiManagement: 'remoteMcp.enableApiManagement',
  disconnect: 'remoteMcp.disconnect',
  fetchKey: 'remoteMcp.fetchKey',
  forgetKey: 'remoteMcp.forgetKey',
  addToMcpJson: 'remoteMcp.addToMcpJson',
  getFunctionKey: 'remoteMcp.getFunctionKey',
  enableEntraAuth: 'remoteMcp.enableEntraAuth',
  disableEntraAuth: 'remoteMcp.disableEntraAuth',
  checkSignIn: 'remoteMcp.checkSignIn',
  refreshServers: 'remoteMcp.refreshServers',
  openInPortal: 'remoteMcp.statusView.openInPortal',
  copyMcpUrl: 'remoteMcp.statusView.copyMcpUrl',
  redeploy: 'remoteMcp.statusView.redeploy',
  showServerLogs: 'remoteMcp.statusView.showServerLogs',
  removeServer: 'remoteMcp.statusView.remove',
  restoreRemovedServers: 'remoteMcp.statusView.restoreRemoved',
  signInToAzure: 'remoteMcp.statusView.signIn',
} as const;

export type CommandId = (typeof CommandId)[keyof typeof CommandId];

/**
 * Ids in CommandId that package.json deliberately does not contribute: registered, but only ever
 * run by the extension itself. None today; an id listed here must say why.
 */
export const internalCommandIds: readonly CommandId[] = [];

/** A VS Code command the view or a message runs that is not ours (no registration to check). */
export const BuiltInCommandId = {
  openSettings: 'workbench.action.openSettings',
  startAzurite: 'azurite.start',
  /** VS Code makes `<view id>.focus` for every contributed view. */
  focusServersView: 'remoteMcp.servers.focus',
} as const;

export type BuiltInCommandId = (typeof BuiltInCommandId)[keyof typeof BuiltInCommandId];
