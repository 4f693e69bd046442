// What a gRPC status carries in its details (grpc-status-details-bin), for
// the tests of the gRPC front door.
#pragma once

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

#include <grpcpp/support/status.h>

#include <cstdint>

namespace mcpgw::testing {

// The google.rpc.RetryInfo delay in a status's details, in seconds; -1 without one.
inline int64_t RetryDelay(const ::grpc::Status& status) {
  google::rpc::Status details;
  if (!details.ParseFromString(status.error_details())) return -1;
  for (const auto& any : details.details()) {
    google::rpc::RetryInfo retry;
    if (any.UnpackTo(&retry)) return retry.retry_delay().seconds();
  }
  return -1;
}

}  // namespace mcpgw::testing
