#include "transport/grpc/json_message.h"

#include "crypto/base64.h"
#include "jsonrpc/message.h"

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>

#include "mcpgw/mcp/v1/mcp.pb.h"

#include <cmath>

namespace mcpgw::rpc {
namespace {

using google::protobuf::ListValue;
using google::protobuf::Struct;
using google::protobuf::Value;
using json = nlohmann::json;

// The well-known types' JSON mapping, done directly (a profile of the gRPC
// door under load showed protobuf's JSON-text converter as its largest
// cost). Numbers are doubles, as in google.protobuf.Value; a whole number
// prints as an integer, as protobuf's printer does.
json FromValue(const Value& value);

json FromStruct(const Struct& s) {
  json out = json::object();
  for (const auto& [key, value] : s.fields()) out[key] = FromValue(value);
  return out;
}

json FromValue(const Value& value) {
  switch (value.kind_case()) {
    case Value::kBoolValue:
      return value.bool_value();
    case Value::kNumberValue: {
      const double d = value.number_value();
      constexpr double kExact = 9007199254740992.0;  // 2^53: every whole double below is an exact integer
      if (std::isfinite(d) && std::trunc(d) == d && std::fabs(d) < kExact) return static_cast<std::int64_t>(d);
      return d;
    }
    case Value::kStringValue:
      return value.string_value();
    case Value::kListValue: {
      json out = json::array();
      for (const Value& v : value.list_value().values()) out.push_back(FromValue(v));
      return out;
    }
    case Value::kStructValue:
      return FromStruct(value.struct_value());
    default:
      return nullptr;
  }
}

void ToStruct(const json& object, Struct* out);

void ToValue(const json& value, Value* out) {
  switch (value.type()) {
    case json::value_t::boolean:
      out->set_bool_value(value.get<bool>());
      break;
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float:
      out->set_number_value(value.get<double>());
      break;
    case json::value_t::string:
      out->set_string_value(value.get_ref<const std::string&>());
      break;
    case json::value_t::array: {
      ListValue* list = out->mutable_list_value();
      for (const json& v : value) ToValue(v, list->add_values());
      break;
    }
    case json::value_t::object:
      ToStruct(value, out->mutable_struct_value());
      break;
    default:
      out->set_null_value(google::protobuf::NULL_VALUE);
  }
}

void ToStruct(const json& object, Struct* out) {
  auto& fields = *out->mutable_fields();
  for (const auto& [key, value] : object.items()) ToValue(value, &fields[key]);
}

// protobuf's mapping also takes a field's proto name (is_error for isError);
// MCP never sends one, so such a key goes the general way.
bool IsProtoName(const std::string& key) { return key.find('_') != std::string::npos; }

// Each Set* fills one field from an MCP key; false when the value's type is
// not the one the field takes (the caller then asks protobuf's own mapping,
// which says why).
bool SetString(const json& v, std::string* out) {
  if (!v.is_string()) return false;
  *out = v.get_ref<const std::string&>();
  return true;
}
bool SetBytes(const json& v, std::string* out) {
  if (!v.is_string()) return false;
  auto bytes = crypto::Base64Decode(v.get_ref<const std::string&>());
  if (!bytes) return false;
  *out = std::move(*bytes);
  return true;
}
bool SetStruct(const json& v, Struct* out) {
  if (!v.is_object()) return false;
  ToStruct(v, out);
  return true;
}

bool FillResource(const json& j, mcpgw::mcp::v1::ResourceContents* r) {
  if (!j.is_object()) return false;
  for (const auto& [key, v] : j.items()) {
    bool ok = true;
    if (key == "uri") ok = SetString(v, r->mutable_uri());
    else if (key == "mimeType") ok = SetString(v, r->mutable_mime_type());
    else if (key == "text") ok = SetString(v, r->mutable_text());
    else if (key == "blob") ok = SetBytes(v, r->mutable_blob());
    else if (key == "_meta") ok = SetStruct(v, r->mutable_meta());
    else ok = !IsProtoName(key);
    if (!ok) return false;
  }
  return true;
}

bool FillContent(const json& j, mcpgw::mcp::v1::Content* c) {
  if (!j.is_object()) return false;
  for (const auto& [key, v] : j.items()) {
    bool ok = true;
    if (key == "type") ok = SetString(v, c->mutable_type());
    else if (key == "text") ok = SetString(v, c->mutable_text());
    else if (key == "data") ok = SetBytes(v, c->mutable_data());
    else if (key == "mimeType") ok = SetString(v, c->mutable_mime_type());
    else if (key == "resource") ok = FillResource(v, c->mutable_resource());
    else if (key == "uri") ok = SetString(v, c->mutable_uri());
    else if (key == "name") ok = SetString(v, c->mutable_name());
    else if (key == "title") ok = SetString(v, c->mutable_title());
    else if (key == "description") ok = SetString(v, c->mutable_description());
    else if (key == "annotations") ok = SetStruct(v, c->mutable_annotations());
    else if (key == "_meta") ok = SetStruct(v, c->mutable_meta());
    else ok = !IsProtoName(key);
    if (!ok) return false;
  }
  return true;
}

// A tools/call result as a CallToolResponse: the hot path of the door.
bool FillCallToolResponse(const json& j, mcpgw::mcp::v1::CallToolResponse* r) {
  if (!j.is_object()) return false;
  for (const auto& [key, v] : j.items()) {
    bool ok = true;
    if (key == "content") {
      if (!v.is_array()) return false;
      for (const json& item : v) ok = ok && FillContent(item, r->add_content());
    } else if (key == "structuredContent") {
      ok = SetStruct(v, r->mutable_structured_content());
    } else if (key == "isError") {
      ok = v.is_boolean();
      if (ok) r->set_is_error(v.get<bool>());
    } else if (key == "_meta") {
      ok = SetStruct(v, r->mutable_meta());
    } else {
      ok = !IsProtoName(key);
    }
    if (!ok) return false;
  }
  return true;
}

json CallToolRequestJson(const mcpgw::mcp::v1::CallToolRequest& r) {
  json out = json::object();
  if (!r.route().empty()) out["route"] = r.route();
  if (r.has_meta()) out["_meta"] = FromStruct(r.meta());
  if (!r.name().empty()) out["name"] = r.name();
  if (r.has_arguments()) out["arguments"] = FromStruct(r.arguments());
  return out;
}

}  // namespace

nlohmann::json ToJson(const google::protobuf::Message& message) {
  if (const auto* call = dynamic_cast<const mcpgw::mcp::v1::CallToolRequest*>(&message)) {
    return CallToolRequestJson(*call);
  }
  std::string text;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = false;  // json_name: next_cursor is nextCursor, meta is _meta
  if (!google::protobuf::util::MessageToJsonString(message, &text, options).ok()) return nlohmann::json::object();
  return nlohmann::json::parse(text, nullptr, false);
}

std::string FromJson(const nlohmann::json& value, google::protobuf::Message* message) {
  if (auto* call = dynamic_cast<mcpgw::mcp::v1::CallToolResponse*>(message)) {
    if (FillCallToolResponse(value, call)) return "";
    call->Clear();  // not the shape it takes: protobuf's mapping says why
  }
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;
  const auto status = google::protobuf::util::JsonStringToMessage(jsonrpc::Serialize(value), message, options);
  return status.ok() ? std::string() : std::string(status.message());
}

}  // namespace mcpgw::rpc
