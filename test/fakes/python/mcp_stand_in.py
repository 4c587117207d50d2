"""A stand-in for a Python MCP SDK server over Streamable HTTP, with the standard library only.

The MCP Python SDK cannot be installed on the test machines, so the stateless check of "Host on Azure
Functions" runs this in its place with the same command line (`python3 main.py`). It answers as the
SDK's StreamableHTTPSessionManager does (github.com/modelcontextprotocol/python-sdk,
src/mcp/server/streamable_http.py and streamable_http_manager.py): on POST /mcp, `initialize` gets a
result; stateful, with an `mcp-session-id` header, and a later request without that header gets
400 with a JSON-RPC error "Bad Request: Missing session ID" (a sessionless request opens a new
session whose transport then refuses it: `_validate_session`); stateless, every request is answered on its own. Notifications
get 202. It listens on 127.0.0.1 at PORT (FastMCP's default 8000 when unset).
"""

import json
import os
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def serve(stateful: bool) -> None:
    sessions: set[str] = set()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_POST(self) -> None:
            if self.path != "/mcp":
                self.send_error(404)
                return
            length = int(self.headers.get("content-length", "0"))
            message = json.loads(self.rfile.read(length) or b"{}")
            method = message.get("method")
            if method == "initialize":
                session = str(uuid.uuid4()) if stateful else None
                if session:
                    sessions.add(session)
                result = {
                    "protocolVersion": message["params"]["protocolVersion"],
                    "capabilities": {"tools": {"listChanged": False}},
                    "serverInfo": {"name": "recipes", "version": "0.1.0"},
                }
                self.answer(200, {"jsonrpc": "2.0", "id": message["id"], "result": result}, session)
                return
            if stateful and self.headers.get("mcp-session-id") not in sessions:
                error = {"code": -32600, "message": "Bad Request: Missing session ID"}
                self.answer(400, {"jsonrpc": "2.0", "id": "server-error", "error": error}, as_json=True)
                return
            if "id" not in message:
                self.send_response(202)
                self.send_header("content-length", "0")
                self.end_headers()
                return
            tools = [{"name": "get_recipe", "inputSchema": {"type": "object"}}]
            self.answer(200, {"jsonrpc": "2.0", "id": message["id"], "result": {"tools": tools}})

        def answer(self, status: int, body: dict, session: str | None = None, as_json: bool = False) -> None:
            text = json.dumps(body) if as_json else f"event: message\ndata: {json.dumps(body)}\n\n"
            data = text.encode()
            self.send_response(status)
            self.send_header("content-type", "application/json" if as_json else "text/event-stream")
            if session:
                self.send_header("mcp-session-id", session)
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    port = int(os.environ.get("PORT", "8000"))
    ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
