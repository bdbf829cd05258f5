#!/usr/bin/env python3
"""Writes the hand-made seed inputs of fuzz/corpus/<target>/seed-*.

Seeds come from the official vectors in ../shared/vectors (Noise, PASETO,
RFC 5769 STUN) and from encoders of the wire formats in docs/protocol.md.
Inputs that libFuzzer found and ci/fuzz kept live beside them under other
names; this script never deletes anything. Run from the repository root:
    fuzz/make_seeds.py [shared-dir]
"""
import json
import os
import struct
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "..", "shared")
CORPUS = os.path.join(ROOT, "fuzz", "corpus")


def write(target, name, data):
    d = os.path.join(CORPUS, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "seed-" + name), "wb") as f:
        f.write(data)


def vectors(rel):
    with open(os.path.join(SHARED, "vectors", rel)) as f:
        return json.load(f)


def crc16_kermit(b):
    crc = 0
    for x in b:
        crc ^= x
        for _ in range(8):
            crc = (crc >> 1) ^ 0x8408 if crc & 1 else crc >> 1
    return crc


def rift_handshake(payload, pid=0):
    h = b"RI" + struct.pack(">H", 1) + bytes(16) + struct.pack(">Q", pid)
    return h + struct.pack(">H", crc16_kermit(h)) + payload


def rift_transport(alias, pid, payload):
    h = b"RI" + struct.pack(">HIQ", 1, alias, pid)
    return h + struct.pack(">H", crc16_kermit(h)) + payload


def noise_seeds():
    v = next(x for x in vectors("noise/cacophony_25519_chachapoly_blake2s.json")["vectors"]
             if x["protocol_name"] == "Noise_XX_25519_ChaChaPoly_BLAKE2s")
    msgs = [bytes.fromhex(m["ciphertext"]) for m in v["messages"]]
    write("noise_responder", "msg1", msgs[0])
    write("noise_responder", "msg3", msgs[2])
    write("noise_responder", "rift-msg1", rift_handshake(msgs[0]))
    write("noise_responder", "rift-msg3", rift_transport(1, 0, msgs[2]))
    write("noise_responder", "rift-data", rift_transport(1, 1, msgs[3]))
    write("noise_initiator", "msg2", msgs[1])
    write("noise_initiator", "rift-msg2", rift_handshake(msgs[1]))
    write("noise_initiator", "msg2-truncated", msgs[1][:64])
    write("rift_packet", "vector-msg1", rift_handshake(msgs[0]))


def paseto_seeds():
    for t in vectors("paseto/v4.json")["tests"]:
        if "public-key" in t or t["token"].startswith("v4.public."):
            write("paseto", t["name"], t["token"].encode())
    write("paseto", "claims", json.dumps({
        "sub": "laptop", "sid": "6f9619ff-8b86-4d01-b42d-00cf4fc964ff", "role": "host", "rid": "relay-1",
        "kid": "k0011223344556677", "iat": "2027-01-15T00:00:00Z", "nbf": "2027-01-15T00:00:00Z",
        "exp": "2027-01-15T00:05:00Z", "slimit": 50000, "hlimit": 100000}).encode())
    write("paseto", "footer-only", b"v4.public.AAAA.eyJraWQiOiJrMDAxMTIyMzM0NDU1NjY3NyJ9")


def stun_attr(t, v, pad=0):
    return struct.pack(">HH", t, len(v)) + v + bytes([pad]) * ((4 - len(v) % 4) % 4)


def stun_msg(mtype, tid, attrs):
    body = b"".join(attrs)
    return struct.pack(">HHI", mtype, len(body), 0x2112A442) + tid + body


def stun_seeds():
    for name, v in vectors("stun/rfc5769.json")["vectors"].items():
        msg = bytes.fromhex(v["hex"])
        write("stun", name.split()[0], msg)
    tid = bytes(range(12))
    write("stun", "binding-request", stun_msg(0x0001, tid, []))
    write("stun", "allocate", stun_msg(0x0003, tid, [
        stun_attr(0x0019, b"\x11\x00\x00\x00"), stun_attr(0x000D, struct.pack(">I", 600)),
        stun_attr(0x0018, b"\x80"), stun_attr(0x001A, b""), stun_attr(0x0017, b"\x01\x00\x00\x00"),
        stun_attr(0x0006, b"1700000000:alice"), stun_attr(0x0014, b"wavry"), stun_attr(0x0015, b"nonce-1234")]))
    xport = struct.pack(">H", 3478 ^ 0x2112)
    xaddr4 = bytes(a ^ b for a, b in zip(bytes([127, 0, 0, 1]), bytes.fromhex("2112a442")))
    peer = stun_attr(0x0012, b"\x00\x01" + xport + xaddr4)
    write("stun", "channel-bind", stun_msg(0x0009, tid, [stun_attr(0x000C, b"\x40\x01\x00\x00"), peer]))
    write("stun", "send-indication", stun_msg(0x0016, tid, [peer, stun_attr(0x0013, b"hello turn")]))
    write("stun", "error-401", stun_msg(0x0113, tid, [
        stun_attr(0x0009, b"\x00\x00\x04\x01Unauthorized"), stun_attr(0x000A, b"\x00\x31\x7f\xff")]))
    write("channel_data", "basic", b"\x40\x01\x00\x05hello")
    write("channel_data", "padded", b"\x40\x01\x00\x05hello\x00\x00\x00")
    write("channel_data", "empty", b"\x4f\xff\x00\x00")
    write("channel_data", "overlong", b"\x40\x00\x00\x40abc")


