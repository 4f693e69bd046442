// Shared fixtures of the filesystem plugin's unit tests: a fresh temporary
// directory holding the root the plugin serves ("root") and a directory
// beside it ("outside") with a canary file that no call may read or change.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "filesystem_tools.h"

namespace mcpgw::filesystem::testing {

using nlohmann::json;

inline constexpr char kCanaryText[] = "CANARY-outside-the-root";

class TempTree {
 public:
  TempTree() {
    std::string pattern = (std::filesystem::temp_directory_path() / "mcpgw-fs-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    base_ = pattern;
    std::filesystem::create_directories(root());
    std::filesystem::create_directories(outside());
    Write(canary(), kCanaryText);
  }
  ~TempTree() {
    std::error_code ignored;
    std::filesystem::remove_all(base_, ignored);  // does not follow symlinks
  }
  TempTree(const TempTree&) = delete;
  TempTree& operator=(const TempTree&) = delete;

  std::string base() const { return base_; }
  std::string root() const { return base_ + "/root"; }
  std::string outside() const { return base_ + "/outside"; }
  std::string canary() const { return outside() + "/canary.txt"; }
  std::string InRoot(const std::string& relative) const { return root() + "/" + relative; }

  static void Write(const std::string& path, const std::string& content) {
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    std::ofstream(path, std::ios::binary) << content;
  }
  static std::string Read(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }

  // True when the canary is exactly as created and nothing else appeared
  // outside the root.
  bool OutsideUntouched() const {
    size_t entries = 0;
    for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(outside())) ++entries;
    size_t base_entries = 0;
    for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(base_)) ++base_entries;
    return Read(canary()) == kCanaryText && entries == 1 && base_entries == 2;
  }

 private:
  std::string base_;
};

inline std::unique_ptr<FilesystemTools> MakeTools(const TempTree& tree, json extra = json::object()) {
  json config = extra;
  if (!config.contains("roots")) config["roots"] = json::array({{{"name", "ws"}, {"path", tree.root()}}});
  auto parsed = ParseFilesystemConfig(config);
  if (auto* error = std::get_if<std::string>(&parsed)) throw std::runtime_error(*error);
  auto tools = FilesystemTools::Create(std::get<FilesystemConfig>(std::move(parsed)));
  if (auto* error = std::get_if<std::string>(&tools)) throw std::runtime_error(*error);
  return std::move(std::get<std::unique_ptr<FilesystemTools>>(tools));
}

inline json CallTool(const FilesystemTools& tools, const std::string& name, const json& arguments) {
  auto answer = tools.Call(name, arguments);
  if (!answer) throw std::runtime_error("unknown tool " + name);
  return *answer;
}

inline std::string TextOf(const json& result) { return result.at("content").at(0).at("text").get<std::string>(); }
inline bool IsError(const json& result) { return result.value("isError", false); }

}  // namespace mcpgw::filesystem::testing
