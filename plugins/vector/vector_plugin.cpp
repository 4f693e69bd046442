// The vector plugin: per-tenant vector collections on hnswlib, durable, with
// a built-in embedder or an OpenAI-compatible one.
//
// This file only adapts VectorTools to the plugin ABI: it reads the config,
// builds the embedder, registers the tools and maps store failures to
// protocol statuses. Tool calls run on the gateway's workers (no NOWAIT:
// reads are cheap, but embedding a query may call a remote service).
#include <mcpgw/plugin.hpp>
#include <memory>
#include <stdexcept>
#include <string>

#include "hashing_embedder.h"
#include "openai_embedder.h"
#include "tool_definitions.h"
#include "vector_config.h"
#include "vector_store.h"
#include "vector_tools.h"

namespace {

using mcpgw::json;
namespace vector = mcpgw::vector;

vector::VectorConfig ConfigOrThrow(const json& config) {
  auto parsed = vector::ParseVectorConfig(config);
  if (!parsed) throw std::invalid_argument(parsed.error().message);  // create fails with this message
  return *parsed;
}

std::unique_ptr<vector::Embedder> MakeEmbedder(const vector::EmbedderConfig& config) {
  if (config.remote) return std::make_unique<vector::OpenAiEmbedder>(config.openai, config.dimension);
  return std::make_unique<vector::HashingEmbedder>(config.dimension);
}

class VectorPlugin : public mcpgw::Plugin {
 public:
  explicit VectorPlugin(const mcpgw_plugin_init* init)
      : Plugin(init),
        config_(ConfigOrThrow(config())),
        embedder_(MakeEmbedder(config_.embedder)),
        store_(DataDirOrThrow(), config_.compact_after_bytes,
               [this](mcpgw_log_level level, std::string_view message) { HostLog(level, message); }),
        tools_(store_, *embedder_, config_) {
    for (json& definition : vector::VectorToolDefinitions(config_)) {
      const std::string name = definition.at("name");
      AddTool(std::move(definition), [this, name](mcpgw::Call& call, const json& arguments) -> mcpgw::ToolOutput {
        auto answer = tools_.Call(name, call.principal().tenant, arguments);
        if (!answer) {
          const auto kind = answer.error().kind;
          throw mcpgw::Error(kind == vector::FailureKind::kUnavailable ? MCPGW_UNAVAILABLE : MCPGW_INTERNAL,
                             answer.error().message);
        }
        return std::move(*answer);
      });
    }
  }

 private:
  std::string DataDirOrThrow() const {
    if (data_dir().empty()) throw std::invalid_argument("vector: the gateway gave this instance no data directory");
    return data_dir();
  }

  vector::VectorConfig config_;
  std::unique_ptr<vector::Embedder> embedder_;
  vector::VectorStore store_;
  vector::VectorTools tools_;
};

}  // namespace

MCPGW_PLUGIN(VectorPlugin, "vector", "1.0.0", MCPGW_PLUGIN_THREAD_SAFE)