def rift_message_seeds():
    schema_dir = os.path.join(ROOT, "impl", "proto", "schema")
    samples = {
        "hello": 'control { hello { client_name: "laptop" platform: LINUX supported_codecs: [H264, AV1] '
                 'max_resolution { width: 1920 height: 1080 } max_fps: 60 protocol_version: 1 } }',
        "hello-ack": 'control { hello_ack { accepted: true selected_codec: H264 session_alias: 77 '
                     'session_id: "0123456789abcdef" } }',
        "stats": 'control { stats { period_ms: 1000 received_packets: 900 lost_packets: 3 rtt_us: 12000 } }',
        "nack": 'control { nack { packet_ids: [1, 2, 3, 1000000] } }',
        "file-header": 'control { file_header { file_id: 9 filename: "a.txt" file_size: 1000 chunk_size: 900 '
                       'total_chunks: 2 checksum_sha256: "00" } }',
        "file-status": 'control { file_status { file_id: 9 status: ACCEPTED next_chunk: 1 } }',
        "pose": 'control { pose_update { timestamp_us: 5 position_x: 1.5 orientation_w: 1 } }',
        "gamepad": 'input { timestamp_us: 7 gamepad { gamepad_id: 1 axes { axis: 0 value: 0.5 } '
                   'buttons { button: 3 pressed: true } } }',
        "mouse": 'input { mouse_move { x: 0.25 y: 0.75 } }',
        "motion": 'input { mouse_motion { dx: -3 dy: 4 } }',
        "video": 'media { video { frame_id: 1 chunk_index: 0 chunk_count: 2 keyframe: true payload: "abc" } }',
        "fec": 'media { fec { group_id: 1 first_packet_id: 10 shard_count: 4 parity_index: 0 payload: "x" '
               'shard_lengths: [100, 200] } }',
        "audio": 'media { audio { timestamp_us: 9 payload: "opus" } }',
        "file-chunk": 'media { file_chunk { file_id: 9 chunk_index: 1 payload: "data" } }',
    }
    for name, text in samples.items():
        out = subprocess.run(["protoc", "-I", schema_dir, "--encode=rift.Message", "rift.proto"],
                             input=text.encode(), capture_output=True, check=True).stdout
        write("rift_message", name, out)


def script_record(op, advance, body=b"", unit=8):
    body = body + b" " * ((-len(body)) % unit)
    return bytes([op, advance, len(body) // unit]) + body


def control_plane_seeds():
    reg = json.dumps({"relay_id": "r1", "endpoints": ["127.0.0.1:4000"], "region": "eu", "max_sessions": 10}).encode()
    hb = json.dumps({"relay_id": "r1", "load_pct": 20, "active_sessions": 1}).encode()
    lease = json.dumps({"session_id": "6f9619ff-8b86-4d01-b42d-00cf4fc964ff", "host_name": "laptop",
                        "client_name": "studio"}).encode()
    # op: bits 0-2 endpoint (0 register, 1 heartbeat, 2 leases), bits 3-4 auth (0 relay, 1 broker), bit 7 GET
    write("master_http", "register-heartbeat-lease",
          script_record(0, 0, reg) + script_record(1, 5, hb) + script_record(2 | 8, 1, lease))
    write("master_http", "gets", b"".join(script_record(0x80 | i, 1) for i in range(3, 8)))
    write("master_http", "bad-auth", script_record(0 | 24, 0, reg) + script_record(2 | 16, 0, lease))
    bind_h = json.dumps({"type": "BIND", "token": "dev-token", "name": "laptop", "role": "host"}).encode()
    bind_c = json.dumps({"type": "BIND", "token": "dev-token", "name": "studio", "role": "client"}).encode()
    req = json.dumps({"type": "REQUEST_RELAY", "target": "laptop"}).encode()
    grant = json.dumps({"session_id": "6f9619ff-8b86-4d01-b42d-00cf4fc964ff", "relay_id": "r1",
                        "relay_addr": "127.0.0.1:4000", "host_lease": "v4.public.x", "client_lease": "v4.public.y",
                        "expires_at": "2030-01-01T00:00:00Z"}).encode()
    # op: bits 0-2 action (0 open, 1-2 message, 3 close, 4 call result, 5+ http), bits 3-4 connection,
    # bit 6: call result status 200 (else the next byte x3), or POST for http
    def chunk(body, unit=8):
        return script_record(0, 0, body, unit)[2:]
    g = (bytes([0, 0]) + bytes([8, 0]) + bytes([1, 1]) + chunk(bind_h) + bytes([9, 1]) + chunk(bind_c) +
         bytes([9, 1]) + chunk(req) + bytes([4 | 0x40, 1, 0]) + chunk(grant) + bytes([3, 1]))
    write("gateway_http", "bind-request-grant", g)
    write("gateway_http", "http", bytes([5, 0]) + chunk(b"/health", 1) + chunk(b"") +
          bytes([5 | 0x40, 0]) + chunk(b"/", 1) + chunk(b"{}"))


if __name__ == "__main__":
    noise_seeds()
    paseto_seeds()
    stun_seeds()
    rift_message_seeds()
    control_plane_seeds()
    print("seeds written under", CORPUS)
