// Outbound HTTP for cores' OutboundCalls (relay -> master, gateway -> master),
// and URL parsing for http:// and ws:// addresses.
#pragma once

#include <functional>
#include <string>

#include "wavry/proto/http_types.h"
#include "wavry/runtime/runtime.h"

namespace wavry::runtime {

struct Url {
  std::string scheme, host, port, path;
};
// http://host:port[/path] or ws://host:port/path. https/wss are refused with
// a clear error: TLS arrives with the accounts issue.
Result<Url> parse_url(std::string_view url);

// One request per call, with a total timeout; status 0 on transport failure.
void http_call(asio::io_context& io, const Url& base, const proto::HttpRequest& req,
               std::function<void(proto::CallResult)> done, Duration timeout = 5s);

// Performs every OutboundCall a core has queued (relay and gateway -> master)
// and feeds each answer back through handle_call_result, then `pump`.
template <class Core>
void perform_calls(asio::io_context& io, const Url& base, Core& core, std::function<void()>& pump) {
  while (auto c = core.poll_call()) {
    http_call(io, base, c->request, [&core, &pump, id = c->id](proto::CallResult r) {
      r.id = id;
      core.handle_call_result(now(), r);
      pump();
    });
  }
}

}  // namespace wavry::runtime
