-- wrk script: POSTs one MCP JSON-RPC body with the headers given in the
-- environment (BODY, SESSION_ID, PROTOCOL_VERSION).
wrk.method = "POST"
wrk.body = os.getenv("BODY")
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json, text/event-stream"
local sid = os.getenv("SESSION_ID")
if sid ~= nil and sid ~= "" then wrk.headers["Mcp-Session-Id"] = sid end
local version = os.getenv("PROTOCOL_VERSION")
if version ~= nil and version ~= "" then wrk.headers["MCP-Protocol-Version"] = version end
