// The compact JWS rules: structure, strict base64url, header policy, key
// choice by exact kid and pinned alg, and signatures of every algorithm.
#include "auth/jws.h"

#include "crypto/base64.h"
#include "unit/auth/test_signer.h"

#include <gtest/gtest.h>

#include <openssl/ec.h>

#include <array>

namespace mcpgw::auth {
namespace {

using testing::B64;
using testing::HeaderFor;
using testing::Mint;
using testing::MintRaw;
using testing::ReasonOf;
using testing::SharedKey;
using testing::SigningKey;
using testing::VerificationKey;
using json = nlohmann::json;

const json kPayload{{"sub", "alice"}, {"n", 1}};

KeySet KeysOf(std::initializer_list<const SigningKey*> keys) {
  std::vector<Key> out;
  for (const SigningKey* key : keys) out.push_back(VerificationKey(*key));
  return KeySet(std::move(out));
}

std::variant<VerifiedJws, Failure> Verify(std::string_view token, const KeySet& keys) {
  return VerifyJws(token, keys, JwsLimits{});
}

const SigningKey& Es256() { return SharedKey(Algorithm::kEs256); }
const KeySet& Es256Keys() {
  static const KeySet keys = KeysOf({&Es256()});
  return keys;
}

// The three segments of a token.
std::array<std::string, 3> Segments(const std::string& token) {
  const std::size_t first = token.find('.'), second = token.find('.', first + 1);
  return {token.substr(0, first), token.substr(first + 1, second - first - 1), token.substr(second + 1)};
}
std::string Join(const std::array<std::string, 3>& segments) {
  return segments[0] + "." + segments[1] + "." + segments[2];
}

class EveryAlgorithm : public ::testing::TestWithParam<Algorithm> {};

TEST_P(EveryAlgorithm, VerifiesAValidTokenAndReportsItsAlgorithm) {
  const SigningKey& key = SharedKey(GetParam());
  const auto result = Verify(Mint(key, kPayload), KeysOf({&key}));
  ASSERT_EQ(ReasonOf(result), std::nullopt) << std::get<Failure>(result).message;
  EXPECT_EQ(std::get<VerifiedJws>(result).payload, kPayload);
  EXPECT_EQ(std::get<VerifiedJws>(result).algorithm, GetParam());
}

TEST_P(EveryAlgorithm, RefusesASignatureMadeWithAnotherKeyOfTheSameKid) {
  const SigningKey& trusted = SharedKey(GetParam());
  const SigningKey impostor = testing::GenerateKey(GetParam(), trusted.kid);
  EXPECT_EQ(ReasonOf(Verify(Mint(impostor, kPayload), KeysOf({&trusted}))), FailureReason::kBadSignature);
}

TEST_P(EveryAlgorithm, RefusesAnAlteredPayloadUnderTheOriginalSignature) {
  const SigningKey& key = SharedKey(GetParam());
  auto segments = Segments(Mint(key, kPayload));
  segments[1] = B64(json{{"sub", "mallory"}, {"n", 1}}.dump());
  EXPECT_EQ(ReasonOf(Verify(Join(segments), KeysOf({&key}))), FailureReason::kBadSignature);
}

INSTANTIATE_TEST_SUITE_P(Jws, EveryAlgorithm,
                         ::testing::Values(Algorithm::kRs256, Algorithm::kRs384, Algorithm::kRs512, Algorithm::kPs256,
                                           Algorithm::kPs384, Algorithm::kPs512, Algorithm::kEs256, Algorithm::kEs384,
                                           Algorithm::kEdDsa, Algorithm::kHs256, Algorithm::kHs384, Algorithm::kHs512),
                         [](const auto& test) { return std::string(AlgorithmName(test.param)); });

TEST(Jws, RefusesAlgNoneWithOrWithoutASignature) {
  const std::string unsigned_part = B64(R"({"alg":"none","kid":"kid-ES256"})") + "." + B64(kPayload.dump());
  EXPECT_EQ(ReasonOf(Verify(unsigned_part + ".", Es256Keys())), FailureReason::kUnsupportedAlg);
  EXPECT_EQ(ReasonOf(Verify(unsigned_part + "." + B64("sig"), Es256Keys())), FailureReason::kUnsupportedAlg);
  EXPECT_EQ(ReasonOf(Verify(B64(R"({"alg":"None"})") + "." + B64("{}") + "." + B64("s"), Es256Keys())),
            FailureReason::kUnsupportedAlg);
}

TEST(Jws, RefusesAnHs256TokenWhoseSecretIsTheRsaPublicKeyPem) {
  const SigningKey& rsa = SharedKey(Algorithm::kRs256);
  SigningKey forged = testing::GenerateKey(Algorithm::kHs256, rsa.kid);
  forged.secret = testing::PublicPem(rsa);
  const KeySet keys = KeysOf({&rsa});
  EXPECT_EQ(ReasonOf(Verify(Mint(forged, kPayload), keys)), FailureReason::kAlgMismatch);
  // Without a kid no key is pinned to HS256 at all.
  EXPECT_EQ(ReasonOf(Verify(MintRaw(forged, R"({"alg":"HS256"})", kPayload.dump()), keys)),
            FailureReason::kUnsupportedAlg);
}

TEST(Jws, RefusesAPs256TokenForAKeyPinnedToRs256) {
  const SigningKey& rs = SharedKey(Algorithm::kRs256);
  SigningKey pss = rs;
  pss.algorithm = Algorithm::kPs256;
  EXPECT_EQ(ReasonOf(Verify(Mint(pss, kPayload), KeysOf({&rs}))), FailureReason::kAlgMismatch);
}

TEST(Jws, RefusesRsaPssWithAnotherSaltLengthOrMgf1Hash) {
  const SigningKey& key = SharedKey(Algorithm::kPs384);
  SigningKey short_salt = key;
  short_salt.pss_salt_length = 20;
  EXPECT_EQ(ReasonOf(Verify(Mint(short_salt, kPayload), KeysOf({&key}))), FailureReason::kBadSignature);
  SigningKey other_mgf1 = key;
  other_mgf1.pss_mgf1_digest = "SHA256";
  EXPECT_EQ(ReasonOf(Verify(Mint(other_mgf1, kPayload), KeysOf({&key}))), FailureReason::kBadSignature);
  SigningKey conforming = key;
  conforming.pss_salt_length = 48;
  EXPECT_EQ(ReasonOf(Verify(Mint(conforming, kPayload), KeysOf({&key}))), std::nullopt);
}

TEST(Jws, RefusesAnUnknownKid) {
  const SigningKey other = testing::GenerateKey(Algorithm::kEs256, "another-kid");
  EXPECT_EQ(ReasonOf(Verify(Mint(other, kPayload), Es256Keys())), FailureReason::kUnknownKid);
}

TEST(Jws, AnEmptyKidNamesNoKeyNotEvenOneWithoutKid) {
  SigningKey nameless = Es256();
  nameless.kid = "";
  const KeySet keys = KeysOf({&nameless});
  EXPECT_EQ(ReasonOf(Verify(Mint(nameless, kPayload), keys)), FailureReason::kUnknownKid);
  EXPECT_EQ(ReasonOf(Verify(MintRaw(nameless, R"({"alg":"ES256"})", kPayload.dump()), keys)), std::nullopt);
}

TEST(Jws, MatchesKidsExactlyWithoutCaseFolding) {
  SigningKey renamed = Es256();
  renamed.kid = "KID-ES256";
  EXPECT_EQ(ReasonOf(Verify(Mint(renamed, kPayload), Es256Keys())), FailureReason::kUnknownKid);
}

TEST(Jws, TreatsAKidLookingLikeAPathUrlOrSqlAsJustUnknown) {
  const std::vector<std::string> kids = {"../../../../etc/passwd", "/dev/null", "' OR '1'='1' --",
                                        "https://evil.example/jwks.json", std::string("kid-ES256\0", 10),
                                        "kid-ES256/../kid-ES256", "kid-ES256 "};
  for (const std::string& kid : kids) {
    SigningKey hostile = Es256();
    hostile.kid = kid;
    EXPECT_EQ(ReasonOf(Verify(Mint(hostile, kPayload), Es256Keys())), FailureReason::kUnknownKid) << kid;
  }
}

TEST(Jws, RefusesHeadersThatCarryOrLocateKeysEvenWhenValidlySigned) {
  for (const char* name : {"jku", "x5u", "jwk", "x5c"}) {
    json header = HeaderFor(Es256());
    header[name] = name == std::string("x5c") ? json::array({"MIIB"}) : json("https://evil.example/k");
    EXPECT_EQ(ReasonOf(Verify(MintRaw(Es256(), header.dump(), kPayload.dump()), Es256Keys())),
              FailureReason::kKeyHeaderRefused)
        << name;
  }
}

TEST(Jws, RefusesCritWeDoNotUnderstandAndMalformedCrit) {
  json header = HeaderFor(Es256());
  header["crit"] = {"exp"};
  header["exp"] = 1;
  EXPECT_EQ(ReasonOf(Verify(MintRaw(Es256(), header.dump(), kPayload.dump()), Es256Keys())),
            FailureReason::kCritUnsupported);
  for (const json& crit : {json::array(), json("exp"), json::array({1}), json(nullptr)}) {
    header["crit"] = crit;
    EXPECT_EQ(ReasonOf(Verify(MintRaw(Es256(), header.dump(), kPayload.dump()), Es256Keys())),
              FailureReason::kMalformed)
        << crit.dump();
  }
}

TEST(Jws, RefusesUnencodedPayloads) {
  json header = HeaderFor(Es256());
  header["b64"] = false;
  EXPECT_EQ(ReasonOf(Verify(MintRaw(Es256(), header.dump(), kPayload.dump()), Es256Keys())),
            FailureReason::kUnsupportedHeader);
  header["b64"] = "false";
  EXPECT_EQ(ReasonOf(Verify(MintRaw(Es256(), header.dump(), kPayload.dump()), Es256Keys())), FailureReason::kMalformed);
}

TEST(Jws, RefusesAnythingButThreeSegments) {
  const auto s = Segments(Mint(Es256(), kPayload));
  for (const std::string& token : {s[0] + "." + s[1], s[0] + "." + s[1] + "." + s[2] + "." + s[2],
                                   s[0] + "." + s[1] + "." + s[2] + ".", std::string(""), std::string("..")}) {
    EXPECT_EQ(ReasonOf(Verify(token, Es256Keys())), FailureReason::kMalformed) << token;
  }
}

TEST(Jws, RefusesAnEmptySignature) {
  const auto s = Segments(Mint(Es256(), kPayload));
  EXPECT_EQ(ReasonOf(Verify(s[0] + "." + s[1] + ".", Es256Keys())), FailureReason::kMalformed);
}

TEST(Jws, RefusesBase64urlThatIsNotStrict) {
  const std::string token = Mint(Es256(), kPayload);
  ASSERT_EQ(ReasonOf(Verify(token, Es256Keys())), std::nullopt);
  for (int segment = 0; segment < 3; ++segment) {
    for (const char* change : {"=", "==", " ", "\n", "+", "/", "%3D"}) {
      auto s = Segments(token);
      s[segment] += change;
      EXPECT_EQ(ReasonOf(Verify(Join(s), Es256Keys())), FailureReason::kMalformed) << segment << " " << change;
    }
    auto s = Segments(token);
    s[segment][0] = s[segment][0] == '-' ? '+' : (s[segment][0] == '_' ? '/' : '*');
    EXPECT_EQ(ReasonOf(Verify(Join(s), Es256Keys())), FailureReason::kMalformed) << segment;
  }
  // Standard base64 letters instead of the URL-safe ones.
  auto s = Segments(token);
  s[2][5] = '+';
  EXPECT_EQ(ReasonOf(Verify(Join(s), Es256Keys())), FailureReason::kMalformed);
  s[2][5] = '/';
  EXPECT_EQ(ReasonOf(Verify(Join(s), Es256Keys())), FailureReason::kMalformed);
}

TEST(Jws, RefusesNonCanonicalTrailingBits) {
  // A 64-byte ES256 signature is 86 characters: the last one carries 2 bits
  // and 4 unused bits that must be zero.
  auto s = Segments(Mint(Es256(), kPayload));
  ASSERT_EQ(s[2].size(), 86u);
  const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  const std::size_t value = alphabet.find(s[2].back());
  ASSERT_EQ(value & 15, 0u);
  s[2].back() = alphabet[value | 1];
  EXPECT_EQ(ReasonOf(Verify(Join(s), Es256Keys())), FailureReason::kMalformed);
}

TEST(Jws, RefusesATokenOverTheSizeLimitBeforeDecodingIt) {
  const std::string huge(8193, 'A');
  EXPECT_EQ(ReasonOf(Verify(huge, Es256Keys())), FailureReason::kTooLarge);
  const std::string token = Mint(Es256(), kPayload);
  EXPECT_EQ(ReasonOf(VerifyJws(token, Es256Keys(), JwsLimits{token.size() - 1})), FailureReason::kTooLarge);
  EXPECT_EQ(ReasonOf(VerifyJws(token, Es256Keys(), JwsLimits{token.size()})), std::nullopt);
}

TEST(Jws, RefusesRepeatedNamesInTheHeader) {
  const std::string header = R"({"alg":"ES256","kid":"kid-ES256","alg":"ES256"})";
  EXPECT_EQ(ReasonOf(Verify(MintRaw(Es256(), header, kPayload.dump()), Es256Keys())), FailureReason::kMalformed);
}

TEST(Jws, RefusesRepeatedNamesInThePayloadAtAnyDepth) {
  const std::string header = HeaderFor(Es256()).dump();
  for (const char* payload : {R"({"sub":"alice","sub":"admin"})", R"({"sub":"alice","x":{"a":1,"a":2}})",
                              R"({"sub":"alice","x":[{"a":1},{"b":1,"b":2}]})"}) {
    EXPECT_EQ(ReasonOf(Verify(MintRaw(Es256(), header, payload), Es256Keys())), FailureReason::kMalformed) << payload;
  }
  // Equal names in sibling objects are not repeats.
  EXPECT_EQ(ReasonOf(Verify(MintRaw(Es256(), header, R"({"x":{"a":1},"y":{"a":1}})"), Es256Keys())), std::nullopt);
}

TEST(Jws, RefusesAHeaderOrPayloadThatIsNotAJsonObject) {
  const std::string header = HeaderFor(Es256()).dump();
  for (const char* payload : {"[]", "\"sub\"", "{", "{\"sub\":\"\xff\"}"}) {
    EXPECT_EQ(ReasonOf(Verify(MintRaw(Es256(), header, payload), Es256Keys())), FailureReason::kMalformed) << payload;
  }
  EXPECT_EQ(ReasonOf(Verify(MintRaw(Es256(), "[\"ES256\"]", kPayload.dump()), Es256Keys())), FailureReason::kMalformed);
  EXPECT_EQ(ReasonOf(Verify(MintRaw(Es256(), R"({"kid":"kid-ES256"})", kPayload.dump()), Es256Keys())),
            FailureReason::kMalformed);
  EXPECT_EQ(ReasonOf(Verify(MintRaw(Es256(), R"({"alg":["ES256"]})", kPayload.dump()), Es256Keys())),
            FailureReason::kMalformed);
}

TEST(Jws, RefusesEcdsaSignaturesOfTheWrongLength) {
  const auto s = Segments(Mint(Es256(), kPayload));
  const std::string raw = *crypto::Base64UrlDecode(s[2]);
  for (const std::string& signature : {raw.substr(0, 63), raw + '\0', std::string(1, '\0') + raw, raw + raw}) {
    EXPECT_EQ(ReasonOf(Verify(s[0] + "." + s[1] + "." + B64(signature), Es256Keys())), FailureReason::kBadSignature)
        << signature.size();
  }
}

TEST(Jws, RefusesADerEncodedEcdsaSignature) {
  const auto s = Segments(Mint(Es256(), kPayload));
  const std::string raw = *crypto::Base64UrlDecode(s[2]);
  // Re-encode r||s as DER, the form some libraries emit by mistake.
  ECDSA_SIG* sig = ECDSA_SIG_new();
  ECDSA_SIG_set0(sig, BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.data()), 32, nullptr),
                 BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.data()) + 32, 32, nullptr));
  unsigned char* der = nullptr;
  const int length = i2d_ECDSA_SIG(sig, &der);
  const std::string der_signature(reinterpret_cast<const char*>(der), std::size_t(length));
  OPENSSL_free(der);
  ECDSA_SIG_free(sig);
  EXPECT_EQ(ReasonOf(Verify(s[0] + "." + s[1] + "." + B64(der_signature), Es256Keys())), FailureReason::kBadSignature);
}

