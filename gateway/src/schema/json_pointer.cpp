#include "schema/json_pointer.h"

#include "schema/json_access.h"

#include <charconv>
#include <optional>

namespace mcpgw::schema::detail {

namespace {

std::optional<std::string> Unescape(std::string_view token) {
  std::string out;
  out.reserve(token.size());
  for (std::size_t i = 0; i < token.size(); ++i) {
    if (token[i] != '~') {
      out.push_back(token[i]);
    } else if (i + 1 < token.size() && (token[i + 1] == '0' || token[i + 1] == '1')) {
      out.push_back(token[i + 1] == '0' ? '~' : '/');
      ++i;
    } else {
      return std::nullopt;
    }
  }
  return out;
}

// An array index: digits without a leading zero.
std::optional<std::size_t> ParseIndex(std::string_view token) {
  if (token.empty() || (token.size() > 1 && token[0] == '0')) return std::nullopt;
  std::size_t index = 0;
  const auto [end, error] = std::from_chars(token.data(), token.data() + token.size(), index);
  if (error != std::errc() || end != token.data() + token.size()) return std::nullopt;
  return index;
}

}  // namespace

const nlohmann::json* FollowPointer(const nlohmann::json& root, std::string_view pointer) {
  if (!pointer.empty() && pointer.front() != '/') return nullptr;
  const nlohmann::json* current = &root;
  while (!pointer.empty()) {
    pointer.remove_prefix(1);
    const auto slash = pointer.find('/');
    const std::string_view raw = pointer.substr(0, slash);
    pointer = slash == std::string_view::npos ? std::string_view() : pointer.substr(slash);
    const std::optional<std::string> token = Unescape(raw);
    if (!token) return nullptr;
    if (current->is_object()) {
      current = FindMember(*current, *token);
      if (current == nullptr) return nullptr;
    } else if (current->is_array()) {
      const std::optional<std::size_t> index = ParseIndex(*token);
      if (!index || *index >= Elements(*current).size()) return nullptr;
      current = &Elements(*current)[*index];
    } else {
      return nullptr;
    }
  }
  return current;
}

void AppendPointerToken(std::string& pointer, std::string_view token) {
  pointer.push_back('/');
  for (const char c : token) {
    if (c == '~') {
      pointer.append("~0");
    } else if (c == '/') {
      pointer.append("~1");
    } else {
      pointer.push_back(c);
    }
  }
}

}  // namespace mcpgw::schema::detail
