#include "glob_match.h"

#include <string>
#include <vector>

namespace mcpgw::filesystem {
namespace {

// Brace expansion can multiply patterns; past this many alternatives the
// rest are ignored rather than letting a caller exhaust memory.
constexpr size_t kMaxAlternatives = 1024;

std::vector<std::string_view> SplitSegments(std::string_view text) {
  std::vector<std::string_view> segments;
  size_t start = 0;
  for (;;) {
    const size_t slash = text.find('/', start);
    segments.push_back(text.substr(start, slash - start));
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

bool SegmentsMatch(const std::vector<std::string_view>& file, size_t f, const std::vector<std::string_view>& pattern,
                   size_t p) {
  if (p == pattern.size()) return f == file.size();
  if (pattern[p] == "**") {
    // A trailing "**" needs at least one segment ("a/**" does not match
    // "a"); elsewhere it may match none ("**/x" matches "x").
    if (p + 1 == pattern.size()) return f < file.size();
    for (size_t skip = f; skip <= file.size(); ++skip) {
      if (SegmentsMatch(file, skip, pattern, p + 1)) return true;
    }
    return false;
  }
  return f < file.size() && SegmentMatch(file[f], pattern[p]) && SegmentsMatch(file, f + 1, pattern, p + 1);
}

// The first top-level "{...,...}" in `pattern`: its start and end, or npos.
std::pair<size_t, size_t> FindBraces(std::string_view pattern) {
  for (size_t open = 0; open < pattern.size(); ++open) {
    if (pattern[open] == '\\') {
      ++open;
      continue;
    }
    if (pattern[open] != '{') continue;
    int depth = 0;
    bool has_comma = false;
    for (size_t i = open; i < pattern.size(); ++i) {
      if (pattern[i] == '\\') {
        ++i;
      } else if (pattern[i] == '{') {
        ++depth;
      } else if (pattern[i] == '}') {
        if (--depth == 0) {
          if (has_comma) return {open, i};
          break;
        }
      } else if (pattern[i] == ',' && depth == 1) {
        has_comma = true;
      }
    }
  }
  return {std::string_view::npos, std::string_view::npos};
}

void ExpandBraces(const std::string& pattern, std::vector<std::string>& out) {
  if (out.size() >= kMaxAlternatives) return;
  const auto [open, close] = FindBraces(pattern);
  if (open == std::string_view::npos) {
    out.push_back(pattern);
    return;
  }
  const std::string head = pattern.substr(0, open), tail = pattern.substr(close + 1);
  int depth = 0;
  size_t start = open + 1;
  for (size_t i = open + 1; i <= close; ++i) {
    const char c = pattern[i];
    if (c == '\\') {
      ++i;
    } else if (c == '{') {
      ++depth;
    } else if ((c == ',' && depth == 0) || i == close) {
      ExpandBraces(head + pattern.substr(start, i - start) + tail, out);
      start = i + 1;
    } else if (c == '}') {
      --depth;
    }
  }
}

}  // namespace

bool GlobMatch(std::string_view path, std::string_view pattern) {
  if (!pattern.empty() && pattern.front() == '#') return false;  // minimatch reads it as a comment
  bool negated = false;
  while (!pattern.empty() && pattern.front() == '!') {
    negated = !negated;
    pattern.remove_prefix(1);
  }
  bool matched = false;
  if (!path.empty()) {
    std::vector<std::string> alternatives;
    ExpandBraces(std::string(pattern), alternatives);
    const std::vector<std::string_view> file = SplitSegments(path);
    for (const std::string& alternative : alternatives) {
      if (SegmentsMatch(file, 0, SplitSegments(alternative), 0)) {
        matched = true;
        break;
      }
    }
  }
  return matched != negated;
}

}  // namespace mcpgw::filesystem
