// The vector tools over a real store in a temporary directory, with the
// built-in embedder, restartable to check what survives.
#pragma once

#include <memory>
#include <string>

#include "hashing_embedder.h"
#include "vector_config.h"
#include "vector_store.h"
#include "vector_test_support.h"
#include "vector_tools.h"

namespace mcpgw::vector::testing {

class ToolsHarness {
 public:
  explicit ToolsHarness(VectorConfig config = VectorConfig()) : config_(config), embedder_(config.embedder.dimension) {
    Restart();
  }

  // Drops every in-memory state and loads again from disk, as a new process would.
  void Restart() {
    tools_.reset();
    store_.reset();
    store_ = std::make_unique<VectorStore>(dir_.path(), config_.compact_after_bytes, log_.Sink());
    tools_ = std::make_unique<VectorTools>(*store_, embedder_, config_);
  }

  // The CallToolResult; fails the test on a protocol-level failure.
  nlohmann::json Call(const std::string& tool, const nlohmann::json& args, const std::string& tenant = "tenant-a") {
    auto answer = tools_->Call(tool, tenant, args);
    EXPECT_TRUE(answer.ok()) << tool << ": " << (answer.ok() ? "" : answer.error().message);
    return answer.ok() ? *answer : nlohmann::json();
  }

  // structuredContent of a successful call.
  nlohmann::json Ok(const std::string& tool, const nlohmann::json& args, const std::string& tenant = "tenant-a") {
    const nlohmann::json result = Call(tool, args, tenant);
    EXPECT_FALSE(result.value("isError", false)) << tool << ": " << result.dump();
    EXPECT_EQ(nlohmann::json::parse(result["content"][0]["text"].get<std::string>()), result["structuredContent"]);
    return result.value("structuredContent", nlohmann::json());
  }

  // The message of a call that must be a tool error.
  std::string Refused(const std::string& tool, const nlohmann::json& args, const std::string& tenant = "tenant-a") {
    const nlohmann::json result = Call(tool, args, tenant);
    EXPECT_TRUE(result.value("isError", false)) << tool << " should have failed: " << result.dump();
    return result.is_object() ? result["content"][0].value("text", "") : "";
  }

  std::vector<std::string> QueryIds(const nlohmann::json& args, const std::string& tenant = "tenant-a") {
    std::vector<std::string> ids;
    const nlohmann::json answer = Ok("query", args, tenant);  // kept alive for the loop
    for (const auto& r : answer["results"]) ids.push_back(r["id"]);
    return ids;
  }

  const std::string& dir() const { return dir_.path(); }
  LogRecorder& log() { return log_; }
  VectorStore& store() { return *store_; }

 private:
  TempDirectory dir_;
  LogRecorder log_;
  VectorConfig config_;
  HashingEmbedder embedder_;
  std::unique_ptr<VectorStore> store_;
  std::unique_ptr<VectorTools> tools_;
};

}  // namespace mcpgw::vector::testing
