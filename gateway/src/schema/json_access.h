// Reading JSON values through plain pointers and the underlying containers.
//
// Why not nlohmann's own find() and iterators: once inlined, they let GCC's
// -Wnull-dereference imagine a null object pointer that cannot occur, which
// breaks -Werror builds. std::map and std::vector do not have that problem.
#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string_view>
#include <utility>
#include <vector>

namespace mcpgw::schema::detail {

// The members of an object, in name order. `value` must be an object.
inline const nlohmann::json::object_t& Members(const nlohmann::json& value) {
  return value.get_ref<const nlohmann::json::object_t&>();
}

// The elements of an array. `value` must be an array.
inline const nlohmann::json::array_t& Elements(const nlohmann::json& value) {
  return value.get_ref<const nlohmann::json::array_t&>();
}

// The member named `key`, or nullptr when `value` is no object or lacks it.
inline const nlohmann::json* FindMember(const nlohmann::json& value, std::string_view key) {
  if (!value.is_object()) return nullptr;
  const auto& members = Members(value);
  const auto it = members.find(key);
  return it == members.end() ? nullptr : &it->second;
}

// Whether `value` has containers nested more than `limit` deep ([] is 0
// deep, [[]] is 1). Iterative: measuring a hostile value cannot overflow
// the stack, unlike nlohmann's recursive ==, < and dump on it.
inline bool NestsDeeperThan(const nlohmann::json& value, std::size_t limit) {
  std::vector<std::pair<const nlohmann::json*, std::size_t>> stack{{&value, 0}};
  while (!stack.empty()) {
    const auto [current, depth] = stack.back();
    stack.pop_back();
    if (depth > limit) return true;
    if (current->is_object()) {
      for (const auto& [name, child] : Members(*current)) stack.emplace_back(&child, depth + 1);
    } else if (current->is_array()) {
      for (const nlohmann::json& child : Elements(*current)) stack.emplace_back(&child, depth + 1);
    }
  }
  return false;
}

}  // namespace mcpgw::schema::detail
