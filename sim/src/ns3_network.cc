// The only translation unit that includes ns-3 (GPL-2.0: linked into the
// simulation and test executables only, never into the shipped programs).
#include <ns3/core-module.h>
#include <ns3/internet-module.h>
#include <ns3/network-module.h>
#include <ns3/point-to-point-module.h>

#include <deque>
#include <map>

#include "wavry/sim/network.h"

namespace wavry::sim {
namespace {

// Simulated time starts at 1 s so that no core ever sees a zero Instant.
constexpr std::int64_t kEpochNs = 1'000'000'000;

ns3::Ipv4Address to_ns3(const IpAddress& ip) { return ns3::Ipv4Address(ip.v4_host_order()); }

class Ns3Network final : public Network {
 public:
  explicit Ns3Network(std::uint64_t seed) {
    ns3::Config::Reset();
    ns3::RngSeedManager::SetSeed(static_cast<std::uint32_t>(seed % 0xFFFFFFFEu) + 1);
    ns3::RngSeedManager::SetRun(1 + (seed >> 32));
    ns3::Config::SetDefault("ns3::TcpSocket::SegmentSize", ns3::UintegerValue(1400));
    router_ = ns3::CreateObject<ns3::Node>();
  }

  ~Ns3Network() override {
    for (auto& [id, c] : conns_)
      if (c.socket) c.socket->SetRecvCallback(ns3::MakeNullCallback<void, ns3::Ptr<ns3::Socket>>());
    conns_.clear();
    udp_.clear();
    listeners_.clear();
    ns3::Simulator::Destroy();
  }

  NodeId add_node(const std::string& name, const LinkParams& link) override {
    nodes_.push_back({name, ns3::CreateObject<ns3::Node>(), link, {}});
    return static_cast<NodeId>(nodes_.size() - 1);
  }

  void build() override {
    ns3::NodeContainer all;
    all.Add(router_);
    for (auto& n : nodes_) all.Add(n.node);
    ns3::InternetStackHelper stack;
    stack.Install(all);
    std::int64_t stream = 100;
    for (std::size_t i = 0; i < nodes_.size(); ++i) {
      auto& n = nodes_[i];
      ns3::PointToPointHelper p2p;
      p2p.SetDeviceAttribute("DataRate", ns3::DataRateValue(ns3::DataRate(n.link.rate_bps)));
      p2p.SetChannelAttribute("Delay", ns3::TimeValue(ns3::NanoSeconds(n.link.delay.count())));
      p2p.SetQueue("ns3::DropTailQueue", "MaxSize", ns3::StringValue("1000p"));
      auto devs = p2p.Install(n.node, router_);
      if (n.link.loss > 0) {
        for (std::uint32_t d = 0; d < 2; ++d) {
          auto em = ns3::CreateObject<ns3::RateErrorModel>();
          em->SetAttribute("ErrorRate", ns3::DoubleValue(n.link.loss));
          em->SetAttribute("ErrorUnit", ns3::EnumValue(ns3::RateErrorModel::ERROR_UNIT_PACKET));
          em->AssignStreams(stream++);  // pinned: the same seed drops the same packets
          devs.Get(d)->SetAttribute("ReceiveErrorModel", ns3::PointerValue(em));
          devs.Get(d)->TraceConnectWithoutContext(
              "PhyRxDrop", ns3::Callback<void, ns3::Ptr<const ns3::Packet>>([this](ns3::Ptr<const ns3::Packet>) { ++lost_; }));
        }
      }
      ns3::Ipv4AddressHelper addr;
      std::string base = "10.1." + std::to_string(i + 1) + ".0";
      addr.SetBase(base.c_str(), "255.255.255.0");
      auto ifaces = addr.Assign(devs);
      n.address = IpAddress::v4(ifaces.GetAddress(0).Get());
    }
    ns3::Ipv4GlobalRoutingHelper::PopulateRoutingTables();
  }

  IpAddress address(NodeId n) const override { return nodes_.at(n).address; }

  void udp_bind(NodeId n, std::uint16_t port,
                std::function<void(const Endpoint&, std::span<const std::uint8_t>)> on_datagram) override {
    auto s = ns3::Socket::CreateSocket(nodes_.at(n).node, ns3::UdpSocketFactory::GetTypeId());
    s->Bind(ns3::InetSocketAddress(ns3::Ipv4Address::GetAny(), port));
    std::string who = nodes_.at(n).name + ":" + std::to_string(port);
    s->SetRecvCallback(ns3::Callback<void, ns3::Ptr<ns3::Socket>>([this, on_datagram, who](ns3::Ptr<ns3::Socket> sock) {
      ns3::Address from;
      while (auto p = sock->RecvFrom(from)) {
        std::vector<std::uint8_t> buf(p->GetSize());
        p->CopyData(buf.data(), buf.size());
        auto in = ns3::InetSocketAddress::ConvertFrom(from);
        Endpoint ep{IpAddress::v4(in.GetIpv4().Get()), in.GetPort()};
        if (trace_) trace_(now(), "udp " + ep.to_string() + " > " + who, buf);
        on_datagram(ep, buf);
      }
    }));
    udp_[{n, port}] = s;
  }

