-- wrk script: POSTs one MCP JSON-RPC body with the headers given in the
-- environment (BODY, SESSION_ID, PROTOCOL_VERSION, and for authenticated
-- runs either TOKEN, one bearer token for every request, or TOKENS_FILE, one
-- token per line, used in turn so that each request presents another token).
wrk.method = "POST"
wrk.body = os.getenv("BODY")
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json, text/event-stream"
local sid = os.getenv("SESSION_ID")
if sid ~= nil and sid ~= "" then wrk.headers["Mcp-Session-Id"] = sid end
local version = os.getenv("PROTOCOL_VERSION")
if version ~= nil and version ~= "" then wrk.headers["MCP-Protocol-Version"] = version end
local token = os.getenv("TOKEN")
if token ~= nil and token ~= "" then wrk.headers["Authorization"] = "Bearer " .. token end

local tokens_file = os.getenv("TOKENS_FILE")
if tokens_file ~= nil and tokens_file ~= "" then
  local tokens = {}
  for line in io.lines(tokens_file) do tokens[#tokens + 1] = line end
  local next_token = 1
  request = function()
    wrk.headers["Authorization"] = "Bearer " .. tokens[next_token]
    next_token = next_token % #tokens + 1
    return wrk.format()
  end
end
