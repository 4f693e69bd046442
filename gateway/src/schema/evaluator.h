// Checks one instance against a SchemaTree and stops at the first error.
//
// Built for the request path: a valid instance allocates nothing unless the
// schema uses "pattern" (std::regex allocates as it matches), "propertyNames",
// "unevaluated*", or "uniqueItems" on long or nested arrays. Messages are
// written only for the error returned: the branches of "anyOf", "oneOf",
// "not", "if" and "contains" run quietly, since their failures are not
// errors of the instance.
//
// Hitting a validation bound aborts the whole run with that error, even
// inside "not" or "anyOf": an unfinished check never counts as valid.
#pragma once

#include "schema/json_schema.h"
#include "schema/messages.h"
#include "schema/schema_tree.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace mcpgw::schema::detail {

// The members or elements of one instance that keywords have evaluated, as
// "unevaluatedProperties" and "unevaluatedItems" need to know.
struct Evaluated {
  bool all = false;
  std::vector<const nlohmann::json*> children;

  void Add(const nlohmann::json& child) { children.push_back(&child); }
  void Merge(Evaluated&& other);
  // Sorts `children` so that Covers can search it; call once, before Covers.
  void Seal();
  bool Covers(const nlohmann::json& child) const;
};

class Evaluator {
 public:
  explicit Evaluator(const SchemaTree& tree) : tree_(tree) {}

  std::optional<SchemaError> Run(const nlohmann::json& instance);

 private:
  // While one lives, failures write no message.
  class Quietly {
   public:
    explicit Quietly(Evaluator& evaluator) : evaluator_(evaluator) { ++evaluator_.quiet_; }
    ~Quietly() { --evaluator_.quiet_; }
    Quietly(const Quietly&) = delete;
    Quietly& operator=(const Quietly&) = delete;

   private:
    Evaluator& evaluator_;
  };

  // evaluator.cpp: the node walk and in-place applicators. `evaluated`, when
  // not null, receives the children this subschema evaluated (if valid).
  bool Valid(NodeId id, const nlohmann::json& instance, const InstancePath& path, Evaluated* evaluated);
  bool ValidNode(const Node& node, const nlohmann::json& instance, const InstancePath& path, Evaluated* evaluated);
  bool CheckInPlace(const InPlaceApplicators& in, const nlohmann::json& instance, const InstancePath& path,
                    Evaluated* evaluated);
  bool CheckAnyOf(const std::vector<NodeId>& any_of, const nlohmann::json& instance, const InstancePath& path,
                  Evaluated* evaluated);
  bool CheckOneOf(const std::vector<NodeId>& one_of, const nlohmann::json& instance, const InstancePath& path,
                  Evaluated* evaluated);
  bool CheckUnevaluated(NodeId id, const nlohmann::json& instance, const InstancePath& path, Evaluated& evaluated);

  // evaluate_assertions.cpp: keywords about the value itself and its children.
  bool CheckTypeAndValues(const Node& node, const nlohmann::json& instance, const InstancePath& path);
  bool CheckNumber(const NumberChecks& checks, const nlohmann::json& instance, const InstancePath& path);
  bool CheckString(const StringChecks& checks, const nlohmann::json& instance, const InstancePath& path);
  bool CheckArray(const ArrayChecks& checks, const nlohmann::json& instance, const InstancePath& path,
                  Evaluated* evaluated);
  bool CheckContains(const ArrayChecks& checks, const nlohmann::json& instance, const InstancePath& path,
                     Evaluated* evaluated);
  bool CheckObject(const ObjectChecks& checks, const nlohmann::json& instance, const InstancePath& path,
                   Evaluated* evaluated);
  // `declared` is the member's schema under "properties", or kNoNode.
  bool CheckMember(const ObjectChecks& checks, const std::string& name, const nlohmann::json& value, NodeId declared,
                   const InstancePath& path, Evaluated* evaluated);
  bool CheckPropertyName(NodeId id, const std::string& name, const InstancePath& path);
  // Whether `pattern` matches `text`, or an abort when `text` is too long.
  std::optional<bool> Matches(const Pattern& pattern, const std::string& text, const InstancePath& path);

  // Records the error (unless quiet) and returns false.
  template <typename MakeMessage>
  bool Fail(const InstancePath& path, MakeMessage&& make_message) {
    if (quiet_ == 0 && !error_) error_ = SchemaError{RenderPath(path), std::forward<MakeMessage>(make_message)()};
    return false;
  }
  // Records the error even when quiet, stops the run, and returns false.
  bool Abort(const InstancePath& path, std::string message);

  const SchemaTree& tree_;
  std::size_t depth_ = 0;
  int quiet_ = 0;
  bool aborted_ = false;
  std::optional<SchemaError> error_;
};

}  // namespace mcpgw::schema::detail
