#include "schema/evaluator.h"

#include "schema/json_access.h"

#include <algorithm>
#include <functional>

namespace mcpgw::schema::detail {

namespace {

using json = nlohmann::json;

}  // namespace

void Evaluated::Merge(Evaluated&& other) {
  all = all || other.all;
  if (!all) children.insert(children.end(), other.children.begin(), other.children.end());
}

void Evaluated::Seal() { std::sort(children.begin(), children.end(), std::less<>()); }

bool Evaluated::Covers(const json& child) const {
  return all || std::binary_search(children.begin(), children.end(), &child, std::less<>());
}

std::optional<SchemaError> Evaluator::Run(const json& instance) {
  const InstancePath root;
  if (Valid(tree_.root, instance, root, nullptr)) return std::nullopt;
  if (!error_) error_ = SchemaError{"", "does not match the schema"};
  return std::move(error_);
}

bool Evaluator::Abort(const InstancePath& path, std::string message) {
  if (!aborted_) error_ = SchemaError{RenderPath(path), std::move(message)};
  aborted_ = true;
  return false;
}

bool Evaluator::Valid(NodeId id, const json& instance, const InstancePath& path, Evaluated* evaluated) {
  const Node& node = tree_.nodes[id];
  if (node.kind == Node::Kind::kAlwaysValid) return true;
  if (node.kind == Node::Kind::kNeverValid) return Fail(path, [] { return "is not allowed here (the schema is false)"; });
  if (depth_ >= tree_.limits.max_depth) {
    return Abort(path, "validation goes deeper than " + std::to_string(tree_.limits.max_depth) +
                           " nested schemas (is the value nested too deeply for a recursive schema?)");
  }
  ++depth_;
  const bool valid = ValidNode(node, instance, path, evaluated);
  --depth_;
  return valid;
}

bool Evaluator::ValidNode(const Node& node, const json& instance, const InstancePath& path, Evaluated* evaluated) {
  if (!CheckTypeAndValues(node, instance, path)) return false;
  // "unevaluated*" needs to know what every other keyword here evaluated.
  NodeId unevaluated = kNoNode;
  if (instance.is_object() && node.object) unevaluated = node.object->unevaluated_properties;
  if (instance.is_array() && node.array) unevaluated = node.array->unevaluated_items;
  Evaluated local;
  Evaluated* collect = unevaluated != kNoNode ? &local : evaluated;
  switch (instance.type()) {
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float:
      if (node.number && !CheckNumber(*node.number, instance, path)) return false;
      break;
    case json::value_t::string:
      if (node.string && !CheckString(*node.string, instance, path)) return false;
      break;
    case json::value_t::array:
      if (node.array && !CheckArray(*node.array, instance, path, collect)) return false;
      break;
    case json::value_t::object:
      if (node.object && !CheckObject(*node.object, instance, path, collect)) return false;
      break;
    default:
      break;
  }
  if (node.in_place && !CheckInPlace(*node.in_place, instance, path, collect)) return false;
  if (unevaluated == kNoNode) return true;
  if (!CheckUnevaluated(unevaluated, instance, path, local)) return false;
  if (evaluated != nullptr) evaluated->all = true;
  return true;
}

bool Evaluator::CheckInPlace(const InPlaceApplicators& in, const json& instance, const InstancePath& path,
                             Evaluated* evaluated) {
  if (in.ref != kNoNode && !Valid(in.ref, instance, path, evaluated)) return false;
  for (const NodeId id : in.all_of) {
    if (!Valid(id, instance, path, evaluated)) return false;
  }
  if (!in.any_of.empty() && !CheckAnyOf(in.any_of, instance, path, evaluated)) return false;
  if (!in.one_of.empty() && !CheckOneOf(in.one_of, instance, path, evaluated)) return false;
  if (in.not_schema != kNoNode) {
    bool matched = false;
    {
      Quietly quietly(*this);
      matched = Valid(in.not_schema, instance, path, nullptr);
    }
    if (aborted_) return false;
    if (matched) return Fail(path, [] { return "must not match the schema in \"not\""; });
  }
  if (in.if_schema != kNoNode) {
    Evaluated condition;
    bool holds = false;
    {
      Quietly quietly(*this);
      holds = Valid(in.if_schema, instance, path, evaluated != nullptr ? &condition : nullptr);
    }
    if (aborted_) return false;
    if (holds && evaluated != nullptr) evaluated->Merge(std::move(condition));
    const NodeId branch = holds ? in.then_schema : in.else_schema;
    if (branch != kNoNode && !Valid(branch, instance, path, evaluated)) return false;
  }
  return true;
}

// Without annotations to collect, the first matching branch settles it;
// with them, every branch that matches contributes.
bool Evaluator::CheckAnyOf(const std::vector<NodeId>& any_of, const json& instance, const InstancePath& path,
                           Evaluated* evaluated) {
  bool matched = false;
  for (const NodeId id : any_of) {
    Evaluated branch;
    bool valid = false;
    {
      Quietly quietly(*this);
      valid = Valid(id, instance, path, evaluated != nullptr ? &branch : nullptr);
    }
    if (aborted_) return false;
    if (!valid) continue;
    matched = true;
    if (evaluated == nullptr) break;
    evaluated->Merge(std::move(branch));
  }
  if (matched) return true;
  return Fail(path, [&] {
    return "must match at least one of the " + std::to_string(any_of.size()) + " schemas in \"anyOf\", matched none";
  });
}

bool Evaluator::CheckOneOf(const std::vector<NodeId>& one_of, const json& instance, const InstancePath& path,
                           Evaluated* evaluated) {
  std::size_t first = one_of.size();
  std::size_t second = one_of.size();
  Evaluated chosen;
  for (std::size_t i = 0; i < one_of.size() && second == one_of.size(); ++i) {
    Evaluated branch;
    bool valid = false;
    {
      Quietly quietly(*this);
      valid = Valid(one_of[i], instance, path, evaluated != nullptr ? &branch : nullptr);
    }
    if (aborted_) return false;
    if (!valid) continue;
    if (first == one_of.size()) {
      first = i;
      chosen = std::move(branch);
    } else {
      second = i;
    }
  }
  if (first == one_of.size()) {
    return Fail(path, [&] {
      return "must match exactly one of the " + std::to_string(one_of.size()) + " schemas in \"oneOf\", matched none";
    });
  }
  if (second != one_of.size()) {
    return Fail(path, [&] {
      return "must match exactly one schema in \"oneOf\", but matched both schema " + std::to_string(first) +
             " and schema " + std::to_string(second);
    });
  }
  if (evaluated != nullptr) evaluated->Merge(std::move(chosen));
  return true;
}

bool Evaluator::CheckUnevaluated(NodeId id, const json& instance, const InstancePath& path, Evaluated& evaluated) {
  if (evaluated.all) return true;
  evaluated.Seal();
  if (instance.is_object()) {
    for (const auto& [name, value] : Members(instance)) {
      if (evaluated.Covers(value)) continue;
      const InstancePath member{&path, &name, 0};
      if (id == kFalseNode) return Fail(member, [&] { return "unexpected property \"" + name + "\""; });
      if (!Valid(id, value, member, nullptr)) return false;
    }
    return true;
  }
  const auto& elements = Elements(instance);
  for (std::size_t i = 0; i < elements.size(); ++i) {
    if (evaluated.Covers(elements[i])) continue;
    const InstancePath element{&path, nullptr, i};
    if (id == kFalseNode) return Fail(element, [] { return "unexpected item (not allowed by \"unevaluatedItems\")"; });
    if (!Valid(id, elements[i], element, nullptr)) return false;
  }
  return true;
}

}  // namespace mcpgw::schema::detail
