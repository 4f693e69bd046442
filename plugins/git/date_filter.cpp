#include "date_filter.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstring>
#include <sstream>
#include <string_view>
#include <vector>

namespace mcpgw::git {
namespace {

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c) != 0; });
}

// The broken-down time as epoch seconds: local time, or UTC shifted by `offset_minutes`.
int64_t ToEpoch(std::tm tm, std::optional<int> offset_minutes) {
  tm.tm_isdst = -1;
  if (!offset_minutes) return static_cast<int64_t>(std::mktime(&tm));
  return static_cast<int64_t>(timegm(&tm)) - static_cast<int64_t>(*offset_minutes) * 60;
}

bool ValidCalendar(const std::tm& tm) {
  return tm.tm_mon >= 0 && tm.tm_mon < 12 && tm.tm_mday >= 1 && tm.tm_mday <= 31 && tm.tm_hour >= 0 &&
         tm.tm_hour < 24 && tm.tm_min >= 0 && tm.tm_min < 60 && tm.tm_sec >= 0 && tm.tm_sec <= 60;
}

// "+02:00", "-0530", "Z" at the end of an ISO time; false when `zone` is something else.
bool ParseOffset(std::string_view zone, std::optional<int>& offset) {
  if (zone.empty()) return true;
  if (zone == "z" || zone == "Z") {
    offset = 0;
    return true;
  }
  int hours = 0, minutes = 0;
  char sign = 0;
  const std::string z(zone);
  if (std::sscanf(z.c_str(), "%c%2d:%2d", &sign, &hours, &minutes) != 3 &&
      std::sscanf(z.c_str(), "%c%2d%2d", &sign, &hours, &minutes) != 3) {
    return false;
  }
  if ((sign != '+' && sign != '-') || hours > 14 || minutes > 59) return false;
  offset = (sign == '-' ? -1 : 1) * (hours * 60 + minutes);
  return true;
}

// HH:MM[:SS][.fraction][zone] into `tm`; false when it is not a time.
bool ParseClock(std::string_view text, std::tm& tm, std::optional<int>& offset) {
  const std::string s(text);
  int consumed = 0;
  tm.tm_sec = 0;
  if (std::sscanf(s.c_str(), "%2d:%2d:%2d%n", &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &consumed) != 3 &&
      std::sscanf(s.c_str(), "%2d:%2d%n", &tm.tm_hour, &tm.tm_min, &consumed) != 2) {
    return false;
  }
  std::string_view rest = text.substr(static_cast<size_t>(consumed));
  if (!rest.empty() && rest[0] == '.') {  // fractions of a second are dropped, as git does
    rest.remove_prefix(1);
    while (!rest.empty() && std::isdigit(static_cast<unsigned char>(rest[0])) != 0) rest.remove_prefix(1);
  }
  return ParseOffset(rest, offset);
}

std::optional<int64_t> ParseIso(const std::string& text) {
  std::tm tm{};
  int consumed = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &consumed) != 3 ||
      consumed != 10) {
    return std::nullopt;
  }
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  std::optional<int> offset;
  const std::string_view rest = std::string_view(text).substr(10);
  if (!rest.empty()) {
    if (rest[0] != 'T' && rest[0] != 't' && rest[0] != ' ') return std::nullopt;
    if (!ParseClock(rest.substr(1), tm, offset)) return std::nullopt;
  }
  if (!ValidCalendar(tm)) return std::nullopt;
  return ToEpoch(tm, offset);
}

std::optional<int> MonthIndex(const std::string& word) {
  static constexpr const char* kMonths[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                            "jul", "aug", "sep", "oct", "nov", "dec"};
  if (word.size() < 3) return std::nullopt;
  for (int i = 0; i < 12; ++i) {
    const std::string full = kMonths[i];
    if (word.compare(0, 3, full) == 0) return i;
  }
  return std::nullopt;
}

// "jan 15 2024", "15 jan 2024", "january 15, 2024", each optionally with a clock time.
std::optional<int64_t> ParseMonthName(const std::vector<std::string>& words) {
  std::tm tm{};
  std::optional<int> month, day, year, offset;
  bool clock = false;
  for (std::string word : words) {
    if (!word.empty() && word.back() == ',') word.pop_back();
    if (const auto m = MonthIndex(word); m && !month) {
      month = m;
    } else if (AllDigits(word) && word.size() <= 2 && !day) {
      day = std::stoi(word);
    } else if (AllDigits(word) && word.size() == 4 && !year) {
      year = std::stoi(word);
    } else if (word.find(':') != std::string::npos && !clock && ParseClock(word, tm, offset)) {
      clock = true;
    } else if (clock && !offset && (word == "utc" || word == "gmt" || word[0] == '+' || word[0] == '-') &&
               ParseOffset(word == "utc" || word == "gmt" ? "Z" : word, offset) && offset) {
      continue;  // "Feb 1 2024 00:00 +0000"
    } else {
      return std::nullopt;
    }
  }
  if (!month || !day || !year) return std::nullopt;
  tm.tm_mon = *month;
  tm.tm_mday = *day;
  tm.tm_year = *year - 1900;
  if (!ValidCalendar(tm)) return std::nullopt;
  return ToEpoch(tm, offset);
}

// "<n> <unit>[s] ago" (also "<n>.<unit>.ago").
std::optional<int64_t> ParseRelative(const std::vector<std::string>& words, time_t now) {
  if (words.size() != 3 || words[2] != "ago" || !AllDigits(words[0]) || words[0].size() > 6) return std::nullopt;
  const int n = std::stoi(words[0]);
  std::string unit = words[1];
  if (unit.size() > 1 && unit.back() == 's') unit.pop_back();
  static constexpr std::pair<const char*, int64_t> kSeconds[] = {
      {"second", 1}, {"minute", 60}, {"hour", 3600}, {"day", 86400}, {"week", 7 * 86400}};
  for (const auto& [name, seconds] : kSeconds) {
    if (unit == name) return static_cast<int64_t>(now) - n * seconds;
  }
  if (unit != "month" && unit != "year") return std::nullopt;
  std::tm tm{};
  localtime_r(&now, &tm);
  (unit == "month" ? tm.tm_mon : tm.tm_year) -= n;
  return ToEpoch(tm, std::nullopt);
}

std::vector<std::string> Words(const std::string& text) {
  std::string spaced = text;
  std::replace(spaced.begin(), spaced.end(), '.', ' ');
  std::istringstream in(spaced);
  std::vector<std::string> words;
  for (std::string word; in >> word;) words.push_back(word);
  return words;
}

}  // namespace

std::optional<int64_t> ParseGitDate(const std::string& raw, time_t now) {
  std::string text = raw;
  text.erase(0, text.find_first_not_of(" \t"));
  text.erase(text.find_last_not_of(" \t") + 1);
  if (text.empty() || text.size() > 64) return std::nullopt;
  if (text[0] == '@' && AllDigits(std::string_view(text).substr(1)) && text.size() <= 16) return std::stoll(text.substr(1));
  if (auto iso = ParseIso(text)) return iso;
  const std::string lower = Lower(text);
  if (lower == "now" || lower == "today") return static_cast<int64_t>(now);
  if (lower == "yesterday") return static_cast<int64_t>(now) - 86400;
  if (auto relative = ParseRelative(Words(lower), now)) return relative;
  std::istringstream in(lower);
  std::vector<std::string> words;
  for (std::string word; in >> word;) words.push_back(word);
  return ParseMonthName(words);
}

}  // namespace mcpgw::git
