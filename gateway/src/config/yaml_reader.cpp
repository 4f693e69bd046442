#include "config/yaml_reader.h"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <regex>

namespace mcpgw::config {
namespace {

// Levenshtein distance, for "did you mean" hints on unknown keys.
std::size_t Distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

bool IsPlain(const YAML::Node& node) { return node.Tag() == "?"; }

}  // namespace

std::string Join(const std::string& path, const std::string& key) { return path.empty() ? key : path + "." + key; }

bool YamlReader::ExpectMap(const YAML::Node& node, const std::string& path) {
  if (!node || node.IsNull()) return false;
  if (!node.IsMap()) {
    Fail(path, "must be a mapping of keys to values");
    return false;
  }
  return true;
}

void YamlReader::RejectUnknownKeys(const YAML::Node& node, const std::string& path,
                                   std::initializer_list<const char*> known) {
  std::vector<std::string> seen;
  for (const auto& kv : node) {
    const std::string key = kv.first.as<std::string>();
    if (std::find(seen.begin(), seen.end(), key) != seen.end()) {
      Fail(Join(path, key), "duplicate key: only its first value would be read; keep one");
      continue;
    }
    seen.push_back(key);
    if (std::any_of(known.begin(), known.end(), [&](const char* k) { return key == k; })) continue;
    std::string hint;
    std::size_t best = 3;
    for (const char* k : known) {
      const std::size_t d = Distance(key, k);
      if (d < best) best = d, hint = k;
    }
    Fail(Join(path, key), hint.empty() ? "unknown key" : "unknown key (did you mean \"" + hint + "\"?)");
  }
}

void YamlReader::String(const YAML::Node& node, const std::string& path, const char* key, std::string* out) {
  const YAML::Node v = node[key];
  if (!v) return;
  if (!v.IsScalar()) return Fail(Join(path, key), "must be a string");
  *out = v.as<std::string>();
}

void YamlReader::Bool(const YAML::Node& node, const std::string& path, const char* key, bool* out) {
  const YAML::Node v = node[key];
  if (!v) return;
  const std::string s = v.IsScalar() ? v.as<std::string>() : "";
  if (s == "true") {
    *out = true;
  } else if (s == "false") {
    *out = false;
  } else {
    Fail(Join(path, key), "must be true or false");
  }
}

void YamlReader::Uint(const YAML::Node& node, const std::string& path, const char* key, uint64_t min, uint64_t max,
                      uint64_t* out) {
  const YAML::Node v = node[key];
  if (!v) return;
  const std::string s = v.IsScalar() ? v.as<std::string>() : "";
  uint64_t value = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size()) {
    return Fail(Join(path, key), "must be a whole number, got \"" + s + "\"");
  }
  if (value < min || value > max) {
    return Fail(Join(path, key),
                "must be between " + std::to_string(min) + " and " + std::to_string(max) + ", got " + s);
  }
  *out = value;
}

void YamlReader::Uint32(const YAML::Node& node, const std::string& path, const char* key, uint32_t min,
                        uint32_t max, uint32_t* out) {
  uint64_t v = *out;
  Uint(node, path, key, min, max, &v);
  *out = static_cast<uint32_t>(v);
}

void YamlReader::StringList(const YAML::Node& node, const std::string& path, const char* key,
                            std::vector<std::string>* out) {
  const YAML::Node v = node[key];
  if (!v) return;
  if (!v.IsSequence()) return Fail(Join(path, key), "must be a list of strings");
  out->clear();
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (!v[i].IsScalar()) {
      Fail(Join(path, key) + "[" + std::to_string(i) + "]", "must be a string");
      continue;
    }
    out->push_back(v[i].as<std::string>());
  }
}

nlohmann::json YamlToJson(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      return nullptr;
    case YAML::NodeType::Sequence: {
      nlohmann::json out = nlohmann::json::array();
      for (const auto& item : node) out.push_back(YamlToJson(item));
      return out;
    }
    case YAML::NodeType::Map: {
      nlohmann::json out = nlohmann::json::object();
      for (const auto& kv : node) out[kv.first.as<std::string>()] = YamlToJson(kv.second);
      return out;
    }
    case YAML::NodeType::Scalar:
      break;
  }
  const std::string s = node.as<std::string>();
  if (!IsPlain(node)) return s;
  if (s == "true" || s == "True" || s == "TRUE") return true;
  if (s == "false" || s == "False" || s == "FALSE") return false;
  if (s == "null" || s == "Null" || s == "NULL" || s == "~" || s.empty()) return nullptr;
  static const std::regex kInt("[-+]?[0-9]+");
  static const std::regex kFloat("[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?");
  if (std::regex_match(s, kInt)) {
    int64_t v = 0;
    const char* begin = s.data() + (s[0] == '+' ? 1 : 0);
    const auto [end, ec] = std::from_chars(begin, s.data() + s.size(), v);
    if (ec == std::errc() && end == s.data() + s.size()) return v;
  }
  if (std::regex_match(s, kFloat)) return std::stod(s);
  return s;
}

}  // namespace mcpgw::config
