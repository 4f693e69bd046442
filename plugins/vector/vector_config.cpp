#include "vector_config.h"

#include <algorithm>
#include <cstdlib>
#include <optional>
#include <vector>

#include "durable_file.h"

namespace mcpgw::vector {
namespace {

using nlohmann::json;

Failure Invalid(const std::string& message) { return Failure{FailureKind::kInternal, "vector config: " + message}; }

struct Number {
  const char* key;
  uint64_t min, max;
  uint64_t* target;
};

std::optional<uint64_t> NonNegativeInteger(const json& value) {
  if (value.is_number_unsigned()) return value.get<uint64_t>();
  if (value.is_number_integer() && value.get<int64_t>() >= 0) return static_cast<uint64_t>(value.get<int64_t>());
  return std::nullopt;
}

// Applies the integer settings of `section` (an object) named `path`;
// `strings` lists further keys the caller handles itself.
Status ApplyNumbers(const json& section, const std::string& path, const std::vector<Number>& numbers,
                    const std::vector<std::string>& strings = {}) {
  if (!section.is_object()) return Invalid(path + " must be an object, got " + section.dump());
  for (const auto& [key, value] : section.items()) {
    const std::string name = path.empty() ? key : path + "." + key;
    if (std::find(strings.begin(), strings.end(), key) != strings.end()) {
      if (!value.is_string()) return Invalid(name + " must be a string");
      continue;
    }
    const Number* number = nullptr;
    for (const Number& n : numbers) {
      if (key == n.key) number = &n;
    }
    if (number == nullptr) {
      std::string known;
      for (const Number& n : numbers) known += (known.empty() ? "" : ", ") + std::string(n.key);
      for (const std::string& s : strings) known += ", " + s;
      return Invalid("unknown key \"" + name + "\" (known keys here: " + known + ")");
    }
    const std::optional<uint64_t> v = NonNegativeInteger(value);
    if (!v || *v < number->min || *v > number->max) {
      return Invalid(name + " must be an integer from " + std::to_string(number->min) + " to " +
                     std::to_string(number->max) + ", got " + value.dump());
    }
    *number->target = *v;
  }
  return {};
}

std::string StringOr(const json& section, const char* key) { return section.value(key, std::string()); }

Status ParseEmbedder(const json& section, EmbedderConfig& out) {
  if (!section.is_object()) return Invalid("embedder must be an object");
  const std::string type = section.contains("type") && section["type"].is_string() ? section["type"].get<std::string>()
                                                                                      : "builtin";
  if (type != "builtin" && type != "openai") return Invalid("embedder.type must be \"builtin\" or \"openai\"");
  out.remote = type == "openai";
  if (!out.remote) {
    return ApplyNumbers(section, "embedder", {{"dimension", 16, 4096, &out.dimension}}, {"type"});
  }
  RemoteEmbedderConfig& r = out.openai;
  if (Status s = ApplyNumbers(section, "embedder",
                              {{"dimension", 1, 65536, &out.dimension},
                               {"timeout_ms", 100, 600000, &r.timeout_ms},
                               {"batch_size", 1, 2048, &r.batch_size}},
                              {"type", "url", "model", "api_key_file", "api_key_env", "ca_file"});
      !s) {
    return s;
  }
  if (!section.contains("dimension")) return Invalid("embedder.dimension is required for type openai");
  r.url = StringOr(section, "url");
  r.model = StringOr(section, "model");
  if (!r.url.starts_with("http://") && !r.url.starts_with("https://")) {
    return Invalid("embedder.url must be an http:// or https:// URL of the /v1/embeddings endpoint");
  }
  if (r.model.empty()) return Invalid("embedder.model is required for type openai");
  r.ca_file = StringOr(section, "ca_file");
  if (!r.ca_file.empty()) {
    std::string pem;
    if (IoStatus read = ReadFile(r.ca_file, pem)) return Invalid("cannot read embedder.ca_file: " + read->ToString());
  }
  const std::string key_file = StringOr(section, "api_key_file"), key_env = StringOr(section, "api_key_env");
  if (!key_file.empty() && !key_env.empty()) return Invalid("set embedder.api_key_file or embedder.api_key_env, not both");
  if (!key_file.empty()) {
    if (IoStatus read = ReadFile(key_file, r.api_key)) return Invalid("cannot read embedder.api_key_file: " + read->ToString());
    while (!r.api_key.empty() && (r.api_key.back() == '\n' || r.api_key.back() == '\r')) r.api_key.pop_back();
  } else if (!key_env.empty()) {
    const char* value = std::getenv(key_env.c_str());
    if (value == nullptr || *value == '\0') return Invalid("the environment variable " + key_env + " (embedder.api_key_env) is not set");
    r.api_key = value;
  }
  if (r.api_key.find_first_of("\r\n") != std::string::npos) return Invalid("the embeddings API key contains a line break");
  return {};
}

}  // namespace

Result<VectorConfig> ParseVectorConfig(const json& config) {
  VectorConfig out;
  if (config.is_null()) return out;
  if (!config.is_object()) return Invalid("expected an object, got " + config.dump());
  json top = config;
  const json hnsw = top.contains("hnsw") ? top["hnsw"] : json::object();
  const json limits = top.contains("limits") ? top["limits"] : json::object();
  const json embedder = top.contains("embedder") ? top["embedder"] : json::object();
  top.erase("hnsw");
  top.erase("limits");
  top.erase("embedder");
  if (Status s = ApplyNumbers(top, "", {{"compact_after_bytes", 4096, uint64_t{1} << 40, &out.compact_after_bytes}}); !s) {
    return s.error();
  }
  if (Status s = ApplyNumbers(hnsw, "hnsw",
                              {{"M", 2, 100, &out.hnsw.m},
                               {"ef_construction", 1, 4096, &out.hnsw.ef_construction},
                               {"ef_search", 1, 4096, &out.hnsw.ef_search}});
      !s) {
    return s.error();
  }
  Limits& l = out.limits;
  if (Status s = ApplyNumbers(limits, "limits",
                              {{"max_batch_documents", 1, 100000, &l.max_batch_documents},
                               {"max_text_bytes", 1, uint64_t{64} << 20, &l.max_text_bytes},
                               {"max_metadata_bytes", 2, uint64_t{16} << 20, &l.max_metadata_bytes},
                               {"max_top_k", 1, 10000, &l.max_top_k},
                               {"max_collections_per_tenant", 1, 100000, &l.max_collections_per_tenant},
                               {"max_documents_per_collection", 1, uint64_t{1} << 32, &l.max_documents_per_collection},
                               {"max_dimension", 1, 65536, &l.max_dimension}});
      !s) {
    return s.error();
  }
  if (Status s = ParseEmbedder(embedder, out.embedder); !s) return s.error();
  return out;
}

}  // namespace mcpgw::vector
