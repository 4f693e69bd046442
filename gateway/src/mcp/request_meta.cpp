#include "mcp/request_meta.h"

#include "jsonrpc/message.h"
#include "mcp/protocol_version.h"

namespace mcpgw::mcp {

using json = nlohmann::json;

std::optional<std::string> MissingMetaField(const json& params) {
  const auto meta = params.find("_meta");
  if (meta == params.end() || !meta->is_object()) {
    return "Missing params._meta: every request must carry its protocol version and client capabilities there";
  }
  if (!meta->contains(kMetaProtocolVersion) || !(*meta)[kMetaProtocolVersion].is_string()) {
    return std::string("Missing params._meta[\"") + kMetaProtocolVersion + "\": every request must name its protocol version";
  }
  if (!meta->contains(kMetaClientCapabilities) || !(*meta)[kMetaClientCapabilities].is_object()) {
    return std::string("Missing params._meta[\"") + kMetaClientCapabilities +
           "\": every request must carry the client's capabilities (an object, possibly empty)";
  }
  return std::nullopt;
}

std::string MetaProtocolVersion(const json& params) {
  const auto meta = params.find("_meta");
  if (meta == params.end() || !meta->is_object()) return "";
  const auto v = meta->find(kMetaProtocolVersion);
  return v != meta->end() && v->is_string() ? v->get<std::string>() : "";
}

json UnsupportedVersionError(const json& id, const std::string& requested) {
  json supported = json::array();
  for (std::string_view v : SupportedVersions()) supported.push_back(v);
  return jsonrpc::MakeError(id, jsonrpc::code::kUnsupportedProtocolVersion,
                            "Unsupported protocol version \"" + requested + "\": this gateway speaks " + supported.dump(),
                            {{"supported", supported}, {"requested", requested}});
}

}  // namespace mcpgw::mcp
