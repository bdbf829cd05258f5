// The one output shape every datagram core produces: bytes, from which local
// socket, to whom. The driver performs the send; the core never does.
#pragma once

#include <cstdint>
#include <vector>

#include "wavry/core/endpoint.h"

namespace wavry {

using Bytes = std::vector<std::uint8_t>;

struct Transmit {
  SocketId local;
  Endpoint destination;
  Bytes payload;
};

}  // namespace wavry
