#include "transport/grpc/json_message.h"

#include <google/protobuf/util/json_util.h>

namespace mcpgw::rpc {

nlohmann::json ToJson(const google::protobuf::Message& message) {
  std::string text;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = false;  // json_name: next_cursor is nextCursor, meta is _meta
  if (!google::protobuf::util::MessageToJsonString(message, &text, options).ok()) return nlohmann::json::object();
  return nlohmann::json::parse(text, nullptr, false);
}

std::string FromJson(const nlohmann::json& value, google::protobuf::Message* message) {
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;
  const auto status = google::protobuf::util::JsonStringToMessage(value.dump(), message, options);
  return status.ok() ? std::string() : std::string(status.message());
}

}  // namespace mcpgw::rpc
