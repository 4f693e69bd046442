#include "schema/compiler.h"

#include "schema/json_access.h"
#include "schema/json_pointer.h"
#include "schema/uri.h"

#include <utility>

namespace mcpgw::schema::detail {

namespace {

using json = nlohmann::json;

bool IsEmpty(const Node& node) {
  return node.types == 0 && !node.enum_values && !node.const_value && !node.number && !node.string && !node.array &&
         !node.object && !node.in_place;
}

// The subschemas a node applies to the very value it is checking.
std::vector<NodeId> InPlaceSuccessors(const Node& node) {
  std::vector<NodeId> next;
  if (node.in_place) {
    const InPlaceApplicators& in = *node.in_place;
    for (const NodeId id : {in.ref, in.not_schema, in.if_schema, in.then_schema, in.else_schema}) next.push_back(id);
    for (const auto* list : {&in.all_of, &in.any_of, &in.one_of}) next.insert(next.end(), list->begin(), list->end());
  }
  if (node.object) {
    for (const auto& [name, id] : node.object->dependent_schemas) next.push_back(id);
  }
  std::erase(next, kNoNode);
  return next;
}

}  // namespace

Compiler::Compiler(const json& root, Dialect dialect, const CompileOptions& options, ResourceIndex index)
    : root_(root), dialect_(dialect), options_(options), index_(std::move(index)) {
  nodes_.resize(2);
  nodes_[kTrueNode].kind = Node::Kind::kAlwaysValid;
  nodes_[kFalseNode].kind = Node::Kind::kNeverValid;
  node_locations_ = {"true", "false"};
  compiled_ = {true, true};
}

std::variant<std::shared_ptr<const SchemaTree>, std::string> Compiler::Run() {
  NodeId root = root_.is_boolean() && !root_.get<bool>() ? kFalseNode : kTrueNode;
  if (root_.is_object()) {
    const auto place = index_.places.find(&root_);
    const std::string base = place == index_.places.end() ? std::string() : place->second.base;
    const std::optional<NodeId> id = Reserve(root_, "");
    if (!id || !CompileSchema(*id, root_, Scope{base, 0})) return error_;
    root = *id;
  }
  while (!pending_.empty()) {
    const PendingRef ref = std::move(pending_.back());
    pending_.pop_back();
    if (compiled_[ref.id]) continue;
    location_ = ref.location;
    if (!CompileSchema(ref.id, *ref.target, Scope{ref.base, ref.depth})) return error_;
  }
  if (!RejectInPlaceCycles()) return error_;
  auto tree = std::make_shared<SchemaTree>();
  tree->nodes = std::move(nodes_);
  tree->root = root;
  tree->limits = {options_.max_validation_depth, options_.max_pattern_input_bytes};
  return std::shared_ptr<const SchemaTree>(std::move(tree));
}

bool Compiler::CompileSchema(NodeId id, const json& schema, const Scope& scope) {
  if (dialect_ == Dialect::kDraft2020_12 && FindMember(schema, "$dynamicRef") != nullptr) {
    return Fail("unsupported keyword: $dynamicRef (at " + Where() + ")");
  }
  Node node;
  bool ok = true;
  if (dialect_ == Dialect::kDraft07 && FindMember(schema, "$ref") != nullptr) {
    ok = CompileInPlace(schema, scope, node);  // draft-07 ignores every keyword beside "$ref"
  } else {
    ok = CompileTypeAndValues(schema, node) && CompileNumberChecks(schema, node) && CompileStringChecks(schema, node) &&
         CompileArrayChecks(schema, scope, node) && CompileObjectChecks(schema, scope, node) &&
         CompileInPlace(schema, scope, node);
  }
  // Compiled even when nothing refers to them, so a broken definition is
  // reported now rather than when a later version starts using it.
  for (const std::string_view keyword : {"$defs", "definitions"}) {
    const json* defs = FindMember(schema, keyword);
    if (!ok || defs == nullptr || (dialect_ == Dialect::kDraft07 && keyword == "$defs")) continue;
    if (!defs->is_object()) return Invalid(keyword, "must be an object of schemas");
    for (const auto& [name, def] : Members(*defs)) {
      ok = ok && Subschema(def, scope, keyword, name).has_value();
    }
  }
  if (!ok) return false;
  if (IsEmpty(node)) node.kind = Node::Kind::kAlwaysValid;
  nodes_[id] = std::move(node);
  compiled_[id] = true;
  return true;
}

std::optional<NodeId> Compiler::Subschema(const json& value, const Scope& scope, std::string_view keyword,
                                          std::optional<std::string_view> token) {
  const std::size_t saved = location_.size();
  AppendPointerToken(location_, keyword);
  if (token) AppendPointerToken(location_, *token);
  std::optional<NodeId> id;
  if (value.is_boolean()) {
    id = value.get<bool>() ? kTrueNode : kFalseNode;
  } else if (!value.is_object()) {
    Fail("invalid schema at " + Where() + ": a schema must be an object or a boolean");
  } else if (scope.depth + 1 > options_.max_schema_depth) {
    Fail("schema nests deeper than " + std::to_string(options_.max_schema_depth) + " levels at " + Where());
  } else if (const auto known = ids_.find(&value); known != ids_.end()) {
    id = known->second;  // also reached by a "$ref" compiled earlier or still pending
  } else {
    id = Reserve(value, location_);
    auto effect = ReadId(scope.base, value, dialect_);
    if (auto* why = std::get_if<std::string>(&effect); id && why != nullptr) {
      Fail("invalid schema at " + Where() + ": " + *why);
      id.reset();
    }
    if (id && !CompileSchema(*id, value, Scope{std::get<IdEffect>(effect).base, scope.depth + 1})) id.reset();
  }
  location_.resize(saved);
  return id;
}

std::optional<std::vector<NodeId>> Compiler::SubschemaArray(const json& schema, const Scope& scope,
                                                            std::string_view keyword) {
  std::vector<NodeId> ids;
  const json* list = FindMember(schema, keyword);
  if (list == nullptr) return ids;
  if (!list->is_array() || list->empty()) {
    Invalid(keyword, "must be a non-empty array of schemas");
    return std::nullopt;
  }
  const auto& elements = Elements(*list);
  for (std::size_t i = 0; i < elements.size(); ++i) {
    const std::optional<NodeId> id = Subschema(elements[i], scope, keyword, std::to_string(i));
    if (!id) return std::nullopt;
    ids.push_back(*id);
  }
  return ids;
}

std::optional<NodeId> Compiler::Reserve(const json& schema, const std::string& location) {
  if (nodes_.size() - 2 >= options_.max_subschemas) {
    Fail("schema has more than " + std::to_string(options_.max_subschemas) + " subschemas");
    return std::nullopt;
  }
  const auto id = static_cast<NodeId>(nodes_.size());
  nodes_.emplace_back();
  node_locations_.push_back(location.empty() ? "the root" : "\"" + location + "\"");
  compiled_.push_back(false);
  ids_.emplace(&schema, id);
  return id;
}

std::optional<NodeId> Compiler::Reference(const json& ref, const Scope& scope) {
  if (!ref.is_string()) {
    Invalid("$ref", "must be a string");
    return std::nullopt;
  }
  const std::string& text = ref.get_ref<const std::string&>();
  const std::string resolved = ResolveUri(scope.base, text);
  const SplitUri split = SplitFragment(resolved);
  const auto resource = index_.resources.find(std::string(split.resource));
  if (resource == index_.resources.end()) {
    Fail(HasScheme(split.resource)
             ? "$ref \"" + text + "\" at " + Where() + " is not local: remote references are never fetched"
             : "$ref \"" + text + "\" at " + Where() + " does not resolve to a schema in this document");
    return std::nullopt;
  }
  // A fragment is empty (the resource itself), a JSON pointer, or an anchor.
  // A malformed %-escape becomes "%", which names no anchor.
  const std::string fragment = PercentDecode(split.fragment).value_or("%");
  const json* target = resource->second;
  if (fragment.starts_with('/')) {
    target = FollowPointer(*resource->second, fragment);
  } else if (!fragment.empty()) {
    const auto anchor = index_.anchors.find(resource->first + "#" + fragment);
    target = anchor == index_.anchors.end() ? nullptr : anchor->second;
  }
  if (target == nullptr) {
    Fail("$ref \"" + text + "\" at " + Where() + " does not resolve to a schema in this document");
    return std::nullopt;
  }
  if (target->is_boolean()) return target->get<bool>() ? kTrueNode : kFalseNode;
  if (!target->is_object()) {
    Fail("$ref \"" + text + "\" at " + Where() + " points to a value that is not a schema");
    return std::nullopt;
  }
  if (const auto known = ids_.find(target); known != ids_.end()) return known->second;
  const std::optional<NodeId> id = Reserve(*target, resolved);
  if (!id) return std::nullopt;
  PendingRef pending{*id, target, std::string(split.resource), 0, resolved};
  if (const auto place = index_.places.find(target); place != index_.places.end()) {
    pending.base = place->second.base;
    pending.depth = place->second.depth;
  } else if (auto effect = ReadId(split.resource, *target, dialect_); std::holds_alternative<IdEffect>(effect)) {
    pending.base = std::get<IdEffect>(effect).base;
  }
  pending_.push_back(std::move(pending));
  return id;
}

bool Compiler::CompileInPlace(const json& schema, const Scope& scope, Node& node) {
  auto in = std::make_unique<InPlaceApplicators>();
  if (const json* ref = FindMember(schema, "$ref")) {
    const std::optional<NodeId> id = Reference(*ref, scope);
    if (!id) return false;
    in->ref = *id;
    if (dialect_ == Dialect::kDraft07) {
      node.in_place = std::move(in);
      return true;
    }
  }
  for (auto [keyword, list] : {std::pair{"allOf", &in->all_of}, {"anyOf", &in->any_of}, {"oneOf", &in->one_of}}) {
    std::optional<std::vector<NodeId>> ids = SubschemaArray(schema, scope, keyword);
    if (!ids) return false;
    *list = std::move(*ids);
  }
  for (auto [keyword, slot] : {std::pair{"not", &in->not_schema}, {"if", &in->if_schema},
                               {"then", &in->then_schema}, {"else", &in->else_schema}}) {
    const json* it = FindMember(schema, keyword);
    if (it == nullptr) continue;
    const std::optional<NodeId> id = Subschema(*it, scope, keyword);
    if (!id) return false;
    *slot = *id;
  }
  if (in->if_schema == kNoNode) in->then_schema = in->else_schema = kNoNode;
  const bool any = in->ref != kNoNode || !in->all_of.empty() || !in->any_of.empty() || !in->one_of.empty() ||
                   in->not_schema != kNoNode || in->if_schema != kNoNode;
  if (any) node.in_place = std::move(in);
  return true;
}

// A subschema that reaches itself again through in-place applicators only
// ("$ref", "allOf", "if", ...) would check the same value forever. Such a
// schema means nothing, so it is refused here rather than at every request.
bool Compiler::RejectInPlaceCycles() {
  enum class Mark : std::uint8_t { kUnvisited, kOnPath, kDone };
  std::vector<Mark> marks(nodes_.size(), Mark::kUnvisited);
  struct Frame {
    NodeId id;
    std::vector<NodeId> next;
    std::size_t position = 0;
  };
  for (NodeId start = 0; start < nodes_.size(); ++start) {
    if (marks[start] != Mark::kUnvisited) continue;
    std::vector<Frame> path{{start, InPlaceSuccessors(nodes_[start])}};
    marks[start] = Mark::kOnPath;
    while (!path.empty()) {
      Frame& frame = path.back();
      if (frame.position == frame.next.size()) {
        marks[frame.id] = Mark::kDone;
        path.pop_back();
        continue;
      }
      const NodeId next = frame.next[frame.position++];
      if (marks[next] == Mark::kOnPath) {
        return Fail("invalid schema: the subschema at " + node_locations_[next] +
                    " applies itself to the same value again (through \"$ref\", \"allOf\" or the like), "
                    "so validation would never end");
      }
      if (marks[next] == Mark::kUnvisited) {
        marks[next] = Mark::kOnPath;
        path.push_back({next, InPlaceSuccessors(nodes_[next])});
      }
    }
  }
  return true;
}

bool Compiler::Invalid(std::string_view keyword, std::string_view why) {
  return Fail("invalid schema at " + Where() + ": \"" + std::string(keyword) + "\" " + std::string(why));
}

bool Compiler::Fail(std::string message) {
  if (error_.empty()) error_ = std::move(message);
  return false;
}

std::string Compiler::Where() const { return location_.empty() ? "the root" : "\"" + location_ + "\""; }

}  // namespace mcpgw::schema::detail
