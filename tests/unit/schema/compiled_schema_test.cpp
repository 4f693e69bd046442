// CompiledSchema as a value: shared by copies, used from many threads.
#include "unit/schema/schema_test_support.h"

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

namespace mcpgw::schema::testing {
namespace {

const json kSchema = json::parse(R"({
  "type": "object",
  "properties": {
    "id": {"type": "string", "pattern": "^[a-z]+-[0-9]+$"},
    "tags": {"type": "array", "items": {"type": "string", "maxLength": 8}, "uniqueItems": true}
  },
  "required": ["id"],
  "additionalProperties": false
})");

TEST(CompiledSchemaValue, CopiesAndMovesShareOneCompiledSchema) {
  const CompiledSchema original = MustCompile(kSchema);
  const CompiledSchema copy = original;
  CompiledSchema assigned = MustCompile(json(false));
  assigned = copy;
  CompiledSchema moved = std::move(assigned);
  EXPECT_EQ(Check(copy, json{{"id", "ab-1"}}), "");
  EXPECT_EQ(Check(moved, json{{"id", "AB-1"}}), "/id: does not match pattern \"^[a-z]+-[0-9]+$\"");
  EXPECT_EQ(Check(original, json{{"id", "ab-1"}, {"x", 1}}), "/x: unexpected property \"x\"");
}

TEST(CompiledSchemaValue, OutlivesTheJsonItWasCompiledFrom) {
  std::optional<CompiledSchema> compiled;
  {
    const json temporary = kSchema;
    compiled = MustCompile(temporary);
  }
  EXPECT_EQ(Check(*compiled, json{{"id", "ab-1"}, {"tags", {"x", "x"}}}),
            "/tags: must not contain duplicates, but items 0 and 1 are equal");
}

TEST(CompiledSchemaValue, ValidatesFromManyThreadsAtOnce) {
  const CompiledSchema schema = MustCompile(kSchema);
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 500; ++i) {
        std::string id = i % 2 == 0 ? "ok-" : "NO-";
        id.append(std::to_string(t * 1000 + i));
        const bool valid = !schema.Validate(json{{"id", id}, {"tags", {"a", "b"}}}).has_value();
        if (valid != (i % 2 == 0)) ++wrong;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(wrong.load(), 0);
}

}  // namespace
}  // namespace mcpgw::schema::testing
