#include "revocation/entry_codec.h"

#include <cstdint>

namespace mcpgw::revocation {

namespace {

using json = nlohmann::json;
using std::chrono::sys_seconds;

int64_t Seconds(sys_seconds t) { return t.time_since_epoch().count(); }

bool ReadTime(const json& fields, const char* name, sys_seconds* out, std::string* error) {
  const auto it = fields.find(name);
  if (it == fields.end()) return true;
  if (!it->is_number_integer() || it->get<int64_t>() < 0 ||
      it->get<int64_t>() > kLatestTime.time_since_epoch().count()) {
    *error = std::string("\"") + name + "\" must be an integer from 0 to " +
             std::to_string(kLatestTime.time_since_epoch().count()) + " (Unix seconds)";
    return false;
  }
  *out = sys_seconds(std::chrono::seconds(it->get<int64_t>()));
  return true;
}

bool ReadString(const json& fields, const char* name, std::string* out, std::string* error) {
  const auto it = fields.find(name);
  if (it == fields.end()) return true;
  if (!it->is_string()) {
    *error = std::string("\"") + name + "\" must be a string";
    return false;
  }
  *out = it->get<std::string>();
  return true;
}

}  // namespace

json EntryFields(const Entry& entry) {
  return {{"created", Seconds(entry.created)},
          {"until", Seconds(entry.until)},
          {"before", Seconds(entry.before)},
          {"reason", entry.reason},
          {"by", entry.by}};
}

std::optional<Entry> EntryFromFields(Kind kind, std::string value, const json& fields, std::string* error) {
  if (!fields.is_object()) {
    *error = "an entry must be a JSON object";
    return std::nullopt;
  }
  Entry e;
  e.kind = kind;
  e.value = std::move(value);
  if (!ReadTime(fields, "created", &e.created, error) || !ReadTime(fields, "until", &e.until, error) ||
      !ReadTime(fields, "before", &e.before, error) || !ReadString(fields, "reason", &e.reason, error) ||
      !ReadString(fields, "by", &e.by, error)) {
    return std::nullopt;
  }
  if (std::string why = Check(e); !why.empty()) {
    *error = why;
    return std::nullopt;
  }
  return e;
}

json EntryToJson(const Entry& entry) {
  json j = EntryFields(entry);
  j["kind"] = KindName(entry.kind);
  j["value"] = entry.value;
  return j;
}

std::optional<Entry> EntryFromJson(const json& j, std::string* error) {
  if (!j.is_object()) {
    *error = "an entry must be a JSON object";
    return std::nullopt;
  }
  const auto kind = j.find("kind");
  const std::optional<Kind> parsed =
      kind != j.end() && kind->is_string() ? ParseKind(kind->get<std::string>()) : std::nullopt;
  if (!parsed) {
    *error = "\"kind\" must be \"jti\", \"subject\" or \"client\"";
    return std::nullopt;
  }
  const auto value = j.find("value");
  if (value == j.end() || !value->is_string()) {
    *error = "\"value\" must be a string";
    return std::nullopt;
  }
  return EntryFromFields(*parsed, value->get<std::string>(), j, error);
}

void Complete(Entry& entry, sys_seconds now) {
  if (entry.created == sys_seconds{}) entry.created = now;
  if (entry.kind != Kind::kJti && entry.before == sys_seconds{}) entry.before = entry.created + std::chrono::seconds(1);
}

std::string NotRevokedMessage(Kind kind, std::string_view value) {
  return std::string(KindName(kind)) + " \"" + std::string(value.substr(0, 128)) + "\" is not revoked";
}

std::string Check(const Entry& entry) {
  const std::string kind(KindName(entry.kind));
  if (entry.value.empty()) return "the " + kind + " to revoke is empty";
  if (entry.value.size() > kMaxValueBytes) {
    return "the " + kind + " to revoke is longer than " + std::to_string(kMaxValueBytes) + " bytes";
  }
  if (entry.reason.size() > kMaxReasonBytes) {
    return "the reason is longer than " + std::to_string(kMaxReasonBytes) + " bytes";
  }
  if (entry.by.size() > kMaxByBytes) return "\"by\" is longer than " + std::to_string(kMaxByBytes) + " bytes";
  for (const auto& [name, t] : {std::pair{"until", entry.until}, {"before", entry.before}, {"created", entry.created}}) {
    if (t < sys_seconds{} || t > kLatestTime) {
      return std::string("\"") + name + "\" is out of range: give Unix seconds (not milliseconds), at most " +
             std::to_string(Seconds(kLatestTime)) + " (the end of 9999)";
    }
  }
  if (entry.kind != Kind::kJti && entry.before == sys_seconds{}) {
    return "a " + kind + " revocation needs \"before\": tokens issued before it are refused";
  }
  return "";
}

}  // namespace mcpgw::revocation
