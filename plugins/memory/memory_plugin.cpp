// The memory plugin: the knowledge-graph tools of the reference server
// @modelcontextprotocol/server-memory, one durable graph per tenant.
//
// This file only adapts MemoryTools to the plugin ABI: it reads the config,
// registers the tools and the resource, maps store failures to protocol
// statuses, and announces resources/updated after every mutating tool.
// Read-only tools on a tenant already in memory are answered in no-wait
// calls on the gateway's I/O thread; everything else runs on a worker.
#include <mcpgw/plugin.hpp>
#include <memory>
#include <stdexcept>
#include <string>

#include "graph_store.h"
#include "memory_config.h"
#include "memory_tools.h"
#include "tool_definitions.h"

namespace {

using mcpgw::json;
namespace memory = mcpgw::memory;

memory::StoreOptions OptionsOrThrow(const json& config) {
  auto options = memory::ParseMemoryConfig(config);
  if (!options) throw std::invalid_argument(options.error().message);  // create fails with this message
  return *options;
}

// A store failure as the protocol error the host sends. Refusals never get
// here: MemoryTools answers them as tool results with isError.
[[noreturn]] void ThrowProtocolError(const memory::Failure& failure) {
  const mcpgw_status status = failure.kind == memory::FailureKind::kUnavailable ? MCPGW_UNAVAILABLE : MCPGW_INTERNAL;
  throw mcpgw::Error(status, failure.message);
}

mcpgw::ToolOutput Output(memory::ToolAnswer answer) {
  if (answer.serialized) return mcpgw::ToolOutput::Serialized(*answer.serialized);
  return std::move(answer.result);
}

class MemoryPlugin : public mcpgw::Plugin {
 public:
  static constexpr bool kResources = true, kPrompts = false, kCompletions = false;

  explicit MemoryPlugin(const mcpgw_plugin_init* init)
      : Plugin(init),
        store_(DataDirOrThrow(), OptionsOrThrow(config()),
               [this](mcpgw_log_level level, std::string_view message) { HostLog(level, message); }),
        tools_(store_) {
    for (json& definition : memory::MemoryToolDefinitions()) {
      const std::string name = definition.at("name");
      AddTool(std::move(definition), [this, name](mcpgw::Call& call, const json& arguments) {
        if (call.NoWait()) {
          auto answer = tools_.TryCallWithoutWaiting(name, call.principal().tenant, arguments);
          if (!answer) throw mcpgw::WouldBlock();
          if (!*answer) ThrowProtocolError(answer->error());
          return Output(std::move(**answer));  // read-only: nothing to announce
        }
        auto answer = tools_.Call(name, call.principal().tenant, arguments);
        if (!answer) ThrowProtocolError(answer.error());
        if (answer->changed_graph) NotifyResourceUpdated(memory::kGraphResourceUri);
        return Output(std::move(*answer));
      });
    }
    AddResource(memory::GraphResourceDefinition(), [this](mcpgw::Call& call, const std::string&) {
      auto contents = tools_.ReadGraphResource(call.principal().tenant);
      if (!contents) ThrowProtocolError(contents.error());
      return std::move(*contents);
    });
  }

 private:
  std::string DataDirOrThrow() const {
    if (data_dir().empty()) throw std::invalid_argument("memory: the gateway gave this instance no data directory");
    return data_dir();
  }

  memory::GraphStore store_;
  memory::MemoryTools tools_;
};

}  // namespace

MCPGW_PLUGIN(MemoryPlugin, "memory", "1.0.0", MCPGW_PLUGIN_THREAD_SAFE | MCPGW_PLUGIN_NOWAIT)
