#include "transport/http/header_validation.h"

#include "crypto/base64.h"
#include "mcp/protocol_version.h"
#include "mcp/request_meta.h"
#include "mcp/tool_catalog.h"

#include <algorithm>
#include <cctype>
#include <cmath>

namespace mcpgw::http {
namespace {

using json = nlohmann::json;

std::optional<std::string_view> Find(const Request& req, std::string_view name) { return HeaderValue(req, name); }

// A -32020 problem; turned into a rejection carrying the request id below.
struct HeaderProblem {
  std::string message;
};
HeaderProblem Mismatch(std::string message) { return {"Header mismatch: " + message}; }

bool IsSafeHeaderChar(unsigned char c) { return c == '\t' || (c >= 0x20 && c <= 0x7E); }

// The value an x-mcp-header parameter carries, as the header must spell it.
std::optional<std::string> HeaderForm(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  if (v.is_number_integer()) return std::to_string(v.get<int64_t>());
  if (v.is_number_unsigned()) return std::to_string(v.get<uint64_t>());
  if (v.is_number_float()) {
    const double d = v.get<double>();
    if (std::floor(d) == d && std::fabs(d) < 9e15) return std::to_string(static_cast<int64_t>(d));
  }
  return std::nullopt;
}

// Header and body agree; integers compare numerically (42 and 42.0).
bool SameValue(const std::string& header, const json& body) {
  if (body.is_number()) {
    try {
      std::size_t used = 0;
      const double h = std::stod(header, &used);
      return used == header.size() && h == body.get<double>();
    } catch (...) {
      return false;
    }
  }
  const auto form = HeaderForm(body);
  return form && *form == header;
}

// Collects (header name, property path) for every x-mcp-header annotation
// along chains of `properties`.
void CollectParams(const json& schema, std::vector<std::string>& path,
                   std::vector<std::pair<std::string, std::vector<std::string>>>& out) {
  const auto props = schema.find("properties");
  if (props == schema.end() || !props->is_object()) return;
  for (const auto& [key, sub] : props->items()) {
    if (!sub.is_object()) continue;
    path.push_back(key);
    if (auto h = sub.find("x-mcp-header"); h != sub.end() && h->is_string()) out.emplace_back(h->get<std::string>(), path);
    CollectParams(sub, path, out);
    path.pop_back();
  }
}

const json* At(const json& root, const std::vector<std::string>& path) {
  const json* cur = &root;
  for (const auto& key : path) {
    if (!cur->is_object()) return nullptr;
    auto it = cur->find(key);
    if (it == cur->end()) return nullptr;
    cur = &*it;
  }
  return cur;
}

// Mcp-Name and Mcp-Param-* against the body.
std::optional<HeaderProblem> CheckNames(const Request& req, const jsonrpc::Message& msg, const mcp::Tool* tool) {
  const char* name_field = msg.method == "tools/call" || msg.method == "prompts/get" ? "name"
                           : msg.method == "resources/read"                          ? "uri"
                                                                                     : nullptr;
  if (name_field != nullptr) {
    const auto raw = Find(req, "Mcp-Name");
    if (!raw) return Mismatch(std::string("the Mcp-Name header is required for ") + msg.method);
    const auto decoded = DecodeHeaderValue(*raw);
    if (!decoded) return Mismatch("the Mcp-Name header holds invalid characters or invalid base64");
    const auto body = msg.params.find(name_field);
    if (body == msg.params.end() || !body->is_string() || body->get<std::string>() != *decoded) {
      return Mismatch("Mcp-Name header value '" + *decoded + "' does not match body value " +
                      (body == msg.params.end() ? std::string("(absent)") : body->dump()));
    }
  }
  if (tool == nullptr) return std::nullopt;
  std::vector<std::string> path;
  std::vector<std::pair<std::string, std::vector<std::string>>> params;
  CollectParams(tool->definition.value("inputSchema", json::object()), path, params);
  const json args = msg.params.value("arguments", json::object());
  for (const auto& [name, where] : params) {
    const json* value = At(args, where);
    if (value == nullptr || value->is_null()) continue;  // the header is not expected
    const auto header = Find(req, "Mcp-Param-" + name);
    if (!header) return Mismatch("the Mcp-Param-" + name + " header is required: the body carries that parameter");
    const auto decoded = DecodeHeaderValue(*header);
    if (!decoded) return Mismatch("the Mcp-Param-" + name + " header holds invalid characters or invalid base64");
    if (!SameValue(*decoded, *value)) {
      return Mismatch("Mcp-Param-" + name + " header value '" + *decoded + "' does not match body value " +
                      value->dump());
    }
  }
  return std::nullopt;
}

// The first MCP header (MCP-Protocol-Version, Mcp-Method, Mcp-Name,
// Mcp-Param-*) the request carries more than once: a proxy that routes on
// one copy and the gateway that reads another would disagree.
std::optional<std::string> RepeatedMcpHeader(const Request& req) {
  std::vector<std::pair<std::string, std::string_view>> names;  // lowercased, as sent
  for (const auto& field : req) {
    std::string name(field.name_string());
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (name == "mcp-protocol-version" || name == "mcp-method" || name == "mcp-name" ||
        name.rfind("mcp-param-", 0) == 0) {
      names.emplace_back(std::move(name), field.name_string());
    }
  }
  // Sorted, not searched per header: a megabyte of headers stays cheap.
  std::stable_sort(names.begin(), names.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  const auto repeated =
      std::adjacent_find(names.begin(), names.end(), [](const auto& a, const auto& b) { return a.first == b.first; });
  if (repeated == names.end()) return std::nullopt;
  return std::string((repeated + 1)->second);
}

}  // namespace

std::optional<std::string> DecodeHeaderValue(std::string_view value) {
  for (unsigned char c : value) {
    if (!IsSafeHeaderChar(c)) return std::nullopt;
  }
  constexpr std::string_view kPrefix = "=?base64?", kSuffix = "?=";
  if (value.size() >= kPrefix.size() + kSuffix.size() && value.substr(0, kPrefix.size()) == kPrefix &&
      value.substr(value.size() - kSuffix.size()) == kSuffix) {
    return crypto::Base64Decode(value.substr(kPrefix.size(), value.size() - kPrefix.size() - kSuffix.size()));
  }
  return std::string(value);
}

std::optional<std::string_view> HeaderValue(const Request& req, std::string_view name) {
  auto it = req.find(beast::string_view(name.data(), name.size()));
  if (it == req.end()) return std::nullopt;
  std::string_view v(it->value().data(), it->value().size());
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
  return v;
}

std::optional<StatelessRejection> ValidateStatelessRequest(const Request& req, const jsonrpc::Message& msg,
                                                           const mcp::Tool* tool) {
  auto reject = [&](std::string reason, const HeaderProblem& p) {
    return StatelessRejection{std::move(reason), jsonrpc::MakeError(msg.id, jsonrpc::code::kHeaderMismatch, p.message)};
  };
  if (auto repeated = RepeatedMcpHeader(req)) {
    return reject("header_mismatch", Mismatch("the " + *repeated + " header appears more than once"));
  }
  const auto version = Find(req, "MCP-Protocol-Version");
  if (!version) return reject("header_mismatch", Mismatch("the MCP-Protocol-Version header is required"));
  const auto method = Find(req, "Mcp-Method");
  if (!method) return reject("header_mismatch", Mismatch("the Mcp-Method header is required"));
  if (*method != msg.method) {
    return reject("header_mismatch", Mismatch("Mcp-Method header value '" + std::string(*method) +
                                              "' does not match body method '" + msg.method + "'"));
  }
  if (auto missing = mcp::MissingMetaField(msg.params)) {
    return StatelessRejection{"invalid_meta", jsonrpc::MakeError(msg.id, jsonrpc::code::kInvalidParams, *missing)};
  }
  const std::string meta_version = mcp::MetaProtocolVersion(msg.params);
  if (*version != meta_version) {
    return reject("header_mismatch", Mismatch("MCP-Protocol-Version header value '" + std::string(*version) +
                                              "' does not match params._meta protocolVersion '" + meta_version + "'"));
  }
  if (!mcp::IsSupported(meta_version)) {
    return StatelessRejection{"unsupported_version", mcp::UnsupportedVersionError(msg.id, meta_version)};
  }
  if (auto problem = CheckNames(req, msg, tool)) return reject("header_mismatch", *problem);
  return std::nullopt;
}

}  // namespace mcpgw::http
