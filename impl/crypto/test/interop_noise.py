#!/usr/bin/python3
"""Noise interoperability: our NoiseXX (noise_peer) against dissononce.

Runs Noise_XX_25519_ChaChaPoly_BLAKE2s twice, with our side as initiator and
then as responder, and exchanges handshake payloads and three transport
messages each way. Checks that both sides agree on the handshake hash and on
each other's static keys. Any mismatch exits non-zero.
Usage: interop_noise.py PATH/TO/noise_peer
"""
import subprocess
import sys

from dissononce.cipher.chachapoly import ChaChaPolyCipher
from dissononce.dh.x25519.x25519 import X25519DH
from dissononce.hash.blake2s import Blake2sHash
from dissononce.processing.handshakepatterns.interactive.XX import XXHandshakePattern
from dissononce.processing.impl.cipherstate import CipherState
from dissononce.processing.impl.handshakestate import HandshakeState
from dissononce.processing.impl.symmetricstate import SymmetricState


def run(peer_path, our_role):
    peer = subprocess.Popen([peer_path, our_role], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    def hear(tag):
        line = peer.stdout.readline().strip()
        if not line.startswith(tag + " "):
            raise SystemExit(f"[{our_role}] expected '{tag}', got {line!r}")
        return bytes.fromhex(line[len(tag) + 1:])

    def say(data):
        peer.stdin.write("msg " + data.hex() + "\n")
        peer.stdin.flush()

    their_static = hear("static")
    dh = X25519DH()
    keys = dh.generate_keypair()
    hs = HandshakeState(SymmetricState(CipherState(ChaChaPolyCipher()), Blake2sHash()), dh)
    python_initiates = our_role == "responder"
    hs.initialize(XXHandshakePattern(), python_initiates, b"", s=keys)
    split = None
    for i in range(3):
        python_turn = (i % 2 == 0) == python_initiates
        if python_turn:
            buf = bytearray()
            split = hs.write_message(f"dissononce hs {i}".encode(), buf)
            say(bytes(buf))
        else:
            payload = bytearray()
            split = hs.read_message(hear("msg"), payload)
            if bytes(payload) != f"wavry hs {i}".encode():
                raise SystemExit(f"[{our_role}] handshake payload {i}: {bytes(payload)!r}")
    if split is None:
        raise SystemExit(f"[{our_role}] dissononce did not finish the handshake")
    h = bytes(hs.symmetricstate.get_handshake_hash())
    their_hash = hear("hash")
    their_view_of_us = hear("remote")
    if h != their_hash:
        raise SystemExit(f"[{our_role}] handshake hashes differ")
    if their_view_of_us != keys.public.data:
        raise SystemExit(f"[{our_role}] wavry saw another static key for dissononce")
    if hs.rs is None or hs.rs.data != their_static:
        raise SystemExit(f"[{our_role}] dissononce saw another static key for wavry")
    i2r, r2i = split
    send, recv = (i2r, r2i) if python_initiates else (r2i, i2r)
    for i in range(3):
        if recv.decrypt_with_ad(b"", hear("msg")) != f"wavry {i}".encode():
            raise SystemExit(f"[{our_role}] transport message {i} from wavry differs")
    for i in range(3):
        say(send.encrypt_with_ad(b"", f"dissononce {i}".encode()))
    done = peer.stdout.readline().strip()
    peer.stdin.close()
    rc = peer.wait(timeout=10)
    if done != "ok" or rc != 0:
        raise SystemExit(f"[{our_role}] noise_peer ended with {done!r}, exit {rc}")
    print(f"wavry as {our_role}: handshake, hash {their_hash.hex()[:16]}..., 3+3 transport messages: ok")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    run(sys.argv[1], "initiator")
    run(sys.argv[1], "responder")
