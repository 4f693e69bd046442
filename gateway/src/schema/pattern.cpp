#include "schema/pattern.h"

#include "schema/utf8.h"

#include <cstddef>
#include <algorithm>
#include <cstdint>
#include <optional>
#include <vector>

namespace mcpgw::schema::detail {

namespace {

// The breadth-first executor recurses once per group level while compiling
// and once per state of an epsilon chain while matching; these bounds keep
// both far below any thread's stack.
constexpr std::size_t kMaxGroupNesting = 32;
constexpr std::size_t kMaxRepetition = 1000;
constexpr std::size_t kMaxExpandedSize = 2000;
// Automaton states times subject characters one match may step through:
// about 100 ms of the breadth-first executor.
constexpr std::size_t kMatchBudget = 2'000'000;

// Parses the digits of "{n}", "{n,}" or "{n,m}" at `text[i]` == '{'; returns
// the number of copies std::regex will expand the atom into, or nullopt when
// the braces are not a quantifier.
std::optional<std::size_t> RepetitionCopies(std::string_view text, std::size_t& i) {
  std::size_t j = i + 1;
  auto read_number = [&](std::size_t& value) {
    const std::size_t start = j;
    value = 0;
    while (j < text.size() && text[j] >= '0' && text[j] <= '9') {
      value = value > kMaxRepetition ? value : value * 10 + static_cast<std::size_t>(text[j] - '0');
      ++j;
    }
    return j > start;
  };
  std::size_t low = 0;
  if (!read_number(low)) return std::nullopt;
  std::size_t high = low;
  if (j < text.size() && text[j] == ',') {
    ++j;
    if (!read_number(high)) high = low + 1;  // "{n,}": n copies and a star
  }
  if (j >= text.size() || text[j] != '}') return std::nullopt;
  i = j;
  return high > low ? high : low;
}

// Estimates the automaton std::regex would build: every atom counts one,
// and a quantified atom counts once per copy. Fails with why it is refused.
std::variant<std::size_t, std::string> EstimateSize(std::string_view text) {
  std::vector<std::size_t> groups{0};  // size so far of each open group
  std::size_t last_atom = 0;
  auto add_atom = [&](std::size_t size) {
    groups.back() += size;
    last_atom = size;
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\\') {
      ++i;
      add_atom(1);
    } else if (c == '[') {
      for (++i; i < text.size() && text[i] != ']'; ++i) {
        if (text[i] == '\\') ++i;
      }
      add_atom(1);
    } else if (c == '(') {
      if (groups.size() > kMaxGroupNesting) {
        return std::string("groups nest deeper than ") + std::to_string(kMaxGroupNesting) + " levels";
      }
      groups.push_back(1);
      if (i + 1 < text.size() && text[i + 1] == '?') i += 2;  // (?: (?= (?!
    } else if (c == ')' && groups.size() > 1) {
      const std::size_t size = groups.back();
      groups.pop_back();
      add_atom(size);
    } else if (c == '*' || c == '+' || c == '?') {
      groups.back() += 1;
      last_atom = 0;
      if (i + 1 < text.size() && text[i + 1] == '?') ++i;  // lazy
    } else if (c == '{') {
      const std::optional<std::size_t> copies = RepetitionCopies(text, i);
      if (!copies) {
        add_atom(1);
        continue;
      }
      if (*copies > kMaxRepetition) {
        return std::string("a repetition count is larger than ") + std::to_string(kMaxRepetition);
      }
      groups.back() += last_atom * (*copies > 0 ? *copies - 1 : 0);
      last_atom = 0;
      if (i + 1 < text.size() && text[i + 1] == '?') ++i;
    } else {
      add_atom(1);
    }
    if (groups.back() > kMaxExpandedSize) {
      return "it would expand to more than " + std::to_string(kMaxExpandedSize) + " states";
    }
  }
  return groups.front();
}

// "\p{...}" needs ECMA-262's unicode mode, which std::regex lacks: it would
// read "\p" as a plain "p" inside a class and match the wrong strings.
bool UsesUnicodePropertyClass(std::string_view text) {
  for (std::size_t i = 0; i + 1 < text.size(); ++i) {
    if (text[i] != '\\') continue;
    if (text[i + 1] == 'p' || text[i + 1] == 'P') return true;
    ++i;
  }
  return false;
}

constexpr auto kSyntax = std::regex_constants::ECMAScript | std::regex_constants::nosubs |
                         std::regex_constants::__polynomial;

// Whether every match must start at the beginning of the subject: a leading
// "^" with no "|" outside groups that could offer an unanchored branch.
bool IsAnchoredAtStart(std::string_view text) {
  if (text.empty() || text.front() != '^') return false;
  std::size_t depth = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\\') {
      ++i;
    } else if (c == '[') {
      for (++i; i < text.size() && text[i] != ']'; ++i) {
        if (text[i] == '\\') ++i;
      }
    } else if (c == '(') {
      ++depth;
    } else if (c == ')' && depth > 0) {
      --depth;
    } else if (c == '|' && depth == 0) {
      return false;
    }
  }
  return true;
}

}  // namespace

std::variant<Pattern, std::string> Pattern::Compile(const std::string& source) {
  if (UsesUnicodePropertyClass(source)) {
    return "pattern \"" + source + "\" uses a Unicode property class (\\p{...}), which is not supported";
  }
  const auto size = EstimateSize(source);
  if (auto* why = std::get_if<std::string>(&size)) return "pattern \"" + source + "\" is too complex: " + *why;
  const std::size_t max_subject_bytes = kMatchBudget / std::max<std::size_t>(std::get<std::size_t>(size), 1);
  std::wstring wide;
  DecodeUtf8(source, wide);
  try {
    std::wregex alone(wide, kSyntax);
    if (IsAnchoredAtStart(source)) return Pattern(source, max_subject_bytes, std::move(alone));
    // Compiling `alone` first matters: the wrapper could hide a stray ")".
    return Pattern(source, max_subject_bytes, std::wregex(L"[\\s\\S]*(?:" + wide + L")", kSyntax));
  } catch (const std::regex_error& e) {
    if (e.code() == std::regex_constants::error_complexity) {
      return "pattern \"" + source + "\" uses a back-reference, which is not supported";
    }
    return "pattern \"" + source + "\" is not a valid regular expression: " + e.what();
  }
}

bool Pattern::Matches(std::string_view utf8) const {
  // Reused per thread so matching does not allocate the decoded copy.
  thread_local std::wstring subject;
  DecodeUtf8(utf8, subject);
  return std::regex_search(subject.cbegin(), subject.cend(), from_start_, std::regex_constants::match_continuous);
}

}  // namespace mcpgw::schema::detail
