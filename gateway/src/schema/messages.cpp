#include "schema/messages.h"

#include "schema/json_access.h"
#include "schema/json_pointer.h"
#include "schema/schema_tree.h"

#include <utility>
#include <vector>

namespace mcpgw::schema::detail {

namespace {

constexpr std::size_t kPreviewBytes = 60;
constexpr int kPreviewDepth = 4;

// Compact JSON, but never much more than kPreviewBytes of it and never
// deeper than `depth`: a huge or hostile value costs no more than a small one.
void AppendPreview(const nlohmann::json& value, int depth, std::string& out) {
  if (value.is_string()) {
    const std::string& text = value.get_ref<const std::string&>();
    const nlohmann::json head = text.substr(0, kPreviewBytes + 1);
    out.append(head.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  } else if (!value.is_structured()) {
    out.append(value.dump());
  } else if (depth == 0 || out.size() > kPreviewBytes) {
    out.append(value.is_array() ? "[...]" : "{...}");
  } else if (value.is_array()) {
    out.push_back('[');
    bool first = true;
    for (const auto& element : Elements(value)) {
      if (out.size() > kPreviewBytes) break;
      if (!std::exchange(first, false)) out.push_back(',');
      AppendPreview(element, depth - 1, out);
    }
    out.push_back(']');
  } else {
    out.push_back('{');
    bool first = true;
    for (const auto& [name, member] : Members(value)) {
      if (out.size() > kPreviewBytes) break;
      if (!std::exchange(first, false)) out.push_back(',');
      AppendPreview(nlohmann::json(name), depth - 1, out);
      out.push_back(':');
      AppendPreview(member, depth - 1, out);
    }
    out.push_back('}');
  }
}

}  // namespace

std::string RenderPath(const InstancePath& path) {
  std::vector<const InstancePath*> links;
  for (const InstancePath* link = &path; link->parent != nullptr; link = link->parent) links.push_back(link);
  std::string pointer;
  for (auto it = links.rbegin(); it != links.rend(); ++it) {
    const InstancePath& link = **it;
    AppendPointerToken(pointer, link.key != nullptr ? *link.key : std::to_string(link.index));
  }
  return pointer;
}

std::string ExpectedTypes(std::uint8_t types) {
  static constexpr std::pair<std::uint8_t, std::string_view> kNames[] = {
      {kTypeObject, "an object"}, {kTypeArray, "an array"},    {kTypeString, "a string"},
      {kTypeNumber, "a number"},  {kTypeInteger, "an integer"}, {kTypeBoolean, "a boolean"},
      {kTypeNull, "null"},
  };
  // "number" already admits integers.
  if (types & kTypeNumber) types &= static_cast<std::uint8_t>(~kTypeInteger);
  std::string text;
  for (const auto& [bit, name] : kNames) {
    if ((types & bit) == 0) continue;
    if (!text.empty()) text.append(" or ");
    text.append(name);
  }
  return text;
}

std::string_view TypeName(const nlohmann::json& value) {
  switch (value.type()) {
    case nlohmann::json::value_t::null: return "null";
    case nlohmann::json::value_t::boolean: return "boolean";
    case nlohmann::json::value_t::object: return "object";
    case nlohmann::json::value_t::array: return "array";
    case nlohmann::json::value_t::string: return "string";
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned:
    case nlohmann::json::value_t::number_float: return "number";
    default: return "value";
  }
}

std::string Preview(const nlohmann::json& value) {
  std::string text;
  AppendPreview(value, kPreviewDepth, text);
  if (text.size() > kPreviewBytes) {
    std::size_t cut = kPreviewBytes;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;  // not inside a code point
    text.resize(cut);
    text.append("...");
  }
  return text;
}

std::string Count(std::size_t n, std::string_view one, std::string_view many) {
  return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

}  // namespace mcpgw::schema::detail
