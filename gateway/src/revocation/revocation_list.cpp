#include "revocation/revocation_list.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <tuple>
#include <unordered_map>

namespace mcpgw::revocation {

namespace {

constexpr std::size_t kKinds = 3;
constexpr std::size_t Index(Kind kind) { return static_cast<std::size_t>(kind); }
constexpr std::array<Kind, kKinds> kAllKinds = {Kind::kJti, Kind::kSubject, Kind::kClient};

// An overlay folds into the base once it holds more than this many changes:
// about sqrt(n), so a change copies O(sqrt n) entries and a fold, every
// sqrt(n) changes, O(n).
std::size_t FoldThreshold(std::size_t base_size) {
  return std::max<std::size_t>(64, static_cast<std::size_t>(std::sqrt(static_cast<double>(base_size))));
}

}  // namespace

std::string_view KindName(Kind kind) {
  switch (kind) {
    case Kind::kJti: return "jti";
    case Kind::kSubject: return "subject";
    case Kind::kClient: return "client";
  }
  return "jti";
}

std::optional<Kind> ParseKind(std::string_view name) {
  for (Kind kind : kAllKinds) {
    if (KindName(kind) == name) return kind;
  }
  return std::nullopt;
}

// Immutable once published.
struct RevocationList::Layer {
  std::array<std::unordered_map<std::string, Entry>, kKinds> maps;
  std::size_t size() const { return maps[0].size() + maps[1].size() + maps[2].size(); }
};

// A shared base plus the changes made since it was built (nullopt: removed).
struct RevocationList::Snapshot {
  std::shared_ptr<const Layer> base = std::make_shared<const Layer>();
  std::array<std::unordered_map<std::string, std::optional<Entry>>, kKinds> overlay;
  std::size_t overlay_size = 0;
  std::array<std::size_t, kKinds> counts{};

  const Entry* Lookup(Kind kind, const std::string& value) const {
    const auto& changed = overlay[Index(kind)];
    if (!changed.empty()) {
      if (auto it = changed.find(value); it != changed.end()) return it->second ? &*it->second : nullptr;
    }
    const auto& map = base->maps[Index(kind)];
    const auto it = map.find(value);
    return it == map.end() ? nullptr : &it->second;
  }

  // Applies the overlay to a copy of the base when it has grown too big.
  void MaybeFold() {
    if (overlay_size <= FoldThreshold(base->size())) return;
    auto folded = std::make_shared<Layer>(*base);
    for (std::size_t k = 0; k < kKinds; ++k) {
      for (auto& [value, entry] : overlay[k]) {
        if (entry) {
          folded->maps[k].insert_or_assign(value, *entry);
        } else {
          folded->maps[k].erase(value);
        }
      }
      overlay[k].clear();
    }
    overlay_size = 0;
    base = std::move(folded);
  }
};

RevocationList::RevocationList() : snapshot_(std::make_shared<const Snapshot>()) {}
RevocationList::~RevocationList() = default;

std::shared_ptr<const RevocationList::Snapshot> RevocationList::Load() const {
  return snapshot_.load(std::memory_order_acquire);
}

void RevocationList::Publish(std::shared_ptr<const Snapshot> next) {
  snapshot_.store(std::move(next), std::memory_order_release);
}

bool RevocationList::IsRevoked(const Principal& principal, std::chrono::sys_seconds now) const {
  const auto snapshot = Load();
  if (!principal.token_id.empty()) {
    const Entry* e = snapshot->Lookup(Kind::kJti, principal.token_id);
    if (e != nullptr && !e->Expired(now)) return true;
  }
  if (!principal.subject.empty()) {
    const Entry* e = snapshot->Lookup(Kind::kSubject, principal.subject);
    if (e != nullptr && principal.issued_at < e->before) return true;
  }
  if (!principal.client_id.empty()) {
    const Entry* e = snapshot->Lookup(Kind::kClient, principal.client_id);
    if (e != nullptr && principal.issued_at < e->before) return true;
  }
  return false;
}

void RevocationList::Replace(std::vector<Entry> entries) {
  auto layer = std::make_shared<Layer>();
  for (Entry& e : entries) {
    std::string value = e.value;
    layer->maps[Index(e.kind)].insert_or_assign(std::move(value), std::move(e));
  }
  auto next = std::make_shared<Snapshot>();
  for (std::size_t k = 0; k < kKinds; ++k) next->counts[k] = layer->maps[k].size();
  next->base = std::move(layer);
  std::lock_guard lock(write_mu_);
  Publish(std::move(next));
}

void RevocationList::Put(Entry entry) {
  std::lock_guard lock(write_mu_);
  const auto current = Load();
  auto next = std::make_shared<Snapshot>(*current);
  const std::size_t k = Index(entry.kind);
  if (current->Lookup(entry.kind, entry.value) == nullptr) ++next->counts[k];
  std::string value = entry.value;
  if (next->overlay[k].insert_or_assign(std::move(value), std::move(entry)).second) ++next->overlay_size;
  next->MaybeFold();
  Publish(std::move(next));
}

void RevocationList::Remove(Kind kind, std::string_view value) {
  std::lock_guard lock(write_mu_);
  const auto current = Load();
  const std::string key(value);
  if (current->Lookup(kind, key) == nullptr) return;
  auto next = std::make_shared<Snapshot>(*current);
  const std::size_t k = Index(kind);
  --next->counts[k];
  if (next->overlay[k].insert_or_assign(key, std::nullopt).second) ++next->overlay_size;
  next->MaybeFold();
  Publish(std::move(next));
}

std::optional<Entry> RevocationList::Find(Kind kind, std::string_view value) const {
  const auto snapshot = Load();
  const Entry* e = snapshot->Lookup(kind, std::string(value));
  if (e == nullptr) return std::nullopt;
  return *e;
}

std::vector<Entry> RevocationList::Entries() const {
  const auto snapshot = Load();
  std::vector<Entry> out;
  out.reserve(size());
  for (std::size_t k = 0; k < kKinds; ++k) {
    for (const auto& [value, entry] : snapshot->base->maps[k]) {
      if (!snapshot->overlay[k].contains(value)) out.push_back(entry);
    }
    for (const auto& [value, entry] : snapshot->overlay[k]) {
      if (entry) out.push_back(*entry);
    }
  }
  std::sort(out.begin(), out.end(), [](const Entry& a, const Entry& b) {
    return std::tie(a.kind, a.value) < std::tie(b.kind, b.value);
  });
  return out;
}

std::size_t RevocationList::size() const {
  const auto snapshot = Load();
  return snapshot->counts[0] + snapshot->counts[1] + snapshot->counts[2];
}

std::size_t RevocationList::size(Kind kind) const { return Load()->counts[Index(kind)]; }

}  // namespace mcpgw::revocation
