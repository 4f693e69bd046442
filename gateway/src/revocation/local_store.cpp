#include "revocation/local_store.h"

#include "os/file.h"
#include "revocation/entry_codec.h"

#include <nlohmann/json.hpp>

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>

namespace mcpgw::revocation {

namespace {

using json = nlohmann::json;
constexpr int kFormatVersion = 1;

std::chrono::sys_seconds Now() { return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()); }

void DropExpired(std::vector<Entry>& entries, std::chrono::sys_seconds now) {
  std::erase_if(entries, [now](const Entry& e) { return e.Expired(now); });
}

std::variant<std::vector<Entry>, std::string> Parse(const std::string& bytes) {
  const json doc = json::parse(bytes, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) return std::string("not a JSON object");
  const auto version = doc.find("version");
  if (version == doc.end() || !version->is_number_integer() || version->get<int64_t>() != kFormatVersion) {
    return "\"version\" must be " + std::to_string(kFormatVersion);
  }
  const auto list = doc.find("entries");
  if (list == doc.end() || !list->is_array()) return std::string("\"entries\" must be an array");
  std::vector<Entry> entries;
  for (std::size_t i = 0; i < list->size(); ++i) {
    std::string error;
    auto entry = EntryFromJson((*list)[i], &error);
    if (!entry) return "entry " + std::to_string(i) + ": " + error;
    entries.push_back(*std::move(entry));
  }
  return entries;
}

}  // namespace

std::variant<std::unique_ptr<LocalStore>, std::string> LocalStore::Open(std::string path) {
  std::unique_ptr<LocalStore> store(new LocalStore(std::move(path)));
  struct stat st {};
  if (::stat(store->path_.c_str(), &st) != 0) {
    if (errno == ENOENT) return store;  // nothing revoked yet
  }
  std::string error;
  const std::optional<std::string> bytes = os::ReadFile(store->path_, &error);
  if (!bytes) return "revocation list: " + error;
  auto parsed = Parse(*bytes);
  if (auto* why = std::get_if<std::string>(&parsed)) {
    return "revocation list " + store->path_ + " is corrupt (" + *why +
           "); restore it from a backup or move it away to start with an empty list";
  }
  auto entries = std::get<std::vector<Entry>>(std::move(parsed));
  DropExpired(entries, Now());
  store->list_.Replace(std::move(entries));
  return store;
}

std::string LocalStore::Commit(std::vector<Entry> entries) {
  DropExpired(entries, Now());
  json list = json::array();
  for (const Entry& e : entries) list.push_back(EntryToJson(e));
  const json doc = {{"version", kFormatVersion}, {"entries", std::move(list)}};
  if (std::string error = os::WriteFileAtomically(path_, doc.dump(1) + "\n", 0600); !error.empty()) {
    return "cannot save the revocation list: " + error;
  }
  list_.Replace(std::move(entries));
  return "";
}

void LocalStore::Add(Entry entry, Done done) {
  const auto now = Now();
  Complete(entry, now);
  if (std::string why = Check(entry); !why.empty()) return done(false, why);
  if (entry.Expired(now)) return done(false, "that token has already expired (until is in the past)");
  std::string error;
  {
    std::lock_guard lock(mu_);
    std::vector<Entry> entries = list_.Entries();
    std::erase_if(entries, [&](const Entry& e) { return e.kind == entry.kind && e.value == entry.value; });
    entries.push_back(std::move(entry));
    error = Commit(std::move(entries));
  }
  done(error.empty(), error);
}

void LocalStore::Withdraw(Kind kind, std::string value, Done done) {
  std::string error;
  {
    std::lock_guard lock(mu_);
    std::vector<Entry> entries = list_.Entries();
    const auto removed =
        std::erase_if(entries, [&](const Entry& e) { return e.kind == kind && e.value == value; });
    error = removed == 0 ? NotRevokedMessage(kind, value) : Commit(std::move(entries));
  }
  done(error.empty(), error);
}

}  // namespace mcpgw::revocation
