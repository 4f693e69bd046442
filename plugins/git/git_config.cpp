#include "git_config.h"

#include <optional>

namespace mcpgw::git {
namespace {

using nlohmann::json;

std::string Invalid(const std::string& message) { return "git config: " + message; }

// The value as a non-negative integer; 4096.0, "4096", true and -1 are not.
std::optional<uint64_t> NonNegativeInteger(const json& value) {
  if (value.is_number_unsigned()) return value.get<uint64_t>();
  if (value.is_number_integer() && value.get<int64_t>() >= 0) return static_cast<uint64_t>(value.get<int64_t>());
  return std::nullopt;
}

std::optional<std::string> ParseRoots(const json& value, GitOptions& options) {
  if (!value.is_array() || value.empty()) return "roots must be a non-empty list of absolute directory paths";
  for (const json& root : value) {
    if (!root.is_string() || root.get<std::string>().empty() || root.get<std::string>()[0] != '/') {
      return "every entry of roots must be an absolute path, got " + root.dump();
    }
    options.roots.push_back(root.get<std::string>());
  }
  return std::nullopt;
}

std::optional<std::string> ParseLimit(const std::string& key, const json& value, uint64_t min, uint64_t& out) {
  const std::optional<uint64_t> number = NonNegativeInteger(value);
  if (!number || *number < min) return key + " must be an integer >= " + std::to_string(min) + ", got " + value.dump();
  out = *number;
  return std::nullopt;
}

std::optional<std::string> ParseIdentity(const json& value, GitOptions& options) {
  if (value == "principal") {
    options.commit_identity = CommitIdentity::kPrincipal;
  } else if (value == "repository") {
    options.commit_identity = CommitIdentity::kRepository;
  } else {
    return "commit_identity must be \"principal\" or \"repository\", got " + value.dump();
  }
  return std::nullopt;
}

}  // namespace

std::variant<GitOptions, std::string> ParseGitConfig(const json& config) {
  GitOptions options;
  if (!config.is_object()) return Invalid("expected an object with at least \"roots\", got " + config.dump());
  for (const auto& [key, value] : config.items()) {
    std::optional<std::string> problem;
    if (key == "roots") {
      problem = ParseRoots(value, options);
    } else if (key == "max_output_bytes") {
      problem = ParseLimit(key, value, 1024, options.max_output_bytes);
    } else if (key == "max_log_count") {
      problem = ParseLimit(key, value, 1, options.max_log_count);
    } else if (key == "commit_identity") {
      problem = ParseIdentity(value, options);
    } else {
      problem = "unknown key \"" + key + "\" (known keys: roots, max_output_bytes, max_log_count, commit_identity)";
    }
    if (problem) return Invalid(*problem);
  }
  if (options.roots.empty()) return Invalid("roots is required: the directories repositories may lie beneath");
  return options;
}

}  // namespace mcpgw::git
