// Strict, path-aware reading of YAML nodes into typed values.
//
// Every accessor records a message naming the full key path on failure
// (e.g. "routes[1].path: must start with '/'") and goes on, so one load
// reports every problem at once.
#pragma once

#include <yaml-cpp/yaml.h>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

namespace mcpgw::config {

class YamlReader {
 public:
  explicit YamlReader(std::vector<std::string>* errors) : errors_(errors) {}

  // Reports keys of `node` (a map at `path`) that are not in `known`.
  void RejectUnknownKeys(const YAML::Node& node, const std::string& path, std::initializer_list<const char*> known);

  // Each reads node[key] into *out when present; leaves *out alone when absent.
  void String(const YAML::Node& node, const std::string& path, const char* key, std::string* out);
  void Bool(const YAML::Node& node, const std::string& path, const char* key, bool* out);
  void Uint(const YAML::Node& node, const std::string& path, const char* key, uint64_t min, uint64_t max,
            uint64_t* out);
  void Uint32(const YAML::Node& node, const std::string& path, const char* key, uint32_t min, uint32_t max,
              uint32_t* out);
  void StringList(const YAML::Node& node, const std::string& path, const char* key, std::vector<std::string>* out);

  // Requires node to be a map (or absent); reports otherwise.
  bool ExpectMap(const YAML::Node& node, const std::string& path);

  void Fail(const std::string& path, const std::string& message) { errors_->push_back(path + ": " + message); }

 private:
  std::vector<std::string>* errors_;
};

// Converts YAML to JSON with the YAML 1.2 core schema for plain scalars
// (true/false, null/~, integers, floats); quoted scalars stay strings.
nlohmann::json YamlToJson(const YAML::Node& node);

// Joins a path and a key: Join("server", "listen") == "server.listen".
std::string Join(const std::string& path, const std::string& key);

}  // namespace mcpgw::config
