import * as vscode from 'vscode';

/** `azd auth login` in a terminal the user sees: it signs in through the browser. */
export function signInWithAzdInTerminal(azdPath: string): void {
  const terminal = vscode.window.createTerminal('azd auth login');
  terminal.show();
  terminal.sendText(`"${azdPath}" auth login`);
}
