// One JSON form of a revocation entry for every place one is written down:
// the local file, the values of the Redis hashes and the pub/sub messages.
// Times are integer Unix seconds; 0 means "not set".
#pragma once

#include "revocation/revocation_list.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <optional>
#include <string>

namespace mcpgw::revocation {

inline constexpr std::size_t kMaxValueBytes = 1024;   // a jti, subject or client id
inline constexpr std::size_t kMaxReasonBytes = 512;
inline constexpr std::size_t kMaxByBytes = 256;
// The latest time an entry may name: the end of year 9999 (Unix seconds). A
// larger number is a mistake (milliseconds, say) and would overflow the
// arithmetic on it.
inline constexpr std::chrono::sys_seconds kLatestTime{std::chrono::seconds{253402300799}};

// {"created", "until", "before", "reason", "by"}: what a Redis hash value holds
// (the kind and value are its key and field).
nlohmann::json EntryFields(const Entry& entry);
std::optional<Entry> EntryFromFields(Kind kind, std::string value, const nlohmann::json& fields,
                                     std::string* error);

// The fields plus "kind" and "value": a file's entry.
nlohmann::json EntryToJson(const Entry& entry);
std::optional<Entry> EntryFromJson(const nlohmann::json& json, std::string* error);

// Fills what an operator may leave out: created = now; for subject and
// client entries, before = created + 1 s ("every token issued up to and
// including this second": iat has whole seconds, so a token minted in the
// second of the revocation, just before it, must not slip through; one
// minted just after it is refused too, for under a second, the safe side).
void Complete(Entry& entry, std::chrono::sys_seconds now);

// What Withdraw answers when there is nothing to withdraw.
std::string NotRevokedMessage(Kind kind, std::string_view value);

// Why an entry cannot be stored ("" when it can): empty or oversized value,
// oversized reason or by, a time after kLatestTime, a subject or client
// entry without `before` (it would revoke nothing).
std::string Check(const Entry& entry);

}  // namespace mcpgw::revocation
