// A small gRPC load generator for the gRPC front door (tests/bench/grpc_bench.sh):
// CONCURRENCY threads, each with one call in flight at a time on a shared
// channel, call mcpgw.mcp.v1.Mcp/CallTool for DURATION seconds; prints one
// JSON line with requests/s, p50 and p99 latency and the error count.
//
//   grpc_load <host:port> <route> <tool> <arguments JSON> <concurrency> <seconds> [bearer token]
#include "mcpgw/mcp/v1/mcp.grpc.pb.h"

#include <google/protobuf/util/json_util.h>
#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

double Percentile(std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  return sorted[std::min(sorted.size() - 1, static_cast<std::size_t>(p * static_cast<double>(sorted.size())))];
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 7) {
    std::fprintf(stderr, "usage: %s <host:port> <route> <tool> <arguments JSON> <concurrency> <seconds> [token]\n",
                 argv[0]);
    return 2;
  }
  const std::string target = argv[1];
  mcpgw::mcp::v1::CallToolRequest request;
  request.set_route(argv[2]);
  request.set_name(argv[3]);
  if (!google::protobuf::util::JsonStringToMessage(argv[4], request.mutable_arguments()).ok()) {
    std::fprintf(stderr, "grpc_load: the arguments are not a JSON object\n");
    return 2;
  }
  const int concurrency = std::max(1, std::atoi(argv[5]));
  const auto duration = std::chrono::seconds(std::max(1, std::atoi(argv[6])));
  const std::string token = argc > 7 ? argv[7] : "";

  // One channel (one HTTP/2 connection), as a client process would use.
  auto channel = grpc::CreateChannel(target, grpc::InsecureChannelCredentials());
  auto stub = mcpgw::mcp::v1::Mcp::NewStub(channel);
  std::atomic<long> errors{0};
  std::vector<std::vector<double>> latencies(static_cast<std::size_t>(concurrency));
  const auto end = Clock::now() + duration;
  std::vector<std::thread> callers;
  for (int i = 0; i < concurrency; ++i) {
    callers.emplace_back([&, i] {
      auto& mine = latencies[static_cast<std::size_t>(i)];
      while (Clock::now() < end) {
        grpc::ClientContext context;
        if (!token.empty()) context.AddMetadata("authorization", "Bearer " + token);
        mcpgw::mcp::v1::CallToolResponse response;
        const auto start = Clock::now();
        const grpc::Status status = stub->CallTool(&context, request, &response);
        const auto took = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
        if (!status.ok() || response.is_error()) {
          ++errors;
        } else {
          mine.push_back(took);
        }
      }
    });
  }
  for (auto& t : callers) t.join();
  std::vector<double> all;
  for (auto& l : latencies) all.insert(all.end(), l.begin(), l.end());
  std::sort(all.begin(), all.end());
  const double seconds = std::chrono::duration<double>(duration).count();
  std::printf("{\"rps\": %.1f, \"p50_ms\": %.3f, \"p99_ms\": %.3f, \"ok\": %zu, \"errors\": %ld}\n",
              static_cast<double>(all.size()) / seconds, Percentile(all, 0.50), Percentile(all, 0.99), all.size(),
              errors.load());
  return errors.load() > 0 && all.empty() ? 1 : 0;
}
