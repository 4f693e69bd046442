#include "jsonrpc/message.h"

#include <array>
#include <charconv>

namespace mcpgw::jsonrpc {
namespace {

bool IsValidId(const json& id) { return id.is_string() || id.is_number_integer(); }

Failure Invalid(std::string message, json id = nullptr) {
  return Failure{code::kInvalidRequest, std::move(message), std::move(id)};
}

}  // namespace

std::size_t NestingDepth(std::string_view text) {
  std::size_t depth = 0, max_depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (++depth > max_depth) max_depth = depth;
    } else if ((c == '}' || c == ']') && depth > 0) {
      --depth;
    }
  }
  return max_depth;
}

std::variant<Message, Failure> Parse(std::string_view body, const Limits& limits) {
  if (NestingDepth(body) > limits.max_depth) {
    return Invalid("JSON nesting is deeper than the limit of " + std::to_string(limits.max_depth) + " levels");
  }
  json doc = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return Failure{code::kParseError, "Parse error: the body is not valid JSON", nullptr};
  if (doc.is_array()) return Invalid("Batch requests are not supported: send one JSON-RPC message per request");
  if (!doc.is_object()) return Invalid("A JSON-RPC message must be a JSON object");

  json id = nullptr;
  if (auto it = doc.find("id"); it != doc.end()) {
    if (!IsValidId(*it)) return Invalid("\"id\" must be a string or an integer (and not null)");
    id = *it;
  }
  auto version = doc.find("jsonrpc");
  if (version == doc.end() || *version != "2.0") return Invalid("\"jsonrpc\" must be \"2.0\"", id);

  auto method = doc.find("method");
  if (method == doc.end()) {
    const bool has_result = doc.contains("result"), has_error = doc.contains("error");
    if (doc.contains("id") && (has_result != has_error)) {
      return Message{Message::Kind::kResponse, std::move(id), std::string(), std::move(doc)};
    }
    return Invalid("A JSON-RPC request needs a \"method\"", id);
  }
  if (!method->is_string() || method->get_ref<const std::string&>().empty()) {
    return Invalid("\"method\" must be a non-empty string", id);
  }

  Message msg;
  msg.kind = doc.contains("id") ? Message::Kind::kRequest : Message::Kind::kNotification;
  msg.id = std::move(id);
  msg.method = method->get<std::string>();
  if (auto params = doc.find("params"); params != doc.end()) {
    if (!params->is_object()) {
      return Failure{code::kInvalidParams, "\"params\" must be a JSON object", msg.id};
    }
    msg.params = std::move(*params);
  } else {
    msg.params = json::object();
  }
  return msg;
}

json MakeResult(const json& id, json result) {
  return json{{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}};
}

json MakeError(const json& id, int error_code, std::string_view message, json data) {
  json error{{"code", error_code}, {"message", message}};
  if (!data.is_null()) error["data"] = std::move(data);
  json out{{"jsonrpc", "2.0"}};
  if (!id.is_null()) out["id"] = id;
  out["error"] = std::move(error);
  return out;
}

json MakeNotification(std::string_view method, json params) {
  return json{{"jsonrpc", "2.0"}, {"method", method}, {"params", std::move(params)}};
}

namespace {

// The decimal text of an integer id, or empty for any other id.
std::string_view IntegerText(const json& id, std::array<char, 24>& buffer) {
  std::to_chars_result r{};
  if (id.is_number_unsigned()) {
    r = std::to_chars(buffer.data(), buffer.data() + buffer.size(), id.get<std::uint64_t>());
  } else if (id.is_number_integer()) {
    r = std::to_chars(buffer.data(), buffer.data() + buffer.size(), id.get<std::int64_t>());
  } else {
    return {};
  }
  return {buffer.data(), static_cast<std::size_t>(r.ptr - buffer.data())};
}

}  // namespace

void AppendId(std::string& out, const json& id) {
  std::array<char, 24> buffer;
  if (const std::string_view digits = IntegerText(id, buffer); !digits.empty()) {
    out += digits;
  } else {
    out += id.dump();
  }
}

std::string IdKey(const json& id) {
  std::array<char, 24> buffer;
  if (const std::string_view digits = IntegerText(id, buffer); !digits.empty()) return std::string(digits);
  if (id.is_string()) return '"' + id.get_ref<const std::string&>();
  return id.dump();
}

std::string Serialize(const json& message) { return message.dump(-1, ' ', false, json::error_handler_t::replace); }

}  // namespace mcpgw::jsonrpc
