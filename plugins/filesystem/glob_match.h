// Glob patterns as the reference server applies them (minimatch with
// {dot: true}) to "/"-separated relative paths: "*", "?", "[a-z]", "[!x]",
// "{a,b}", "**" (any number of whole segments), "\" escapes, a leading "!"
// to negate. Extended globs ("+(a|b)") and POSIX classes are not supported;
// their characters match themselves.
//
// Matching is polynomial in the pattern and the path whatever they hold:
// a path is matched segment by segment by dynamic programming, and brace
// expansion is bounded (a pattern expanding past the bound is refused, not
// matched in part).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace mcpgw::filesystem {

// Brace expansion multiplies patterns (20 groups "{a,b}" make a million);
// past this many alternatives, or this many bytes of them, a pattern is
// refused.
inline constexpr size_t kMaxGlobAlternatives = 1024;
inline constexpr size_t kMaxGlobExpandedBytes = 1 << 20;

// A pattern expanded once, so that a walk can test many paths against it.
class Glob {
 public:
  // The pattern ready to match, or why it cannot be used (a sentence for
  // the caller: its braces expand past the bounds above).
  static std::variant<Glob, std::string> Compile(std::string_view pattern);

  bool Matches(std::string_view path) const;

 private:
  Glob() = default;

  bool comment_ = false;  // minimatch reads a leading "#" as a comment: nothing matches
  bool negated_ = false;
  std::vector<std::vector<std::string>> alternatives_;  // each split into its segments
};

// `path` against `pattern` in one go; a pattern Compile refuses matches
// nothing.
bool GlobMatch(std::string_view path, std::string_view pattern);

}  // namespace mcpgw::filesystem
