#include "openai_embedder.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <utility>

#include "http_client.h"

namespace mcpgw::vector {
namespace {

using nlohmann::json;

constexpr size_t kMaxServiceMessage = 200;

Failure Unusable(const std::string& why) {
  return Failure{FailureKind::kUnavailable, "the embedding service gave an unusable answer: " + why};
}

// The service's own error message, if it sent one, shortened.
std::string ServiceMessage(const std::string& body) {
  const json j = json::parse(body, nullptr, false);
  std::string message;
  if (j.is_object() && j.contains("error")) {
    const json& e = j["error"];
    if (e.is_object() && e.contains("message") && e["message"].is_string()) message = e["message"];
    if (e.is_string()) message = e.get<std::string>();
  }
  if (message.size() > kMaxServiceMessage) message = message.substr(0, kMaxServiceMessage) + "...";
  return message.empty() ? "" : ": " + message;
}

}  // namespace

OpenAiEmbedder::OpenAiEmbedder(RemoteEmbedderConfig config, size_t dimension)
    : config_(std::move(config)),
      dimension_(dimension),
      model_id_("openai:" + config_.model + "/" + std::to_string(dimension)) {}

Result<std::vector<Vector>> OpenAiEmbedder::Embed(const std::vector<std::string>& texts) const {
  std::vector<Vector> out;
  out.reserve(texts.size());
  for (size_t first = 0; first < texts.size(); first += config_.batch_size) {
    auto batch = EmbedBatch(texts, first, std::min<size_t>(config_.batch_size, texts.size() - first));
    if (!batch) return batch.error();
    for (Vector& v : *batch) out.push_back(std::move(v));
  }
  return out;
}

Result<std::vector<Vector>> OpenAiEmbedder::EmbedBatch(const std::vector<std::string>& texts, size_t first,
                                                       size_t count) const {
  HttpPost post;
  post.url = config_.url;
  post.ca_file = config_.ca_file;
  post.timeout = std::chrono::milliseconds(config_.timeout_ms);
  // Room for `count` vectors written out as JSON numbers, and some slack.
  post.max_response_bytes = count * dimension_ * 32 + (size_t{1} << 20);
  if (!config_.api_key.empty()) post.headers.emplace_back("Authorization", "Bearer " + config_.api_key);
  json input = json::array();
  for (size_t i = first; i < first + count; ++i) input.push_back(texts[i]);
  post.body = json{{"model", config_.model}, {"input", std::move(input)}}.dump(-1, ' ', false, json::error_handler_t::replace);

  auto response = PostJson(post);
  if (!response) return response.error();
  if (response->status != 200) {
    return Failure{FailureKind::kUnavailable, "the embedding service answered HTTP " +
                                                  std::to_string(response->status) + ServiceMessage(response->body)};
  }
  const json answer = json::parse(response->body, nullptr, false);
  if (!answer.is_object() || !answer.contains("data") || !answer["data"].is_array()) return Unusable("no data array");
  const json& data = answer["data"];
  if (data.size() != count) {
    return Unusable(std::to_string(data.size()) + " embeddings for " + std::to_string(count) + " texts");
  }
  std::vector<Vector> out(count);
  std::vector<bool> seen(count, false);
  for (size_t position = 0; position < count; ++position) {
    const json& item = data[position];
    if (!item.is_object() || !item.contains("embedding") || !item["embedding"].is_array()) {
      return Unusable("an item without an embedding array");
    }
    // "index" orders the answer; servers that omit it answer in order.
    const json index = item.value("index", json(position));
    if (!index.is_number_unsigned() || index.get<size_t>() >= count || seen[index.get<size_t>()]) {
      return Unusable("an embedding with a missing or repeated index");
    }
    const json& embedding = item["embedding"];
    if (embedding.size() != dimension_) {
      return Unusable("vectors of dimension " + std::to_string(embedding.size()) + ", but embedder.dimension is " +
                      std::to_string(dimension_));
    }
    Vector& v = out[index.get<size_t>()];
    v.reserve(dimension_);
    for (const json& x : embedding) {
      if (!x.is_number()) return Unusable("a non-numeric vector component");
      v.push_back(x.get<float>());
    }
    seen[index.get<size_t>()] = true;
  }
  return out;
}

}  // namespace mcpgw::vector