TEST(Jws, WithoutKidTriesOnlyTheKeysOfTheTokensAlgorithm) {
  const SigningKey second = testing::GenerateKey(Algorithm::kEs256, "second");
  const SigningKey& ed = SharedKey(Algorithm::kEdDsa);
  const KeySet keys = KeysOf({&Es256(), &second, &ed});
  EXPECT_EQ(ReasonOf(Verify(MintRaw(second, R"({"alg":"ES256"})", kPayload.dump()), keys)), std::nullopt);
  EXPECT_EQ(ReasonOf(Verify(MintRaw(ed, R"({"alg":"EdDSA"})", kPayload.dump()), keys)), std::nullopt);
  EXPECT_EQ(ReasonOf(Verify(MintRaw(SharedKey(Algorithm::kEs384), R"({"alg":"ES384"})", kPayload.dump()), keys)),
            FailureReason::kUnsupportedAlg);
}

TEST(Jws, WithoutKidRefusesWhenTooManyKeysShareTheAlgorithm) {
  std::vector<SigningKey> signers;
  std::vector<Key> keys;
  for (std::size_t i = 0; i <= kMaxKeysTriedWithoutKid; ++i) {
    signers.push_back(testing::GenerateKey(Algorithm::kEdDsa, "k" + std::to_string(i)));
    keys.push_back(VerificationKey(signers.back()));
  }
  const KeySet set(std::move(keys));
  EXPECT_EQ(ReasonOf(Verify(MintRaw(signers[0], R"({"alg":"EdDSA"})", kPayload.dump()), set)),
            FailureReason::kUnknownKid);
  EXPECT_EQ(ReasonOf(Verify(Mint(signers[0], kPayload), set)), std::nullopt);
}