  void udp_send(NodeId n, std::uint16_t port, const Endpoint& to, std::span<const std::uint8_t> bytes) override {
    auto it = udp_.find({n, port});
    if (it == udp_.end()) return;
    it->second->SendTo(ns3::Create<ns3::Packet>(bytes.data(), bytes.size()), 0,
                       ns3::InetSocketAddress(to_ns3(to.ip), to.port));
  }

  void listen(NodeId n, std::uint16_t port, ChannelHandlers h) override {
    auto s = ns3::Socket::CreateSocket(nodes_.at(n).node, ns3::TcpSocketFactory::GetTypeId());
    s->Bind(ns3::InetSocketAddress(ns3::Ipv4Address::GetAny(), port));
    s->Listen();
    auto handlers = std::make_shared<ChannelHandlers>(std::move(h));
    s->SetAcceptCallback(ns3::MakeNullCallback<bool, ns3::Ptr<ns3::Socket>, const ns3::Address&>(),
                         ns3::Callback<void, ns3::Ptr<ns3::Socket>, const ns3::Address&>(
                             [this, handlers](ns3::Ptr<ns3::Socket> sock, const ns3::Address&) {
                               ConnId id = adopt(sock, *handlers, true);
                               if (handlers->on_open) handlers->on_open(id);
                             }));
    listeners_.push_back(s);
  }

  ConnId connect(NodeId n, const Endpoint& server, ChannelHandlers h) override {
    auto s = ns3::Socket::CreateSocket(nodes_.at(n).node, ns3::TcpSocketFactory::GetTypeId());
    s->Bind();
    ConnId id = adopt(s, h, false);  // sends queue until the connect callback
    s->SetConnectCallback(ns3::Callback<void, ns3::Ptr<ns3::Socket>>([this, id](ns3::Ptr<ns3::Socket>) {
                            auto it = conns_.find(id);
                            if (it == conns_.end()) return;
                            it->second.connected = true;
                            flush(it->second);
                            if (it->second.h.on_open) it->second.h.on_open(id);
                          }),
                          ns3::Callback<void, ns3::Ptr<ns3::Socket>>([this, id](ns3::Ptr<ns3::Socket>) { closed(id); }));
    s->Connect(ns3::InetSocketAddress(to_ns3(server.ip), server.port));
    return id;
  }

  void send(ConnId c, std::string message) override {
    auto it = conns_.find(c);
    if (it == conns_.end()) return;
    std::uint32_t len = static_cast<std::uint32_t>(message.size());
    auto& out = it->second.out;
    for (int i = 3; i >= 0; --i) out.push_back(static_cast<std::uint8_t>(len >> (8 * i)));
    out.insert(out.end(), message.begin(), message.end());
    flush(it->second);
  }

  void close(ConnId c) override {
    auto it = conns_.find(c);
    if (it == conns_.end()) return;
    it->second.closing = true;
    flush(it->second);
  }

  Instant now() const override { return Instant::from_nanos(kEpochNs + ns3::Simulator::Now().GetNanoSeconds()); }

  std::uint64_t schedule(Instant at, std::function<void()> fn) override {
    std::uint64_t id = next_timer_++;
    std::int64_t delay = std::max<std::int64_t>(0, at.nanos() - now().nanos());
    timers_[id] = ns3::Simulator::Schedule(ns3::NanoSeconds(delay), [this, id, fn = std::move(fn)] {
      timers_.erase(id);
      fn();
    });
    return id;
  }

  void cancel(std::uint64_t timer) override {
    auto it = timers_.find(timer);
    if (it == timers_.end()) return;
    ns3::Simulator::Cancel(it->second);
    timers_.erase(it);
  }

  void run_until(Instant end) override {
    ns3::Simulator::Stop(ns3::NanoSeconds(std::max<std::int64_t>(0, end.nanos() - now().nanos())));
    ns3::Simulator::Run();
  }

  void set_trace(TraceHook hook) override { trace_ = std::move(hook); }
  std::uint64_t packets_lost() const override { return lost_; }

