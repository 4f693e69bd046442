// Every tenant's collections, each tenant in its own directory:
//
//   <data_dir>/tenants/<TenantDirectoryName(tenant)>/{changes.log, documents.snapshot, index-*.hnsw[, tenant]}
//
// A tenant is loaded on first use and then kept in memory. Only the tenant
// named by the caller's principal is ever opened, so one tenant never reads
// or writes another's files. Thread-safe.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "log_sink.h"
#include "result.h"
#include "tenant_store.h"

namespace mcpgw::vector {

class VectorStore {
 public:
  // `data_dir` must exist; `tenants/` is created under it when needed.
  VectorStore(std::string data_dir, uint64_t compact_after_bytes, LogSink log);

  // The store of `tenant`, loading it first if needed (a failed load is
  // retried on the next call). An empty tenant is an internal error.
  Result<std::shared_ptr<TenantStore>> ForTenant(const std::string& tenant);

 private:
  struct Slot {
    std::mutex loading;  // one slow load does not hold up other tenants
    std::shared_ptr<TenantStore> store;
  };
  Result<std::shared_ptr<TenantStore>> Load(const std::string& tenant);

  const std::string data_dir_;
  const uint64_t compact_after_bytes_;
  const LogSink log_;
  std::mutex mutex_;
  std::unordered_map<std::string, std::shared_ptr<Slot>> slots_;
};

}  // namespace mcpgw::vector
