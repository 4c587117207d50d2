# A stand-in for the python-self-hosted fixture's server.py: Python's MCP SDK cannot be installed
# where the tests run, so this speaks just enough stateless Streamable HTTP (initialize,
# notifications, tools/list, tools/call) with the standard library, and writes down how it was
# started (argv, cwd, environment) for the test to check. It listens where FastMCP would: the
# port in FUNCTIONS_CUSTOMHANDLER_PORT, on FASTMCP_HOST.
import json
import os
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

with open(os.path.join(os.getcwd(), "launch.json"), "w", encoding="utf-8") as record:
    json.dump({"argv": sys.argv, "cwd": os.getcwd(), "env": dict(os.environ)}, record)

TOOLS = [
    {
        "name": "find_book",
        "description": "Find a book by title and return its author and first publication year.",
        "inputSchema": {"type": "object", "properties": {"title": {"type": "string"}}, "required": ["title"]},
    }
]


def answer(message):
    method = message.get("method")
    if method == "initialize":
        return {
            "protocolVersion": message["params"]["protocolVersion"],
            "capabilities": {"tools": {}},
            "serverInfo": {"name": "books", "version": "1.0.0"},
        }
    if method == "tools/list":
        return {"tools": TOOLS}
    if method == "tools/call":
        title = message["params"]["arguments"]["title"]
        return {"content": [{"type": "text", "text": f"{title} by a stand-in author"}]}
    return None


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        if self.path != "/mcp":
            self.send_error(404)
            return
        message = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        if "id" not in message:
            self.send_response(202)
            self.end_headers()
            return
        result = answer(message)
        body = {"jsonrpc": "2.0", "id": message["id"]}
        if result is None:
            body["error"] = {"code": -32601, "message": "Method not found"}
        else:
            body["result"] = result
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


port = int(os.environ["FUNCTIONS_CUSTOMHANDLER_PORT"])
server = ThreadingHTTPServer((os.environ.get("FASTMCP_HOST", "0.0.0.0"), port), Handler)
print(f"books stand-in listening on http://127.0.0.1:{port}/mcp", flush=True)
server.serve_forever()