 private:
  struct NodeInfo {
    std::string name;
    ns3::Ptr<ns3::Node> node;
    LinkParams link;
    IpAddress address;
  };
  struct Conn {
    ns3::Ptr<ns3::Socket> socket;
    ChannelHandlers h;
    std::deque<std::uint8_t> out;
    std::vector<std::uint8_t> in;
    bool connected = false, closing = false, closed = false;
  };

  ConnId adopt(ns3::Ptr<ns3::Socket> s, ChannelHandlers h, bool connected) {
    ConnId id = next_conn_++;
    Conn& c = conns_[id];
    c.socket = s;
    c.h = std::move(h);
    c.connected = connected;
    s->SetRecvCallback(ns3::Callback<void, ns3::Ptr<ns3::Socket>>([this, id](ns3::Ptr<ns3::Socket> sock) { receive(id, sock); }));
    s->SetSendCallback(ns3::Callback<void, ns3::Ptr<ns3::Socket>, std::uint32_t>([this, id](ns3::Ptr<ns3::Socket>, std::uint32_t) {
      auto it = conns_.find(id);
      if (it != conns_.end()) flush(it->second);
    }));
    s->SetCloseCallbacks(ns3::Callback<void, ns3::Ptr<ns3::Socket>>([this, id](ns3::Ptr<ns3::Socket>) { closed(id); }),
                         ns3::Callback<void, ns3::Ptr<ns3::Socket>>([this, id](ns3::Ptr<ns3::Socket>) { closed(id); }));
    return id;
  }

  void flush(Conn& c) {
    if (!c.connected || c.closed) return;
    while (!c.out.empty()) {
      std::uint32_t room = c.socket->GetTxAvailable();
      if (room == 0) return;  // the send callback resumes us
      std::uint32_t n = std::min<std::uint32_t>(room, static_cast<std::uint32_t>(std::min<std::size_t>(c.out.size(), 16384)));
      std::vector<std::uint8_t> chunk(c.out.begin(), c.out.begin() + n);
      int sent = c.socket->Send(chunk.data(), n, 0);
      if (sent <= 0) return;
      c.out.erase(c.out.begin(), c.out.begin() + sent);
    }
    if (c.closing) {
      c.socket->Close();
      c.closing = false;
    }
  }

  void receive(ConnId id, ns3::Ptr<ns3::Socket> sock) {
    while (auto p = sock->Recv()) {
      auto it = conns_.find(id);
      if (it == conns_.end()) return;
      std::size_t old = it->second.in.size();
      it->second.in.resize(old + p->GetSize());
      p->CopyData(it->second.in.data() + old, p->GetSize());
      // Deliver every complete frame; the handler may close or erase the connection.
      while (true) {
        it = conns_.find(id);
        if (it == conns_.end()) return;
        auto& in = it->second.in;
        if (in.size() < 4) break;
        std::uint32_t len = (std::uint32_t{in[0]} << 24) | (std::uint32_t{in[1]} << 16) | (std::uint32_t{in[2]} << 8) | in[3];
        if (len > (1u << 20)) {  // a frame this large is a bug: drop the connection
          closed(id);
          return;
        }
        if (in.size() < 4 + len) break;
        std::string msg(in.begin() + 4, in.begin() + 4 + len);
        in.erase(in.begin(), in.begin() + 4 + len);
        if (trace_) trace_(now(), "msg conn " + std::to_string(id), std::span(reinterpret_cast<const std::uint8_t*>(msg.data()), msg.size()));
        auto handler = it->second.h.on_message;
        if (handler) handler(id, std::move(msg));
      }
    }
  }

  void closed(ConnId id) {
    auto it = conns_.find(id);
    if (it == conns_.end() || it->second.closed) return;
    it->second.closed = true;
    auto handler = it->second.h.on_close;
    if (handler) handler(id);
  }

  ns3::Ptr<ns3::Node> router_;
  std::vector<NodeInfo> nodes_;
  std::map<std::pair<NodeId, std::uint16_t>, ns3::Ptr<ns3::Socket>> udp_;
  std::vector<ns3::Ptr<ns3::Socket>> listeners_;
  std::map<ConnId, Conn> conns_;
  std::map<std::uint64_t, ns3::EventId> timers_;
  ConnId next_conn_ = 1;
  std::uint64_t next_timer_ = 1;
  std::uint64_t lost_ = 0;
  TraceHook trace_;
};

}  // namespace

std::unique_ptr<Network> Network::create(std::uint64_t seed) { return std::make_unique<Ns3Network>(seed); }

}  // namespace wavry::sim
