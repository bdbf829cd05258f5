#!/usr/bin/env node
// STUN interoperability with the independent `stun` npm package (installed
// by ci/setup into ci/interop/node_modules; NODE_PATH points there):
//   1. A message our codec builds decodes with `stun`, fields intact, and its
//      MESSAGE-INTEGRITY and FINGERPRINT validate there.
//   2. Messages `stun` builds decode with our codec (IPv4 and IPv6
//      XOR-MAPPED-ADDRESS, error responses), integrity and fingerprint ok.
//   3. A tampered message fails integrity and fingerprint with us.
// Usage: interop_stun.js PATH/TO/stun_peer
'use strict'
const { execFileSync } = require('child_process')
const assert = require('assert')
const stun = require('stun')

const { constants } = stun
const peer = process.argv[2]
if (!peer) { console.error('usage: interop_stun.js PATH/TO/stun_peer'); process.exit(2) }
const password = 'VOkJxbRl1RmTxUk/WvJxBt'

function ours(...args) {
  return execFileSync(peer, args, { encoding: 'utf8' }).trim()
}
function parse(out) {
  const f = {}
  for (const line of out.split('\n')) {
    const i = line.indexOf(' ')
    f[line.slice(0, i)] = line.slice(i + 1)
  }
  return f
}

// 1. Ours -> stun.
const wire = Buffer.from(ours('build', password), 'hex')
const m = stun.decode(wire)
assert.strictEqual(m.type, constants.STUN_BINDING_RESPONSE)
assert.deepStrictEqual(m.getXorAddress(), { port: 32853, family: 'IPv4', address: '192.0.2.1' })
assert.deepStrictEqual(m.getAddress(), { port: 3478, family: 'IPv4', address: '203.0.113.5' })
assert.strictEqual(m.getUsername(), 'evtj:h6vY')
assert.strictEqual(m.getSoftware(), 'wavry stun codec')
assert.ok(stun.validateMessageIntegrity(m, password), 'stun rejects our MESSAGE-INTEGRITY')
assert.ok(stun.validateFingerprint(m), 'stun rejects our FINGERPRINT')
assert.ok(!stun.validateMessageIntegrity(m, 'wrong password'))
console.log('wavry -> stun: decoded, fields match, MESSAGE-INTEGRITY and FINGERPRINT valid')

// 2. stun -> ours.
function theirs(type, build) {
  const msg = stun.createMessage(type)
  build(msg)
  msg.addMessageIntegrity(password)
  msg.addFingerprint()
  return msg.toBuffer()
}
const v4 = theirs(constants.STUN_BINDING_RESPONSE, (msg) => {
  msg.addXorAddress('198.51.100.7', 40000)
  msg.addAddress('10.1.2.3', 5000)
  msg.addUsername('alice:bob')
  msg.addSoftware('node stun')
})
let f = parse(ours('check', v4.toString('hex'), password))
assert.strictEqual(f.method, '1')
assert.strictEqual(f.class, '2')
assert.strictEqual(f['xor-mapped'], '198.51.100.7:40000')
assert.strictEqual(f.mapped, '10.1.2.3:5000')
assert.strictEqual(f.username, 'alice:bob')
assert.strictEqual(f.software, 'node stun')
assert.strictEqual(f.integrity, 'ok')
assert.strictEqual(f.fingerprint, 'ok')

const v6 = theirs(constants.STUN_BINDING_RESPONSE, (msg) => msg.addXorAddress('2001:db8::5', 3478))
f = parse(ours('check', v6.toString('hex'), password))
assert.strictEqual(f['xor-mapped'], '[2001:db8:0:0:0:0:0:5]:3478')
assert.strictEqual(f.integrity, 'ok')

const err = theirs(constants.STUN_BINDING_ERROR_RESPONSE, (msg) => msg.addError(401, 'Unauthorized'))
f = parse(ours('check', err.toString('hex'), password))
assert.strictEqual(f.class, '3')
assert.strictEqual(f.error, '401 Unauthorized')
assert.strictEqual(f.fingerprint, 'ok')

const req = theirs(constants.STUN_BINDING_REQUEST, (msg) => msg.addUsername('evtj:h6vY'))
f = parse(ours('check', req.toString('hex'), password))
assert.strictEqual(f.class, '0')
assert.strictEqual(f.integrity, 'ok')
console.log('stun -> wavry: binding response (IPv4, IPv6), error response and request decode; integrity and fingerprint ok')

// 3. Tampering is caught.
const bad = Buffer.from(v4)
bad[bad.indexOf('node stun') + 2] ^= 1  // inside SOFTWARE: still decodes, no longer verifies
f = parse(ours('check', bad.toString('hex'), password))
assert.strictEqual(f.integrity, 'bad')
assert.strictEqual(f.fingerprint, 'bad')
f = parse(ours('check', v4.toString('hex'), 'wrong password'))
assert.strictEqual(f.integrity, 'bad')
console.log('tampered message and wrong password: refused')
