// Every tenant's knowledge graph, each in its own directory:
//
//   <data_dir>/tenants/<TenantDirectoryName(tenant)>/{snapshot.jsonl,wal.log[,tenant]}
//
// A tenant's graph is loaded on its first use and then kept in memory. Only
// the tenant named by the caller's principal is ever opened, so one tenant
// never reads or writes another's files. Thread-safe.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "durable_graph.h"
#include "log_sink.h"
#include "result.h"

namespace mcpgw::memory {

class GraphStore {
 public:
  // `data_dir` must exist; `tenants/` is created under it when needed.
  GraphStore(std::string data_dir, StoreOptions options, LogSink log);

  // The graph of `tenant`, loading it first if needed. An empty tenant is an
  // internal error: the gateway always names one. A failed load is retried
  // on the next call.
  Result<std::shared_ptr<DurableGraph>> ForTenant(const std::string& tenant);

  // The graph of `tenant` if it is loaded and nobody is loading it now;
  // null otherwise. Never touches the disk, never waits for a load.
  std::shared_ptr<DurableGraph> LoadedWithoutWaiting(const std::string& tenant);

 private:
  // One per tenant ever asked for. Its own mutex lets a slow load of one
  // tenant proceed without holding up the others.
  struct Slot {
    std::mutex loading;
    std::shared_ptr<DurableGraph> graph;
  };

  Result<std::shared_ptr<DurableGraph>> Load(const std::string& tenant);
  Status CheckTenantNameFile(const std::string& dir, const std::string& tenant);

  const std::string data_dir_;
  const StoreOptions options_;
  const LogSink log_;
  std::mutex mutex_;
  std::unordered_map<std::string, std::shared_ptr<Slot>> slots_;
};

}  // namespace mcpgw::memory
