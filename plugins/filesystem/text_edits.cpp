#include "text_edits.h"

#include <algorithm>

#include "utf8_text.h"

namespace mcpgw::filesystem {
namespace {

constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";

std::string WithCrlf(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 16);
  for (const char c : text) {
    if (c == '\n') out.push_back('\r');
    out.push_back(c);
  }
  return out;
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

std::string_view LeadingSpace(std::string_view s) {
  size_t n = 0;
  while (n < s.size() && IsSpace(s[n])) ++n;
  return s.substr(0, n);
}

std::vector<std::string> SplitOnNewline(std::string_view text) {
  std::vector<std::string> lines;
  size_t start = 0;
  for (;;) {
    const size_t newline = text.find('\n', start);
    lines.emplace_back(text.substr(start, newline - start));
    if (newline == std::string_view::npos) return lines;
    start = newline + 1;
  }
}

std::string JoinLines(const std::vector<std::string>& lines) {
  std::string text;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (i > 0) text.push_back('\n');
    text += lines[i];
  }
  return text;
}

// The lines of `replacement` indented like the match they replace: the
// first takes the indentation found in the file, later ones keep their
// indentation relative to oldText's.
std::vector<std::string> Reindent(const std::vector<std::string>& old_lines, std::string_view found_indent,
                                  std::string_view replacement) {
  std::vector<std::string> lines = SplitOnNewline(replacement);
  for (size_t j = 0; j < lines.size(); ++j) {
    const std::string_view line = lines[j];
    const std::string_view body = line.substr(LeadingSpace(line).size());
    if (j == 0) {
      lines[j] = std::string(found_indent) + std::string(body);
      continue;
    }
    const std::string_view old_indent = j < old_lines.size() ? LeadingSpace(old_lines[j]) : std::string_view();
    const std::string_view new_indent = LeadingSpace(line);
    if (old_indent.empty() || new_indent.empty()) continue;
    const size_t extra = new_indent.size() > old_indent.size() ? new_indent.size() - old_indent.size() : 0;
    lines[j] = std::string(found_indent) + std::string(extra, ' ') + std::string(body);
  }
  return lines;
}

// Replaces the first run of lines matching `old_text` up to whitespace.
bool ReplaceLooseMatch(std::string& text, const std::string& old_text, const std::string& new_text) {
  const std::vector<std::string> old_lines = SplitOnNewline(old_text);
  std::vector<std::string> lines = SplitOnNewline(text);
  if (old_lines.size() > lines.size()) return false;
  for (size_t i = 0; i + old_lines.size() <= lines.size(); ++i) {
    const bool match = std::equal(old_lines.begin(), old_lines.end(), lines.begin() + static_cast<ptrdiff_t>(i),
                                  [](const std::string& a, const std::string& b) { return Trim(a) == Trim(b); });
    if (!match) continue;
    const std::vector<std::string> replacement = Reindent(old_lines, LeadingSpace(lines[i]), new_text);
    lines.erase(lines.begin() + static_cast<ptrdiff_t>(i), lines.begin() + static_cast<ptrdiff_t>(i + old_lines.size()));
    lines.insert(lines.begin() + static_cast<ptrdiff_t>(i), replacement.begin(), replacement.end());
    text = JoinLines(lines);
    return true;
  }
  return false;
}

}  // namespace

std::string NormalizeLineEndings(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') continue;
    out.push_back(text[i]);
  }
  return out;
}

std::variant<FileLayout, std::string> DetectLayout(std::string_view bytes) {
  if (!IsValidUtf8(bytes)) return std::string("is not valid UTF-8 text");
  FileLayout layout;
  layout.byte_order_mark = bytes.substr(0, kByteOrderMark.size()) == kByteOrderMark;
  const std::string_view text = TextOf(layout, bytes);
  // Without "\r\n" normalisation changes nothing; with it, every "\n"
  // must have been one, or writing "\r\n" back would add a "\r".
  layout.crlf = text.find("\r\n") != std::string_view::npos;
  if (layout.crlf && WithCrlf(NormalizeLineEndings(text)) != text) {
    return std::string("mixes CRLF and LF line endings");
  }
  return layout;
}

std::string_view TextOf(const FileLayout& layout, std::string_view bytes) {
  return layout.byte_order_mark ? bytes.substr(kByteOrderMark.size()) : bytes;
}

std::string FileBytes(const FileLayout& layout, std::string_view edited) {
  std::string bytes = layout.byte_order_mark ? std::string(kByteOrderMark) : std::string();
  bytes += layout.crlf ? WithCrlf(edited) : std::string(edited);
  return bytes;
}

EditOutcome ApplyTextEdits(std::string_view file_text, const std::vector<TextEdit>& edits) {
  EditOutcome outcome;
  outcome.original = NormalizeLineEndings(file_text);
  outcome.edited = outcome.original;
  for (const TextEdit& edit : edits) {
    const std::string old_text = NormalizeLineEndings(edit.old_text);
    const std::string new_text = NormalizeLineEndings(edit.new_text);
    if (const size_t at = outcome.edited.find(old_text); at != std::string::npos) {
      outcome.edited.replace(at, old_text.size(), new_text);
      continue;
    }
    if (!ReplaceLooseMatch(outcome.edited, old_text, new_text)) {
      outcome.failure = "Could not find exact match for edit:\n" + edit.old_text;
      return outcome;
    }
  }
  return outcome;
}

std::string FencedDiff(std::string_view diff) {
  // One more backtick than the longest run in the diff, found in one pass.
  size_t longest = 0, run = 0;
  for (const char c : diff) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  const std::string fence(std::max<size_t>(3, longest + 1), '`');
  return fence + "diff\n" + std::string(diff) + fence + "\n\n";
}

}  // namespace mcpgw::filesystem
