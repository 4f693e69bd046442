// git_log's start_timestamp / end_timestamp, as git log's --since / --until.
//
// git accepts almost any text there (its "approxidate" reads what it can
// and silently ignores the rest). This parser accepts the forms the
// reference documents and refuses anything else with a message, so a typo
// never quietly means "no filter":
//   ISO 8601        2024-01-15, 2024-01-15T14:30:25, 2024-01-15 14:30, ...Z, ...+02:00
//   relative        "2 weeks ago", "3 days ago", "1 hour ago", "yesterday", "today", "now"
//   absolute        "Jan 15 2024", "15 Jan 2024", "January 15, 2024" (optionally with HH:MM[:SS])
//   Unix seconds    "@1705329025"
// Times without an offset are local time, as in git.
#pragma once

#include <cstdint>
#include <ctime>
#include <optional>
#include <string>

namespace mcpgw::git {

// Seconds since the epoch, or nullopt when `text` is none of the forms above.
// `now` is the reference point of relative forms.
std::optional<int64_t> ParseGitDate(const std::string& text, time_t now);

}  // namespace mcpgw::git
