#include "path_addressing.h"

namespace mcpgw::filesystem {
namespace {

// The next component of `rest` after skipping slashes, and what follows it.
std::string_view NextComponent(std::string_view& rest) {
  while (!rest.empty() && rest.front() == '/') rest.remove_prefix(1);
  const size_t end = rest.find('/');
  const std::string_view component = rest.substr(0, end);
  rest.remove_prefix(end == std::string_view::npos ? rest.size() : end);
  return component;
}

}  // namespace

std::optional<Address> ResolveAddress(const std::vector<std::string>& root_names, std::string_view caller_path) {
  if (root_names.empty()) return std::nullopt;
  if (caller_path.empty() || caller_path.front() != '/') return Address{0, std::string(caller_path)};
  std::string_view rest = caller_path;
  std::string_view component = NextComponent(rest);
  while (component == ".") component = NextComponent(rest);
  for (size_t i = 0; i < root_names.size(); ++i) {
    if (component != root_names[i]) continue;
    while (!rest.empty() && rest.front() == '/') rest.remove_prefix(1);
    return Address{i, std::string(rest)};
  }
  return std::nullopt;
}

std::string DisplayPath(std::string_view root_name, std::string_view relative) {
  std::vector<std::string_view> parts;
  std::string_view rest = relative;
  for (std::string_view component = NextComponent(rest); !component.empty(); component = NextComponent(rest)) {
    if (component == ".") continue;
    if (component == "..") {
      if (!parts.empty()) parts.pop_back();
      continue;
    }
    parts.push_back(component);
  }
  std::string shown = "/" + std::string(root_name);
  for (std::string_view part : parts) shown.append("/").append(part);
  return shown;
}

}  // namespace mcpgw::filesystem
