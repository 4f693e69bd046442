#include "hashing_embedder.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <unordered_map>

namespace mcpgw::vector {
namespace {

constexpr double kWordWeight = 1.0;
constexpr double kBigramWeight = 0.7;
constexpr double kCharGramWeight = 0.4;
constexpr size_t kMinCharGram = 3, kMaxCharGram = 5;

// Decodes UTF-8; a malformed byte becomes U+FFFD, so any input is accepted.
std::u32string DecodeUtf8(std::string_view text) {
  std::u32string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    const auto byte = static_cast<unsigned char>(text[i]);
    size_t length = byte < 0x80 ? 1 : (byte >> 5) == 0x6 ? 2 : (byte >> 4) == 0xE ? 3 : (byte >> 3) == 0x1E ? 4 : 0;
    char32_t cp = length == 1 ? byte : length == 2 ? (byte & 0x1F) : length == 3 ? (byte & 0x0F) : (byte & 0x07);
    bool valid = length != 0 && i + length <= text.size();
    for (size_t k = 1; valid && k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      valid = (next & 0xC0) == 0x80;
      cp = (cp << 6) | (next & 0x3F);
    }
    if (!valid) {
      out += U'\uFFFD';
      ++i;
      continue;
    }
    out += cp;
    i += length;
  }
  return out;
}

char32_t Lowercase(char32_t c) {
  if (c >= U'A' && c <= U'Z') return c + 32;
  if ((c >= 0xC0 && c <= 0xDE && c != 0xD7) || (c >= 0x391 && c <= 0x3A9) || (c >= 0x410 && c <= 0x42F)) return c + 32;
  if (c >= 0x400 && c <= 0x40F) return c + 80;  // Cyrillic Ѐ..Џ
  return c;
}

bool IsWordCharacter(char32_t c) {
  if (c < 0x80) return (c >= U'a' && c <= U'z') || (c >= U'A' && c <= U'Z') || (c >= U'0' && c <= U'9');
  const bool punctuation = (c >= 0x80 && c <= 0xBF) || c == 0xD7 || c == 0xF7 || (c >= 0x2000 && c <= 0x2BFF) ||
                           (c >= 0x3000 && c <= 0x303F) || (c >= 0xFE30 && c <= 0xFE4F) ||
                           (c >= 0xFF00 && c <= 0xFF0F) || c == 0xFFFD;
  return !punctuation;
}

std::string EncodeUtf8(std::u32string_view text) {
  std::string out;
  for (const char32_t c : text) {
    if (c < 0x80) {
      out += static_cast<char>(c);
    } else if (c < 0x800) {
      out += static_cast<char>(0xC0 | (c >> 6));
      out += static_cast<char>(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
      out += static_cast<char>(0xE0 | (c >> 12));
      out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (c & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (c >> 18));
      out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (c & 0x3F));
    }
  }
  return out;
}

std::vector<std::u32string> Words(std::string_view text) {
  std::vector<std::u32string> words;
  std::u32string current;
  for (const char32_t c : DecodeUtf8(text)) {
    if (IsWordCharacter(c)) {
      current += Lowercase(c);
    } else if (!current.empty()) {
      words.push_back(std::move(current));
      current.clear();
    }
  }
  if (!current.empty()) words.push_back(std::move(current));
  return words;
}

// FNV-1a over the bytes, then a final avalanche (splitmix64's), so that the
// low bits used for the bucket and the top bit used for the sign are both
// well mixed. The kind tag keeps a word and an equal n-gram apart.
uint64_t FeatureHash(char kind, std::string_view feature) {
  uint64_t h = 0xcbf29ce484222325ULL;
  const auto mix = [&h](unsigned char byte) {
    h ^= byte;
    h *= 0x100000001b3ULL;
  };
  mix(static_cast<unsigned char>(kind));
  for (const char c : feature) mix(static_cast<unsigned char>(c));
  h ^= h >> 30;
  h *= 0xbf58476d1ce4e5b9ULL;
  h ^= h >> 27;
  h *= 0x94d049bb133111ebULL;
  h ^= h >> 31;
  return h;
}

// Feature counts, keyed by (kind, UTF-8 text).
class FeatureCounts {
 public:
  void Add(char kind, double weight, std::string feature) {
    Entry& e = counts_[std::string(1, kind) + feature];
    e.weight = weight;
    e.count += 1;
  }
  void AddInto(Vector& out) const {
    for (const auto& [key, entry] : counts_) {
      const uint64_t h = FeatureHash(key[0], std::string_view(key).substr(1));
      const double value = entry.weight * (1.0 + std::log(static_cast<double>(entry.count)));
      const size_t bucket = static_cast<size_t>(h % out.size());
      out[bucket] += static_cast<float>((h >> 63) != 0 ? -value : value);
    }
  }

 private:
  struct Entry {
    double weight = 0;
    uint64_t count = 0;
  };
  std::unordered_map<std::string, Entry> counts_;
};

}  // namespace

HashingEmbedder::HashingEmbedder(size_t dimension)
    : dimension_(dimension), model_id_("builtin-hashing-v1/" + std::to_string(dimension)) {}

Vector HashingEmbedder::EmbedOne(std::string_view text) const {
  const std::vector<std::u32string> words = Words(text);
  FeatureCounts counts;
  for (size_t i = 0; i < words.size(); ++i) {
    counts.Add('w', kWordWeight, EncodeUtf8(words[i]));
    if (i + 1 < words.size()) counts.Add('b', kBigramWeight, EncodeUtf8(words[i]) + " " + EncodeUtf8(words[i + 1]));
    const std::u32string padded = U"<" + words[i] + U">";
    for (size_t n = kMinCharGram; n <= kMaxCharGram && n <= padded.size(); ++n) {
      for (size_t start = 0; start + n <= padded.size(); ++start) {
        counts.Add('c', kCharGramWeight, EncodeUtf8(std::u32string_view(padded).substr(start, n)));
      }
    }
  }
  Vector out(dimension_, 0.0f);
  counts.AddInto(out);
  double norm = 0;
  for (const float v : out) norm += static_cast<double>(v) * v;
  if (norm > 0) {
    const double scale = 1.0 / std::sqrt(norm);
    for (float& v : out) v = static_cast<float>(v * scale);
  }
  return out;
}

Result<std::vector<Vector>> HashingEmbedder::Embed(const std::vector<std::string>& texts) const {
  std::vector<Vector> out;
  out.reserve(texts.size());
  for (size_t i = 0; i < texts.size(); ++i) {
    Vector v = EmbedOne(texts[i]);
    if (std::all_of(v.begin(), v.end(), [](float x) { return x == 0.0f; })) {
      return Rejected("text #" + std::to_string(i + 1) +
                      " has no letter or digit, so the built-in embedder cannot embed it; pass a vector instead");
    }
    out.push_back(std::move(v));
  }
  return out;
}

}  // namespace mcpgw::vector
