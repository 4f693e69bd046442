// The embedded revocation store: one replica, no Redis. The list lives in
// memory and in one JSON file in the data directory, rewritten atomically
// (temporary file, fsync, rename; mode 0600) on every change, so a
// revocation survives a restart and a crash never leaves half a file.
//
// A file that cannot be read or parsed stops the start with a message
// naming it: an empty list in its place would quietly let revoked tokens
// back in. A missing file is an empty list. jti entries whose token has
// expired (Entry::Expired) are dropped on load and on every write.
#pragma once

#include "revocation/store.h"

#include <memory>
#include <mutex>
#include <string>
#include <variant>

namespace mcpgw::revocation {

class LocalStore final : public Store {
 public:
  static std::variant<std::unique_ptr<LocalStore>, std::string> Open(std::string path);

  // Both call `done` before returning, after the file is written (or not).
  void Add(Entry entry, Done done) override;
  void Withdraw(Kind kind, std::string value, Done done) override;

  const RevocationList& list() const override { return list_; }
  Health health() const override { return {}; }  // the file is the truth: always fresh

  const std::string& path() const { return path_; }

 private:
  explicit LocalStore(std::string path) : path_(std::move(path)) {}
  // Writes `entries` (expired ones left out) to the file, then makes them
  // the list. Returns an error message or "".
  std::string Commit(std::vector<Entry> entries);

  std::string path_;
  std::mutex mu_;  // one change at a time: read, write the file, publish
  RevocationList list_;
};

}  // namespace mcpgw::revocation