TEST(Jws, FailureMessagesNeverEchoTheTokenOrItsKid) {
  const std::string kid = "kid-with-a-very-recognisable-marker-4711";
  SigningKey stranger = testing::GenerateKey(Algorithm::kEs256, kid);
  json header = HeaderFor(stranger);
  header["jku"] = "https://marker-4711.example";
  const std::vector<std::string> tokens = {
      Mint(stranger, json{{"sub", "marker-4711"}}),
      MintRaw(stranger, header.dump(), "{}"),
      MintRaw(Es256(), HeaderFor(Es256()).dump(), R"({"sub":"marker-4711","sub":"x"})"),
      Mint(Es256(), json{{"sub", "marker-4711"}}) + "x",
      std::string(9000, 'm'),
  };
  for (const std::string& token : tokens) {
    const auto result = Verify(token, Es256Keys());
    ASSERT_NE(ReasonOf(result), std::nullopt);
    const std::string& message = std::get<Failure>(result).message;
    EXPECT_EQ(message.find("4711"), std::string::npos) << message;
    for (const std::string& segment : Segments(token)) {
      if (segment.size() >= 8) {
        EXPECT_EQ(message.find(segment.substr(0, 8)), std::string::npos) << message;
      }
    }
  }
}

}  // namespace
}  // namespace mcpgw::auth
