#include "hnsw_index.h"

// hnswlib 0.6.2's hand-vectorised search prefetches one link past the end
// of a node's list (a heap over-read AddressSanitizer reports). Without
// manual vectorisation that code is compiled out; the distances below take
// its place, written so that the compiler vectorises them itself.
#define NO_MANUAL_VECTORIZATION
#include <hnswlib/hnswlib.h>

#include <algorithm>
#include <stdexcept>

namespace mcpgw::vector {
namespace {

constexpr size_t kLanes = 8;  // independent partial sums: no loop-carried dependency, SIMD-friendly

// The sum of term(x[i], y[i]) over the two vectors (their length is `param`).
template <typename Term>
float SumOf(const void* a, const void* b, const void* param, Term term) {
  const size_t n = *static_cast<const size_t*>(param);
  const auto* x = static_cast<const float*>(a);
  const auto* y = static_cast<const float*>(b);
  float lanes[kLanes] = {};
  size_t i = 0;
  for (; i + kLanes <= n; i += kLanes) {
    for (size_t k = 0; k < kLanes; ++k) lanes[k] += term(x[i + k], y[i + k]);
  }
  float sum = 0;
  for (const float lane : lanes) sum += lane;
  for (; i < n; ++i) sum += term(x[i], y[i]);
  return sum;
}

float InnerProductDistance(const void* a, const void* b, const void* param) {
  return 1.0f - SumOf(a, b, param, [](float x, float y) { return x * y; });
}

float SquaredL2Distance(const void* a, const void* b, const void* param) {
  return SumOf(a, b, param, [](float x, float y) { return (x - y) * (x - y); });
}

// hnswlib's space interface over the two distances above.
class Space : public hnswlib::SpaceInterface<float> {
 public:
  Space(size_t dimension, Metric metric)
      : dimension_(dimension), distance_(metric == Metric::kCosine ? &InnerProductDistance : &SquaredL2Distance) {}
  size_t get_data_size() override { return dimension_ * sizeof(float); }
  hnswlib::DISTFUNC<float> get_dist_func() override { return distance_; }
  void* get_dist_func_param() override { return &dimension_; }

 private:
  size_t dimension_;
  hnswlib::DISTFUNC<float> distance_;
};

std::unique_ptr<hnswlib::SpaceInterface<float>> MakeSpace(const IndexShape& shape) {
  return std::make_unique<Space>(shape.dimension, shape.metric);
}

}  // namespace

const char* MetricName(Metric metric) { return metric == Metric::kCosine ? "cosine" : "l2"; }

std::optional<Metric> MetricFromName(const std::string& name) {
  if (name == "cosine") return Metric::kCosine;
  if (name == "l2") return Metric::kL2;
  return std::nullopt;
}

struct HnswIndex::Impl {
  std::unique_ptr<hnswlib::SpaceInterface<float>> space;  // outlives the graph, which points into it
  std::unique_ptr<hnswlib::HierarchicalNSW<float>> graph;
};

HnswIndex::HnswIndex(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

HnswIndex::HnswIndex(const IndexShape& shape, size_t capacity) : impl_(std::make_unique<Impl>()) {
  impl_->space = MakeSpace(shape);
  impl_->graph = std::make_unique<hnswlib::HierarchicalNSW<float>>(impl_->space.get(), std::max<size_t>(capacity, 1),
                                                                    shape.m, shape.ef_construction);
  impl_->graph->setEf(shape.ef_search);
}

HnswIndex::~HnswIndex() {
  if (impl_) impl_->graph.reset();  // before the space it points into
}

std::unique_ptr<HnswIndex> HnswIndex::Load(const IndexShape& shape, const std::string& path) {
  auto impl = std::make_unique<Impl>();
  impl->space = MakeSpace(shape);
  // hnswlib 0.6.2's loading constructor leaves num_deleted_ uninitialised
  // before counting into it: start from the bare object and zero it.
  auto graph = std::make_unique<hnswlib::HierarchicalNSW<float>>(impl->space.get());
  graph->num_deleted_ = 0;
  try {
    graph->loadIndex(path, impl->space.get());
  } catch (const std::runtime_error&) {
    // A failed load leaves the object half-built, and hnswlib's destructor
    // would free uninitialised pointers: leak it instead. Callers check the
    // file's CRC first, so only damage on disk can get here.
    (void)graph.release();
    return nullptr;
  }
  // The stored layout must be the one this shape's space produces.
  if (graph->label_offset_ != graph->offsetData_ + impl->space->get_data_size()) return nullptr;
  graph->setEf(shape.ef_search);
  impl->graph = std::move(graph);
  return std::unique_ptr<HnswIndex>(new HnswIndex(std::move(impl)));
}

void HnswIndex::Save(const std::string& path) const { impl_->graph->saveIndex(path); }

void HnswIndex::Reserve(size_t count) {
  hnswlib::HierarchicalNSW<float>& g = *impl_->graph;
  const size_t needed = g.cur_element_count + count;
  if (needed > g.max_elements_) g.resizeIndex(std::max(needed, g.max_elements_ * 2));
}

void HnswIndex::Add(const float* vector, uint64_t label) {
  Reserve(1);
  impl_->graph->addPoint(vector, static_cast<hnswlib::labeltype>(label));
}

void HnswIndex::MarkDeleted(uint64_t label) { impl_->graph->markDelete(static_cast<hnswlib::labeltype>(label)); }

std::vector<std::pair<uint64_t, float>> HnswIndex::Search(const float* query, size_t k) const {
  auto found = impl_->graph->searchKnn(query, k);
  std::vector<std::pair<uint64_t, float>> out(found.size());
  for (size_t i = out.size(); i > 0; --i, found.pop()) out[i - 1] = {found.top().second, found.top().first};
  return out;
}

float HnswIndex::Distance(const float* a, const float* b) const {
  return impl_->space->get_dist_func()(a, b, impl_->space->get_dist_func_param());
}

size_t HnswIndex::deleted() const { return impl_->graph->num_deleted_; }

size_t HnswIndex::live() const { return impl_->graph->cur_element_count - impl_->graph->num_deleted_; }

bool HnswIndex::HoldsLive(uint64_t label) const {
  const auto it = impl_->graph->label_lookup_.find(static_cast<hnswlib::labeltype>(label));
  return it != impl_->graph->label_lookup_.end() && !impl_->graph->isMarkedDeleted(it->second);
}

}  // namespace mcpgw::vector
