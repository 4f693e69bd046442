// Protobuf messages <-> MCP JSON through protobuf's own JSON mapping
// (google::protobuf::util), not a converter of our own: the MCP messages in
// proto/mcpgw/mcp/v1/mcp.proto are named so that their JSON names are MCP's
// keys, so a request message becomes MCP params and an MCP result becomes a
// response message in one step each. The door's hot messages (a
// CallToolRequest's JSON, a CallToolResponse from a tools/call result) are
// mapped directly to the same result, without the JSON-text round trip
// protobuf's converter makes (ADR 0018).
#pragma once

#include <google/protobuf/message.h>

#include <nlohmann/json.hpp>

#include <string>

namespace mcpgw::rpc {

// The message as JSON (proto3 JSON names; default values left out).
nlohmann::json ToJson(const google::protobuf::Message& message);

// Fills `message` from `value`, ignoring keys the message does not know
// (MCP may add fields). Returns "" or why it does not fit.
std::string FromJson(const nlohmann::json& value, google::protobuf::Message* message);

}  // namespace mcpgw::rpc
