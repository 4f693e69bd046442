#include "mcp/result_scan.h"

#include <nlohmann/json.hpp>

#include <string>

namespace mcpgw::mcp {
namespace {

using json = nlohmann::json;

// A SAX consumer that builds nothing: it tracks depth and the last
// top-level key, and records what the core needs to know.
class Scanner final : public nlohmann::json_sax<json> {
 public:
  explicit Scanner(ResultShape* out) : out_(out) {}

  bool null() override { return Value(); }
  bool boolean(bool v) override {
    if (depth_ == 1 && key_ == "isError") out_->is_error = v;
    return Value();
  }
  bool number_integer(number_integer_t) override { return Value(); }
  bool number_unsigned(number_unsigned_t) override { return Value(); }
  bool number_float(number_float_t, const string_t&) override { return Value(); }
  bool string(string_t&) override { return Value(); }
  bool binary(binary_t&) override { return Value(); }
  bool start_object(std::size_t) override {
    if (depth_ == 0) out_->object = true;
    ++depth_;
    return true;
  }
  bool key(string_t& k) override {
    if (depth_ == 1) {
      key_ = k;
      if (k == "_meta" || k == "resultType" || k == "ttlMs" || k == "cacheScope") out_->reserved_keys = true;
    }
    return true;
  }
  bool end_object() override {
    --depth_;
    return true;
  }
  bool start_array(std::size_t) override {
    if (depth_ == 0) return false;  // the result must be an object
    if (depth_ == 1 && key_ == "content") out_->content_array = true;
    ++depth_;
    return true;
  }
  bool end_array() override {
    --depth_;
    return true;
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override { return false; }

 private:
  bool Value() { return depth_ > 0; }  // a bare scalar is not a result
  ResultShape* out_;
  int depth_ = 0;
  std::string key_;
};

}  // namespace

ResultShape ScanResult(std::string_view text) {
  ResultShape shape;
  Scanner scanner(&shape);
  if (!json::sax_parse(text.begin(), text.end(), &scanner)) return ResultShape{};
  return shape;
}

}  // namespace mcpgw::mcp
