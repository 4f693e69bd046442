// A "pattern" / "patternProperties" regular expression (ECMA-262 syntax),
// compiled once and safe to match on the request path.
//
// Safety comes from three choices, all because schemas may be hostile:
// - libstdc++'s breadth-first executor (its `__polynomial` flag) instead of
//   the default backtracking one, whose recursion grows with the input length
//   (a stack overflow on long strings) and whose time can be exponential.
//   Back-references need backtracking, so a pattern using them is refused.
// - A pattern not anchored with "^" is matched as "[\s\S]*(?:P)" in one
//   pass rather than searched from every start position, which would be
//   quadratic. An anchored one is tried at the start only, and stops as soon
//   as it can no longer match ("^https?://" reads 8 characters, not all).
// - Patterns that would expand into a huge automaton (nested groups, large
//   {n,m} counts) are refused before std::regex sees them. A match costs
//   about (subject length) x (automaton size), so the larger the automaton,
//   the shorter the subjects it agrees to match (see max_subject_bytes).
// Matching works on code points: the subject is decoded from UTF-8 first.
#pragma once

#include <cstddef>
#include <regex>
#include <string>
#include <string_view>
#include <variant>

namespace mcpgw::schema::detail {

class Pattern {
 public:
  // Fails with a message for a pattern std::regex rejects or one too complex.
  static std::variant<Pattern, std::string> Compile(const std::string& source);

  // Whether the pattern matches anywhere in `utf8`. Thread-safe.
  bool Matches(std::string_view utf8) const;

  const std::string& source() const { return source_; }

  // The longest subject this pattern matches in bounded time; callers must
  // not pass longer ones.
  std::size_t max_subject_bytes() const { return max_subject_bytes_; }

 private:
  Pattern(std::string source, std::size_t max_subject_bytes, std::wregex from_start)
      : source_(std::move(source)), max_subject_bytes_(max_subject_bytes), from_start_(std::move(from_start)) {}

  std::string source_;
  std::size_t max_subject_bytes_;
  std::wregex from_start_;  // matches a prefix of the subject iff the pattern matches somewhere in it
};

}  // namespace mcpgw::schema::detail
