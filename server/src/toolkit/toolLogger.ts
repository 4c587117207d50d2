/** Where the toolkit and the domain modules report what the operator should see; the hosts send it to the console. */
export interface ToolLogger {
  warn(message: string): void;
  error(message: string): void;
}
