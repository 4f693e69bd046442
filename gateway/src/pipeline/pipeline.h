// The ordered list of stages every request passes before dispatch.
#pragma once

#include "pipeline/stage.h"

#include <memory>
#include <vector>

namespace mcpgw::pipeline {

class Pipeline {
 public:
  void Append(std::unique_ptr<Stage> stage) { stages_.push_back(std::move(stage)); }

  // Runs the stages in order; the first denial ends the run. For pipelines
  // whose stages never wait (tests, tools); a waiting stage decides here
  // through Check.
  std::optional<Denial> Run(const Request& request) const {
    for (const auto& stage : stages_) {
      if (auto denial = stage->Check(request)) return denial;
    }
    return std::nullopt;
  }

  // Runs the stages in order and calls `done(std::optional<Denial>)` once:
  // inline while every stage answers inline (no allocation: `done` is not
  // type-erased), else on the thread of the stage that waited. `done` must be
  // copyable; `request` must stay alive until it runs.
  template <typename Done>
  void Run(const Request& request, Done&& done, std::size_t first = 0) const {
    for (std::size_t i = first; i < stages_.size(); ++i) {
      const Stage& stage = *stages_[i];
      if (stage.Waits(request)) {
        stage.CheckAsync(request, [this, i, &request, done = std::forward<Done>(done)](std::optional<Denial> denial) mutable {
          if (denial) return done(std::move(denial));
          Run(request, std::move(done), i + 1);
        });
        return;
      }
      if (auto denial = stage.Check(request)) return done(std::move(denial));
    }
    done(std::optional<Denial>());
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
