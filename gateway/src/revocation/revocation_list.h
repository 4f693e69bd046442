// The central revocation list, held in memory by every replica so that the
// check on the request path costs no network round trip (ADR 0014).
//
// Three kinds of entry:
//   jti     — that one token; kept until `until` (the token's exp), then dropped
//   subject — every token of that subject issued (iat) before `before`
//   client  — every token of that client issued before `before`
// (`before` defaults to the second after the revocation, see Complete in
// entry_codec.h, so a token minted in the second of its revocation does not
// slip through).
// A store (local file, or Redis shared by the replicas) owns the entries and
// replaces or patches this list; readers never wait for a writer.
#pragma once

#include "pipeline/principal.h"

#include <atomic>
#include <chrono>
#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mcpgw::revocation {

enum class Kind { kJti, kSubject, kClient };
std::string_view KindName(Kind kind);                       // "jti", "subject", "client"
std::optional<Kind> ParseKind(std::string_view name);

// A jti entry still refuses its token this long after `until`: a token is
// accepted up to clock_skew_s (at most 600 s) past its exp, so dropping the
// entry at exp exactly would let the token back in for that long.
inline constexpr std::chrono::seconds kJtiGrace{900};

struct Entry {
  Kind kind = Kind::kJti;
  std::string value;                       // the jti, subject or client id
  std::chrono::sys_seconds created{};      // when it was revoked
  std::chrono::sys_seconds until{};        // kJti: drop after this (the token's exp); zero: keep until withdrawn
  std::chrono::sys_seconds before{};       // kSubject / kClient: tokens issued before this are revoked
  std::string reason;                      // free text from the operator (bounded, no credential)
  std::string by;                          // the admin principal's subject

  bool operator==(const Entry&) const = default;

  // A jti entry whose token can no longer be accepted anywhere: stores drop it.
  bool Expired(std::chrono::sys_seconds now) const {
    // Written so that no `until` can overflow it (now is a sane time).
    return kind == Kind::kJti && until != std::chrono::sys_seconds{} && now - kJtiGrace >= until;
  }
};

// Thread-safe: any number of readers, writers serialised. A reader takes the
// current immutable snapshot (an atomic shared_ptr load) and looks up a hash
// map or two, so the check costs the same with 1k or 1M entries. A writer
// copies only a small overlay on top of a shared base (folded into a new
// base once it grows past about sqrt(n) entries), so one change to a long
// list does not copy the whole list.
//
// Matching: a jti entry matches Principal::token_id (an API key's token id
// is its name, so a key can be revoked by name); subject and client entries
// match Principal::subject / client_id when Principal::issued_at < before
// (API keys and the local user have no iat, so they count as issued at the
// epoch: a subject entry refuses them until it is withdrawn).
class RevocationList {
 public:
  RevocationList();
  ~RevocationList();

  // True when the principal's credential is revoked at `now`.
  bool IsRevoked(const Principal& principal, std::chrono::sys_seconds now) const;

  void Replace(std::vector<Entry> entries);     // a full sync
  void Put(Entry entry);                        // add or replace (kind, value)
  void Remove(Kind kind, std::string_view value);
  std::vector<Entry> Entries() const;            // sorted by kind, then value
  std::optional<Entry> Find(Kind kind, std::string_view value) const;
  std::size_t size() const;
  std::size_t size(Kind kind) const;

 private:
  struct Layer;
  struct Snapshot;
  std::shared_ptr<const Snapshot> Load() const;
  void Publish(std::shared_ptr<const Snapshot> next);

  std::atomic<std::shared_ptr<const Snapshot>> snapshot_;
  std::mutex write_mu_;  // serialises writers; readers never take it
};

}  // namespace mcpgw::revocation
