#include "commit_text.h"

#include <cstdint>
#include <cstdio>
#include <ctime>

#include "bounded_text.h"

namespace mcpgw::git {
namespace {

std::string Hex(const git_oid* id) {
  char hex[GIT_OID_HEXSZ + 1];
  git_oid_tostr(hex, sizeof hex, id);
  return hex;
}

// The broken-down time of `when` in its own offset.
std::tm LocalTm(const git_time& when) {
  const time_t shifted = static_cast<time_t>(when.time + static_cast<int64_t>(when.offset) * 60);
  std::tm tm{};
  gmtime_r(&shifted, &tm);
  return tm;
}

void AppendEscaped(std::string& out, uint32_t code) {
  char escaped[8];
  std::snprintf(escaped, sizeof escaped, "\\x%02x", static_cast<unsigned>(code));
  out += escaped;
}

// git's subject line: the first paragraph of the message, lines joined by spaces.
std::string Subject(const git_commit* commit) {
  const char* summary = git_commit_summary(const_cast<git_commit*>(commit));
  return summary != nullptr ? summary : "";
}

}  // namespace

std::string PythonRepr(std::string_view raw) {
  const std::string utf8 = ValidUtf8(raw);
  const bool has_single = utf8.find('\'') != std::string::npos;
  const bool has_double = utf8.find('"') != std::string::npos;
  const char quote = has_single && !has_double ? '"' : '\'';
  std::string out(1, quote);
  for (size_t i = 0; i < utf8.size(); ++i) {
    const auto c = static_cast<uint8_t>(utf8[i]);
    if (c == '\\' || c == static_cast<uint8_t>(quote)) {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c < 0x20 || c == 0x7F) {
      AppendEscaped(out, c);
    } else if (c == 0xC2 && i + 1 < utf8.size() && static_cast<uint8_t>(utf8[i + 1]) <= 0xA0) {
      AppendEscaped(out, static_cast<uint8_t>(utf8[++i]));  // U+0080..U+00A0 are not printable
    } else if (c == 0xC2 && i + 1 < utf8.size() && static_cast<uint8_t>(utf8[i + 1]) == 0xAD) {
      AppendEscaped(out, static_cast<uint8_t>(utf8[++i]));  // U+00AD SOFT HYPHEN
    } else {
      out += static_cast<char>(c);
    }
  }
  out += quote;
  return out;
}

std::string ActorRepr(const git_signature& who) {
  return std::string("<git.Actor \"") + ValidUtf8(who.name) + " <" + ValidUtf8(who.email) + ">\">";
}

std::string PythonDateTime(const git_time& when) {
  const std::tm tm = LocalTm(when);
  const int offset = when.offset < 0 ? -when.offset : when.offset;
  char text[64];
  std::snprintf(text, sizeof text, "%04d-%02d-%02d %02d:%02d:%02d%c%02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, when.offset < 0 ? '-' : '+', offset / 60, offset % 60);
  return text;
}

std::string GitDefaultDate(const git_time& when) {
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const std::tm tm = LocalTm(when);
  const int offset = when.offset < 0 ? -when.offset : when.offset;
  char text[64];
  std::snprintf(text, sizeof text, "%s %s %d %02d:%02d:%02d %d %c%02d%02d", kDays[tm.tm_wday], kMonths[tm.tm_mon],
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, tm.tm_year + 1900, when.offset < 0 ? '-' : '+',
                offset / 60, offset % 60);
  return text;
}

std::string ReprCommitEntry(const git_commit* commit) {
  const git_signature& author = *git_commit_author(commit);
  const char* message = git_commit_message(commit);
  return "Commit: " + PythonRepr(Hex(git_commit_id(commit))) + "\nAuthor: " + ActorRepr(author) +
         "\nDate: " + PythonDateTime(author.when) + "\nMessage: " + PythonRepr(message != nullptr ? message : "") +
         "\n";
}

std::string PlainCommitEntry(const git_commit* commit) {
  const git_signature& author = *git_commit_author(commit);
  return "Commit: " + Hex(git_commit_id(commit)) + "\nAuthor: " + ValidUtf8(author.name) +
         "\nDate: " + GitDefaultDate(author.when) + "\nMessage: " + ValidUtf8(Subject(commit)) + "\n";
}

}  // namespace mcpgw::git
