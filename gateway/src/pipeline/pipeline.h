// The ordered list of stages every request passes before dispatch.
#pragma once

#include "pipeline/stage.h"

#include <memory>
#include <vector>

namespace mcpgw::pipeline {

class Pipeline {
 public:
  void Append(std::unique_ptr<Stage> stage) { stages_.push_back(std::move(stage)); }

  // Runs the stages in order; the first denial ends the run.
  std::optional<Denial> Run(const Request& request) const {
    for (const auto& stage : stages_) {
      if (auto denial = stage->Check(request)) return denial;
    }
    return std::nullopt;
  }

  std::vector<std::string_view> StageNames() const {
    std::vector<std::string_view> names;
    for (const auto& s : stages_) names.push_back(s->name());
    return names;
  }

 private:
  std::vector<std::unique_ptr<Stage>> stages_;
};

}  // namespace mcpgw::pipeline
