// The entry of dist/mcpClient.js: what needs the MCP SDK's client, bundled apart from the
// extension and required on first use (extension/probe/loadProbe.ts), so activation loads none of it.
export { probeMcpServer, probeServer } from './probe/mcpProbe';
export { checkSignIn } from './auth/signInCheck';
