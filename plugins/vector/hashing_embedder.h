// The built-in embedder: feature hashing of what a text is made of.
//
// A text is lowercased (ASCII, Latin-1, Greek, Cyrillic) and split into
// words: runs of letters and digits, where every code point above U+007F
// that is not punctuation counts as a letter, so scripts without spaces
// (Chinese, Japanese) become long words. Its features are
//
//   - each word (weight 1.0),
//   - each pair of adjacent words (weight 0.7),
//   - each character 3-, 4- and 5-gram of "<word>" (weight 0.4),
//
// counted, damped sublinearly (1 + ln tf), and added into `dimension`
// buckets chosen by a 64-bit hash, with a sign taken from another bit of
// the hash so that collisions cancel out on average instead of piling up.
// The vector is then L2-normalised. Deterministic across runs and machines.
//
// Good for: lexical and fuzzy similarity (shared words, word order, typos
// and inflections through the character n-grams, identifiers, mixed-script
// tokens). Not good for: synonyms or meaning ("car" and "automobile" share
// nothing), which need a learned model: configure the remote embedder.
#pragma once

#include <string_view>

#include "embedder.h"

namespace mcpgw::vector {

inline constexpr size_t kDefaultHashingDimension = 384;

class HashingEmbedder : public Embedder {
 public:
  explicit HashingEmbedder(size_t dimension = kDefaultHashingDimension);

  size_t dimension() const override { return dimension_; }
  const std::string& model_id() const override { return model_id_; }
  // Rejects a text with no letter or digit: it has no features.
  Result<std::vector<Vector>> Embed(const std::vector<std::string>& texts) const override;

  // The vector of one text; all zeros when it has no features.
  Vector EmbedOne(std::string_view text) const;

 private:
  size_t dimension_;
  std::string model_id_;
};

}  // namespace mcpgw::vector
