#include "glob_match.h"

#include <optional>
#include <utility>

namespace mcpgw::filesystem {
namespace {

template <typename Segment>
std::vector<Segment> SplitSegments(std::string_view text) {
  std::vector<Segment> segments;
  size_t start = 0;
  for (;;) {
    const size_t slash = text.find('/', start);
    segments.emplace_back(text.substr(start, slash - start));
    if (slash == std::string_view::npos) return segments;
    start = slash + 1;
  }
}

// Where the character class starting at pattern[at] == '[' ends (the index
// of its ']'), or npos when it is not closed and '[' is a literal.
size_t ClassEnd(std::string_view pattern, size_t at) {
  size_t i = at + 1;
  if (i < pattern.size() && (pattern[i] == '!' || pattern[i] == '^')) ++i;
  if (i < pattern.size() && pattern[i] == ']') ++i;  // a leading ']' is a member
  for (; i < pattern.size(); ++i) {
    if (pattern[i] == '\\') ++i;
    else if (pattern[i] == ']') return i;
  }
  return std::string_view::npos;
}

bool ClassContains(std::string_view body, unsigned char c) {
  bool negated = false;
  size_t i = 0;
  if (!body.empty() && (body[0] == '!' || body[0] == '^')) negated = true, i = 1;
  bool found = false;
  while (i < body.size()) {
    unsigned char low = static_cast<unsigned char>(body[i]);
    if (low == '\\' && i + 1 < body.size()) low = static_cast<unsigned char>(body[++i]);
    unsigned char high = low;
    if (i + 2 < body.size() && body[i + 1] == '-') {
      high = static_cast<unsigned char>(body[i + 2]);
      i += 2;
    }
    if (c >= low && c <= high) found = true;
    ++i;
  }
  return found != negated;
}

// One segment against one segment pattern ("*" never crosses a "/").
bool SegmentMatch(std::string_view name, std::string_view pattern) {
  size_t n = 0, p = 0;
  size_t star_p = std::string_view::npos, star_n = 0;
  while (n < name.size()) {
    if (p < pattern.size()) {
      const char token = pattern[p];
      if (token == '*') {
        star_p = ++p;
        star_n = n;
        continue;
      }
      if (token == '?') {
        ++p, ++n;
        continue;
      }
      if (token == '[') {
        const size_t end = ClassEnd(pattern, p);
        if (end != std::string_view::npos) {
          if (ClassContains(pattern.substr(p + 1, end - p - 1), static_cast<unsigned char>(name[n]))) {
            p = end + 1, ++n;
            continue;
          }
        } else if (name[n] == '[') {
          ++p, ++n;
          continue;
        }
      } else {
        const bool escaped = token == '\\' && p + 1 < pattern.size();
        const char literal = escaped ? pattern[p + 1] : token;
        if (literal == name[n]) {
          p += escaped ? 2 : 1, ++n;
          continue;
        }
      }
    }
    if (star_p == std::string_view::npos) return false;  // mismatch with no star to widen
    p = star_p;
    n = ++star_n;
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

// Whether the path's segments match the pattern's. Dynamic programming
// from the ends, one pattern segment at a time: `next[f]` says whether
// file[f..] matches pattern[p + 1..], `here[f]` the same for pattern[p..].
// O(files x pattern segments) segment tests, where retrying every skip of
// every "**" recursively was exponential in the number of "**".
bool SegmentsMatch(const std::vector<std::string_view>& file, const std::vector<std::string>& pattern) {
  const size_t files = file.size();
  std::vector<char> next(files + 1, 0), here(files + 1, 0);
  next[files] = 1;  // an exhausted pattern matches an exhausted path only
  for (size_t p = pattern.size(); p-- > 0;) {
    if (pattern[p] == "**" && p + 1 == pattern.size()) {
      // A trailing "**" needs at least one segment ("a/**" does not match "a").
      for (size_t f = 0; f <= files; ++f) here[f] = f < files;
    } else if (pattern[p] == "**") {
      // Elsewhere it may match none ("**/x" matches "x"), or any run.
      here[files] = next[files];
      for (size_t f = files; f-- > 0;) here[f] = next[f] || here[f + 1];
    } else {
      here[files] = 0;
      for (size_t f = 0; f < files; ++f) here[f] = next[f + 1] && SegmentMatch(file[f], pattern[p]);
    }
    std::swap(here, next);
  }
  return next[0] != 0;
}

// The first top-level "{...,...}" in `pattern` (the leftmost "{" whose
// group is closed and has a comma of its own): its start and end, or npos.
// One pass with a stack of the groups still open.
std::pair<size_t, size_t> FindBraces(std::string_view pattern) {
  struct Open {
    size_t at;
    bool has_comma;
  };
  std::vector<Open> open;
  std::pair<size_t, size_t> first{std::string_view::npos, std::string_view::npos};
  for (size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (c == '\\') {
      ++i;
    } else if (c == '{') {
      open.push_back(Open{i, false});
    } else if (c == ',' && !open.empty()) {
      open.back().has_comma = true;
    } else if (c == '}' && !open.empty()) {
      const Open group = open.back();
      open.pop_back();
      if (group.has_comma && group.at < first.first) first = {group.at, i};
      if (open.empty() && first.first != std::string_view::npos) break;  // no later group starts further left
    }
  }
  return first;
}

// The patterns `pattern`'s braces stand for, or nullopt past
// kMaxGlobAlternatives of them or kMaxGlobExpandedBytes made on the way.
// Iterative, so nesting depth cannot exhaust the stack.
std::optional<std::vector<std::string>> ExpandBraces(std::string_view pattern) {
  std::vector<std::string> expanded;
  std::vector<std::string> pending{std::string(pattern)};
  size_t made = 0;
  while (!pending.empty()) {
    std::string current = std::move(pending.back());
    pending.pop_back();
    const auto [open, close] = FindBraces(current);
    if (open == std::string_view::npos) {
      if (expanded.size() == kMaxGlobAlternatives) return std::nullopt;
      expanded.push_back(std::move(current));
      continue;
    }
    const std::string_view head = std::string_view(current).substr(0, open);
    const std::string_view tail = std::string_view(current).substr(close + 1);
    std::vector<std::string> choices;
    int depth = 0;
    size_t start = open + 1;
    for (size_t i = open + 1; i <= close; ++i) {
      const char c = current[i];
      if (c == '\\') {
        ++i;
      } else if (c == '{') {
        ++depth;
      } else if ((c == ',' && depth == 0) || i == close) {
        const std::string_view choice = std::string_view(current).substr(start, i - start);
        made += head.size() + choice.size() + tail.size();
        if (made > kMaxGlobExpandedBytes) return std::nullopt;
        choices.push_back(std::string(head).append(choice).append(tail));
        start = i + 1;
      } else if (c == '}') {
        --depth;
      }
    }
    // Last first onto the stack, so alternatives come out left to right.
    for (auto it = choices.rbegin(); it != choices.rend(); ++it) pending.push_back(std::move(*it));
  }
  return expanded;
}

}  // namespace

std::variant<Glob, std::string> Glob::Compile(std::string_view pattern) {
  Glob glob;
  if (!pattern.empty() && pattern.front() == '#') {
    glob.comment_ = true;
    return glob;
  }
  while (!pattern.empty() && pattern.front() == '!') {
    glob.negated_ = !glob.negated_;
    pattern.remove_prefix(1);
  }
  auto expanded = ExpandBraces(pattern);
  if (!expanded) {
    return "its braces expand to more than " + std::to_string(kMaxGlobAlternatives) + " patterns (or " +
           std::to_string(kMaxGlobExpandedBytes) + " bytes of them)";
  }
  for (const std::string& alternative : *expanded) {
    glob.alternatives_.push_back(SplitSegments<std::string>(alternative));
  }
  return glob;
}

bool Glob::Matches(std::string_view path) const {
  if (comment_) return false;
  bool matched = false;
  if (!path.empty()) {
    const std::vector<std::string_view> file = SplitSegments<std::string_view>(path);
    for (const std::vector<std::string>& alternative : alternatives_) {
      if (SegmentsMatch(file, alternative)) {
        matched = true;
        break;
      }
    }
  }
  return matched != negated_;
}

bool GlobMatch(std::string_view path, std::string_view pattern) {
  const auto glob = Glob::Compile(pattern);
  const Glob* compiled = std::get_if<Glob>(&glob);
  return compiled != nullptr && compiled->Matches(path);
}

}  // namespace mcpgw::filesystem
