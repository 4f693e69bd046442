// The plugin's config block: defaults, limits, and a clear refusal of
// anything it does not understand.
#include "memory_config.h"

#include <gtest/gtest.h>

namespace mcpgw::memory {
namespace {

using nlohmann::json;

std::string ErrorFor(const json& config) {
  auto parsed = ParseMemoryConfig(config);
  return parsed ? std::string() : parsed.error().message;
}

TEST(MemoryConfig, EmptyConfigMeansTheDefaults) {
  auto parsed = ParseMemoryConfig(json::object());
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->compact_after_bytes, 1048576u);
  EXPECT_EQ(parsed->limits.max_entities, 100000u);
  EXPECT_EQ(parsed->limits.max_observation_bytes, 65536u);
}

TEST(MemoryConfig, EveryKeyIsApplied) {
  auto parsed = ParseMemoryConfig(
      json{{"compact_after_bytes", 4096}, {"max_entities_per_tenant", 5}, {"max_observation_bytes", 7}});
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(parsed->compact_after_bytes, 4096u);
  EXPECT_EQ(parsed->limits.max_entities, 5u);
  EXPECT_EQ(parsed->limits.max_observation_bytes, 7u);
}

TEST(MemoryConfig, UnknownKeyIsRefusedByName) {
  const std::string error = ErrorFor(json{{"compact_after_byte", 8192}});
  EXPECT_NE(error.find("unknown key \"compact_after_byte\""), std::string::npos) << error;
  EXPECT_NE(error.find("compact_after_bytes"), std::string::npos) << error;
}

TEST(MemoryConfig, ValuesOfTheWrongTypeAreRefusedByName) {
  for (const json& bad : {json("4096"), json(4096.0), json(true), json(-5), json::array(), json(nullptr)}) {
    const std::string error = ErrorFor(json{{"max_observation_bytes", bad}});
    EXPECT_NE(error.find("max_observation_bytes must be an integer >= 1"), std::string::npos)
        << bad.dump() << ": " << error;
  }
}

TEST(MemoryConfig, CompactionThresholdBelow4096IsRefused) {
  EXPECT_NE(ErrorFor(json{{"compact_after_bytes", 4095}}).find("compact_after_bytes must be an integer >= 4096"),
            std::string::npos);
  EXPECT_NE(ErrorFor(json{{"max_entities_per_tenant", 0}}).find(">= 1"), std::string::npos);
}

TEST(MemoryConfig, ConfigThatIsNotAnObjectIsRefused) {
  EXPECT_NE(ErrorFor(json::array({1})).find("expected an object"), std::string::npos);
}

}  // namespace
}  // namespace mcpgw::memory
