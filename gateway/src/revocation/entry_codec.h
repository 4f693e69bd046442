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

// {"created", "until", "before", "reason", "by"}: what a Redis hash value holds
// (the kind and value are its key and field).
nlohmann::json EntryFields(const Entry& entry);
std::optional<Entry> EntryFromFields(Kind kind, std::string value, const nlohmann::json& fields,
                                     std::string* error);

// The fields plus "kind" and "value": a file's entry.
nlohmann::json EntryToJson(const Entry& entry);
std::optional<Entry> EntryFromJson(const nlohmann::json& json, std::string* error);

// Fills what an operator may leave out: created = now; for subject and
// client entries, before = created ("every token issued until now").
void Complete(Entry& entry, std::chrono::sys_seconds now);

// What Withdraw answers when there is nothing to withdraw.
std::string NotRevokedMessage(Kind kind, std::string_view value);

// Why an entry cannot be stored ("" when it can): empty or oversized value,
// oversized reason or by.
std::string Check(const Entry& entry);

}  // namespace mcpgw::revocation
