#include "filesystem_config.h"

#include <set>

namespace mcpgw::filesystem {
namespace {

using nlohmann::json;

// A root name becomes the first component of every path callers write, so
// it must be one plain, unambiguous component.
bool IsRootName(const std::string& name) {
  if (name.empty() || name == "." || name == ".." || name.size() > 255) return false;
  for (const char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                    c == '_' || c == '.';
    if (!ok) return false;
  }
  return true;
}

std::variant<RootConfig, std::string> ParseRoot(const json& entry, size_t index) {
  const std::string where = "filesystem: roots[" + std::to_string(index) + "]";
  if (!entry.is_object()) return where + " must be an object with name and path";
  for (const auto& [key, value] : entry.items()) {
    if (key != "name" && key != "path") return where + ": unknown key \"" + key + "\"";
  }
  if (!entry.contains("name") || !entry["name"].is_string()) return where + ".name must be a string";
  if (!entry.contains("path") || !entry["path"].is_string()) return where + ".path must be a string";
  RootConfig root{entry["name"], entry["path"]};
  if (!IsRootName(root.name)) {
    return where + ".name must be letters, digits, '-', '_' or '.' (not \".\" or \"..\")";
  }
  if (root.host_path.empty() || root.host_path.front() != '/') return where + ".path must be an absolute path";
  return root;
}

std::optional<std::string> ReadLimit(const json& config, const char* key, uint64_t& out) {
  if (!config.contains(key)) return std::nullopt;
  const json& value = config[key];
  if (!value.is_number_integer() || value.get<int64_t>() < 1) {
    return std::string("filesystem: ") + key + " must be an integer >= 1";
  }
  out = value.get<uint64_t>();
  return std::nullopt;
}

std::optional<std::string> ReadFlag(const json& config, const char* key, bool& out) {
  if (!config.contains(key)) return std::nullopt;
  if (!config[key].is_boolean()) return std::string("filesystem: ") + key + " must be true or false";
  out = config[key].get<bool>();
  return std::nullopt;
}

}  // namespace

std::variant<FilesystemConfig, std::string> ParseFilesystemConfig(const json& config) {
  if (!config.is_object()) return std::string("filesystem: config must be an object");
  static const std::set<std::string> kKeys = {"roots", "read_only", "no_symlinks", "max_read_bytes",
                                              "max_write_bytes"};
  for (const auto& [key, value] : config.items()) {
    if (kKeys.count(key) == 0) return "filesystem: unknown key \"" + key + "\"";
  }
  FilesystemConfig parsed;
  if (!config.contains("roots") || !config["roots"].is_array() || config["roots"].empty()) {
    return std::string("filesystem: roots must list at least one {name, path}");
  }
  std::set<std::string> names;
  for (size_t i = 0; i < config["roots"].size(); ++i) {
    auto root = ParseRoot(config["roots"][i], i);
    if (auto* error = std::get_if<std::string>(&root)) return *error;
    RootConfig& valid = std::get<RootConfig>(root);
    if (!names.insert(valid.name).second) return "filesystem: root name \"" + valid.name + "\" is used twice";
    parsed.roots.push_back(std::move(valid));
  }
  for (auto error : {ReadFlag(config, "read_only", parsed.read_only),
                     ReadFlag(config, "no_symlinks", parsed.no_symlinks),
                     ReadLimit(config, "max_read_bytes", parsed.max_read_bytes),
                     ReadLimit(config, "max_write_bytes", parsed.max_write_bytes)}) {
    if (error) return *error;
  }
  return parsed;
}

}  // namespace mcpgw::filesystem
