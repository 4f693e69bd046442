// The official JSON Schema Test Suite, draft-07 (from Debian's
// json-schema-test-suite package): every case of every file must come out
// valid or invalid as the suite says, unless excluded below on purpose.
//
// The suite's schemas carry no "$schema", so each is compiled with draft-07
// as the default dialect.
#include "unit/schema/schema_test_support.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

namespace mcpgw::schema::testing {
namespace {

namespace fs = std::filesystem;

const fs::path kSuiteDir = MCPGW_JSON_SCHEMA_TEST_SUITE_DIR;

// What the gateway deliberately does not do. An empty group excludes the
// whole file. Every entry must still match something in the suite.
struct Exclusion {
  std::string_view file;
  std::string_view group;
  std::string_view reason;
};
constexpr Exclusion kExclusions[] = {
    {"refRemote.json", "", "needs schemas fetched from localhost:1234; remote $refs are refused by design"},
    {"definitions.json", "", "validates against the draft-07 meta-schema, reached only by a remote $ref"},
    {"ref.json", "remote ref, containing refs itself", "a remote $ref to the draft-07 meta-schema"},
    {"optional/content.json", "", "contentMediaType and contentEncoding are annotations here, never checked"},
    {"optional/ecmascript-regex.json", "", "tests \"format\": \"regex\"; format is an annotation here"},
};
// Everything in optional/format/ checks "format", an annotation here; the
// directory is not read at all.

const Exclusion* FindExclusion(std::string_view file, std::string_view group) {
  for (const Exclusion& exclusion : kExclusions) {
    if (exclusion.file == file && (exclusion.group.empty() || exclusion.group == group)) return &exclusion;
  }
  return nullptr;
}

// "additionalItems.json", ..., "optional/bignum.json", ... in name order.
std::vector<std::string> SuiteFiles() {
  std::vector<std::string> files;
  std::error_code error;
  for (const fs::path& dir : {kSuiteDir, kSuiteDir / "optional"}) {
    for (const auto& entry : fs::directory_iterator(dir, error)) {
      if (entry.path().extension() == ".json") files.push_back(fs::relative(entry.path(), kSuiteDir).string());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

json ReadJson(const fs::path& path) {
  std::ifstream in(path);
  return json::parse(in);
}

struct Tally {
  int run = 0;
  int passed = 0;
  int excluded = 0;
};

// Runs one file. With `report`, every wrong outcome is a test failure
// naming the group and the case.
Tally RunFile(const std::string& file, bool report) {
  Tally tally;
  for (const json& group : ReadJson(kSuiteDir / file)) {
    const std::string description = group.at("description");
    const json& cases = group.at("tests");
    if (FindExclusion(file, description) != nullptr) {
      tally.excluded += static_cast<int>(cases.size());
      continue;
    }
    auto compiled = CompiledSchema::Compile(group.at("schema"), Draft07());
    for (const json& test : cases) {
      ++tally.run;
      const bool expected = test.at("valid");
      if (auto* error = std::get_if<std::string>(&compiled)) {
        if (report) ADD_FAILURE() << file << " | " << description << ": does not compile: " << *error;
        continue;
      }
      const std::optional<SchemaError> error = std::get<CompiledSchema>(compiled).Validate(test.at("data"));
      if (error.has_value() != expected) {
        ++tally.passed;
      } else if (report) {
        ADD_FAILURE() << file << " | " << description << " | " << test.at("description").get<std::string>()
                      << ": expected " << (expected ? "valid" : "invalid") << ", got "
                      << (error ? "invalid (" + Describe(*error) + ")" : "valid") << "\n  schema: "
                      << group.at("schema").dump() << "\n  data: " << test.at("data").dump();
      }
    }
  }
  return tally;
}

class Draft07SuiteFile : public ::testing::TestWithParam<std::string> {};

TEST_P(Draft07SuiteFile, EveryCaseHasTheValidityTheSuiteExpects) {
  const Tally tally = RunFile(GetParam(), /*report=*/true);
  RecordProperty("cases_run", tally.run);
  RecordProperty("cases_excluded", tally.excluded);
  EXPECT_EQ(tally.passed, tally.run);
}

std::string TestNameFor(const ::testing::TestParamInfo<std::string>& info) {
  std::string name = info.param.substr(0, info.param.size() - std::string_view(".json").size());
  std::replace_if(name.begin(), name.end(), [](char c) { return !std::isalnum(static_cast<unsigned char>(c)); }, '_');
  return name;
}

INSTANTIATE_TEST_SUITE_P(Draft07, Draft07SuiteFile, ::testing::ValuesIn(SuiteFiles()), TestNameFor);

TEST(Draft07Suite, RunsAndPassesEveryCaseThatIsNotDeliberatelyExcluded) {
  const std::vector<std::string> files = SuiteFiles();
  ASSERT_GE(files.size(), 30u) << "the JSON Schema Test Suite is not at " << kSuiteDir
                               << " (apt-get install json-schema-test-suite)";
  Tally total;
  for (const std::string& file : files) {
    const Tally tally = RunFile(file, /*report=*/false);
    total.run += tally.run;
    total.passed += tally.passed;
    total.excluded += tally.excluded;
  }
  std::cout << "draft-07 suite: " << total.run << " cases run, " << total.passed << " passed, " << total.excluded
            << " excluded, in " << files.size() << " files\n";
  RecordProperty("cases_run", total.run);
  RecordProperty("cases_passed", total.passed);
  RecordProperty("cases_excluded", total.excluded);
  EXPECT_EQ(total.passed, total.run);
  EXPECT_GE(total.run, 400);
}

TEST(Draft07Suite, EveryExclusionStillMatchesSomethingInTheSuite) {
  for (const Exclusion& exclusion : kExclusions) {
    const fs::path path = kSuiteDir / exclusion.file;
    ASSERT_TRUE(fs::exists(path)) << exclusion.file << " is no longer in the suite";
    if (exclusion.group.empty()) continue;
    const json groups = ReadJson(path);
    const bool found = std::any_of(groups.begin(), groups.end(),
                                   [&](const json& group) { return group.at("description") == exclusion.group; });
    EXPECT_TRUE(found) << exclusion.file << " has no group \"" << exclusion.group << "\"";
  }
}

}  // namespace
}  // namespace mcpgw::schema::testing
