#include "graph_store.h"

#include <fcntl.h>

#include <cerrno>
#include <utility>

#include "posix_io.h"
#include "tenant_directory.h"

namespace mcpgw::memory {
namespace {

constexpr char kTenantsDirName[] = "tenants";
constexpr char kLoadFailed[] = "Could not load the knowledge graph";

// Creates `path` (0700) if missing and makes its entry in `parent` durable.
StorageStatus EnsureDirectory(const std::string& path, const std::string& parent) {
  auto created = MakeDirectory(path);
  if (!created) return created.error();
  if (*created) return SyncDirectory(parent);
  return {};
}

}  // namespace

GraphStore::GraphStore(std::string data_dir, StoreOptions options, LogSink log)
    : data_dir_(std::move(data_dir)), options_(options), log_(std::move(log)) {}

Result<std::shared_ptr<DurableGraph>> GraphStore::ForTenant(const std::string& tenant) {
  if (tenant.empty()) return Failure{FailureKind::kInternal, "The gateway named no tenant for this call"};
  std::shared_ptr<Slot> slot;
  {
    std::lock_guard lock(mutex_);
    std::shared_ptr<Slot>& entry = slots_[tenant];
    if (!entry) entry = std::make_shared<Slot>();
    slot = entry;
  }
  std::lock_guard loading(slot->loading);
  if (!slot->graph) {
    auto loaded = Load(tenant);
    if (!loaded) return loaded.error();
    slot->graph = std::move(*loaded);
  }
  return slot->graph;
}

std::shared_ptr<DurableGraph> GraphStore::LoadedWithoutWaiting(const std::string& tenant) {
  std::shared_ptr<Slot> slot;
  {
    std::lock_guard lock(mutex_);  // held only for lookups, never across I/O
    const auto it = slots_.find(tenant);
    if (it == slots_.end()) return nullptr;
    slot = it->second;
  }
  std::unique_lock loading(slot->loading, std::try_to_lock);
  return loading.owns_lock() ? slot->graph : nullptr;
}

Result<std::shared_ptr<DurableGraph>> GraphStore::Load(const std::string& tenant) {
  const std::string tenants_dir = data_dir_ + "/" + kTenantsDirName;
  const std::string name = TenantDirectoryName(tenant);
  const std::string dir = tenants_dir + "/" + name;
  StorageStatus made = EnsureDirectory(tenants_dir, data_dir_);
  if (made) made = EnsureDirectory(dir, tenants_dir);
  if (!made) {
    log_(MCPGW_LOG_ERROR, "memory: cannot create " + dir + ": " + made.error().ToString());
    return ToFailure(made.error(), kLoadFailed);
  }
  if (IsHashedTenantDirectoryName(name)) {
    if (Status checked = CheckTenantNameFile(dir, tenant); !checked) return checked.error();
  }
  auto graph = DurableGraph::Open(dir, options_, log_);
  if (!graph) return graph.error();
  return std::shared_ptr<DurableGraph>(std::move(*graph));
}

Status GraphStore::CheckTenantNameFile(const std::string& dir, const std::string& tenant) {
  const std::string shown_path = dir + "/" + kTenantNameFile;
  const auto fail = [&](const StorageError& error) {
    log_(MCPGW_LOG_ERROR, "memory: " + error.ToString());
    return ToFailure(error, kLoadFailed);
  };
  auto dir_fd = OpenDirectory(dir);
  if (!dir_fd) return fail(dir_fd.error());
  auto file = OpenFileAt(dir_fd->get(), kTenantNameFile, O_RDONLY, shown_path);
  if (!file) {
    if (file.error().code != ENOENT) return fail(file.error());
    // First use: record whose directory this is before any data goes in.
    if (StorageStatus written = ReplaceFileAtomically(dir_fd->get(), kTenantNameFile, tenant, dir); !written) {
      return fail(written.error());
    }
    return {};
  }
  auto stored = ReadWholeFile(file->get(), shown_path);
  if (!stored) return fail(stored.error());
  if (*stored != tenant) {
    log_(MCPGW_LOG_CRITICAL, "memory: " + shown_path +
                                 " names another tenant (SHA-256 collision or tampering); "
                                 "refusing to serve it");
    return Failure{FailureKind::kInternal, std::string(kLoadFailed) + " (tenant directory conflict)"};
  }
  return {};
}

}  // namespace mcpgw::memory
