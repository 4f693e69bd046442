#include "vector_store.h"

#include <utility>

#include "durable_file.h"
#include "tenant_path.h"

namespace mcpgw::vector {
namespace {

constexpr char kLoadFailed[] = "Could not load the tenant's collections";

}  // namespace

VectorStore::VectorStore(std::string data_dir, uint64_t compact_after_bytes, LogSink log)
    : data_dir_(std::move(data_dir)), compact_after_bytes_(compact_after_bytes), log_(std::move(log)) {}

Result<std::shared_ptr<TenantStore>> VectorStore::ForTenant(const std::string& tenant) {
  if (tenant.empty()) return Failure{FailureKind::kInternal, "The gateway named no tenant for this call"};
  std::shared_ptr<Slot> slot;
  {
    std::lock_guard lock(mutex_);  // held for the lookup only, never across I/O
    std::shared_ptr<Slot>& entry = slots_[tenant];
    if (!entry) entry = std::make_shared<Slot>();
    slot = entry;
  }
  std::lock_guard loading(slot->loading);
  if (!slot->store) {
    auto loaded = Load(tenant);
    if (!loaded) return loaded.error();
    slot->store = std::move(*loaded);
  }
  return slot->store;
}

Result<std::shared_ptr<TenantStore>> VectorStore::Load(const std::string& tenant) {
  const std::string tenants = data_dir_ + "/tenants";
  const std::string name = TenantDirectoryName(tenant);
  const std::string dir = tenants + "/" + name;
  IoStatus made = EnsureDirectory(tenants, data_dir_);
  if (!made) made = EnsureDirectory(dir, tenants);
  if (made) {
    log_(MCPGW_LOG_ERROR, "vector: cannot create " + dir + ": " + made->ToString());
    return Failure{FailureKind::kUnavailable, std::string(kLoadFailed) + " (storage error)"};
  }
  if (TenantDirectoryIsHashed(name)) {
    // The hashed name stands for the tenant recorded beside it, and only that one.
    const std::string name_file = dir + "/" + kTenantNameFile;
    std::string stored;
    bool missing = false;
    IoStatus checked = ReadFile(name_file, stored, &missing);
    if (!checked && missing) checked = WriteFileAtomically(dir, name_file, tenant);
    if (checked) {
      log_(MCPGW_LOG_ERROR, "vector: " + checked->ToString());
      return Failure{FailureKind::kUnavailable, std::string(kLoadFailed) + " (storage error)"};
    }
    if (!missing && stored != tenant) {
      log_(MCPGW_LOG_CRITICAL, "vector: " + name_file + " names another tenant (hash collision or tampering)");
      return Failure{FailureKind::kInternal, std::string(kLoadFailed) + " (tenant directory conflict)"};
    }
  }
  auto store = TenantStore::Open(dir, compact_after_bytes_, log_);
  if (!store) return store.error();
  return std::shared_ptr<TenantStore>(std::move(*store));
}

}  // namespace mcpgw::vector
