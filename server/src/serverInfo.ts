/**
 * What the server says about itself in `initialize`. host.json's `extensions.mcp` carries the same
 * values for the Functions host; a test keeps the two in step.
 */
export const serverInfo = {
  name: 'Remote MCP for Azure Functions',
  version: '0.1.0',
  instructions:
    'Tools, prompts and resources of the Remote MCP for Azure Functions sample server. Tools: hello_mcp checks the connection; save_snippet, get_snippet and list_snippets keep named text snippets in Azure Blob Storage; get_weather reports current conditions for a city from Open-Meteo, shown in the weather view (ui://weather/view.html) where MCP Apps are supported; analyze_invoice reads the vendor, dates, totals and line items of an invoice in the server’s data folder with Azure AI Content Understanding; the Get* tools analyse Azure infrastructure. Prompts: weather_briefing and snippet_review. Resources: each saved snippet as snippet://{name}.',
} as const;
