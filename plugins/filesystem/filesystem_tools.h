// The tools of the reference server-filesystem over confined roots.
//
// Call() answers a CallToolResult: the reference's text (and
// structuredContent) on success, a tool error ({"isError": true}) whose
// message names the path as the caller wrote it when the request cannot be
// done. It never names a host path. Every file access goes through a
// ConfinedRoot; see confined_root.h for why nothing can escape it.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "confined_root.h"
#include "file_ops.h"
#include "filesystem_config.h"

namespace mcpgw::filesystem {

class FilesystemTools {
 public:
  // Opens every root; fails naming the root (to the operator) when one
  // cannot be opened or the kernel lacks openat2.
  static std::variant<std::unique_ptr<FilesystemTools>, std::string> Create(FilesystemConfig config);

  // The tools this route offers (no mutating ones when read-only).
  nlohmann::json ListTools() const;

  // The tool's CallToolResult, or nullopt for a tool of another name.
  std::optional<nlohmann::json> Call(std::string_view name, const nlohmann::json& arguments) const;

 private:
  // Where a caller's path leads: which root, what below it, and how the
  // caller wrote it (for messages).
  struct Target {
    const ConfinedRoot* root;
    const std::string* root_name;
    std::string relative;
    std::string given;
  };

  FilesystemTools(FilesystemConfig config, std::vector<ConfinedRoot> roots);

  Target Resolve(const std::string& given) const;
  [[noreturn]] void Fail(const SysError& error, std::string_view shown) const;
  std::string AllowedRoots(std::string_view separator) const;
  std::vector<DirectoryEntry> ListDirectoryOf(const Target& target) const;
  std::string ReadBytesOf(const Target& target, uint64_t limit) const;
  std::string ReadTextOf(const Target& target, uint64_t limit) const;

  nlohmann::json ReadTextFile(const nlohmann::json& arguments) const;
  nlohmann::json ReadMediaFile(const nlohmann::json& arguments) const;
  nlohmann::json ReadMultipleFiles(const nlohmann::json& arguments) const;
  nlohmann::json WriteFile(const nlohmann::json& arguments) const;
  nlohmann::json EditFile(const nlohmann::json& arguments) const;
  nlohmann::json CreateDirectory(const nlohmann::json& arguments) const;
  nlohmann::json ListDirectory(const nlohmann::json& arguments) const;
  nlohmann::json ListDirectoryWithSizes(const nlohmann::json& arguments) const;
  nlohmann::json DirectoryTree(const nlohmann::json& arguments) const;
  nlohmann::json MoveFile(const nlohmann::json& arguments) const;
  nlohmann::json SearchFiles(const nlohmann::json& arguments) const;
  nlohmann::json GetFileInfo(const nlohmann::json& arguments) const;
  nlohmann::json ListAllowedDirectories() const;

  FilesystemConfig config_;
  std::vector<ConfinedRoot> roots_;
  std::vector<std::string> root_names_;
};

// Joins `relative` and `name` with a "/" (relative may be "").
std::string JoinRelative(std::string_view relative, std::string_view name);

// {"content":[text], "structuredContent":{"content": text}}.
nlohmann::json TextAnswer(std::string text);

// Thrown inside the tools to answer a tool error; Call() turns it into the
// result. Never leaves this library.
struct ToolRefusal {
  std::string message;
};

}  // namespace mcpgw::filesystem
