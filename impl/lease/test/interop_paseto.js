#!/usr/bin/env node
// PASETO v4.public interoperability with the independent `paseto` npm package
// (installed by ci/setup into ci/interop/node_modules; NODE_PATH points there).
//   1. A lease our code signs verifies with paseto, claims and footer intact.
//   2. Tokens paseto signs (with and without footer and implicit assertion)
//      verify with our code; a lease it signs passes our full lease checks.
//   3. Tampered tokens fail on both sides.
// Usage: interop_paseto.js PATH/TO/paseto_peer
'use strict'
const { execFileSync } = require('child_process')
const crypto = require('crypto')
const assert = require('assert')
const { V4 } = require('paseto')

const peer = process.argv[2]
if (!peer) { console.error('usage: interop_paseto.js PATH/TO/paseto_peer'); process.exit(2) }

function ours(...args) {
  const out = execFileSync(peer, args, { encoding: 'utf8' })
  const fields = {}
  for (const line of out.trim().split('\n')) {
    const i = line.indexOf(' ')
    fields[line.slice(0, i)] = line.slice(i + 1)
  }
  return fields
}
function oursFails(...args) {
  try { execFileSync(peer, args, { stdio: 'pipe' }) } catch (e) { return e.status === 1 }
  return false
}
// Flip one character in the signature part (not the last, whose low bits may be padding).
function tamper(token) {
  const parts = token.split('.')
  const body = parts[2]
  const i = body.length - 10
  parts[2] = body.slice(0, i) + (body[i] === 'A' ? 'B' : 'A') + body.slice(i + 1)
  return parts.join('.')
}

async function main() {
  // 1. Ours -> paseto.
  const signed = ours('sign')
  const pub = V4.bytesToKeyObject(Buffer.from(signed.public, 'hex'))
  const r = await V4.verify(signed.token, pub, { complete: true })
  assert.strictEqual(r.payload.sub, 'laptop')
  assert.strictEqual(r.payload.role, 'host')
  assert.strictEqual(r.payload.rid, 'relay-1')
  assert.strictEqual(r.payload.kid, signed.kid)
  assert.deepStrictEqual(JSON.parse(r.footer.toString()), { kid: signed.kid })
  await assert.rejects(V4.verify(tamper(signed.token), pub), 'paseto accepted a tampered lease')
  console.log('wavry lease -> paseto: verified, claims and footer match; tampered copy refused')

  // 2. paseto -> ours.
  const { publicKey, privateKey } = crypto.generateKeyPairSync('ed25519')
  const pkHex = V4.keyObjectToBytes(publicKey).toString('hex')
  const plain = await V4.sign({ hello: 'wavry' }, privateKey, { iat: false })
  const v1 = ours('verify', pkHex, plain)
  assert.deepStrictEqual(JSON.parse(v1.message), { hello: 'wavry' })
  const withFooter = await V4.sign({ a: 1 }, privateKey, { footer: 'f00t', assertion: 'bound-context', iat: false })
  const v2 = ours('verify', pkHex, withFooter, 'bound-context')
  assert.deepStrictEqual(JSON.parse(v2.message), { a: 1 })
  assert.strictEqual(v2.footer, 'f00t')
  assert.ok(oursFails('verify', pkHex, withFooter, 'another-context'), 'implicit assertion not enforced')
  assert.ok(oursFails('verify', pkHex, tamper(plain)), 'we accepted a tampered token')

  // A lease signed by paseto, in our claims format, passes the relay's lease checks.
  const kid = 'k' + V4.keyObjectToBytes(publicKey).subarray(0, 8).toString('hex')
  const now = Date.now()
  const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')
  const sid = crypto.randomUUID()
  const lease = await V4.sign({
    sub: 'studio', sid, role: 'client', rid: 'relay-1', kid,
    iat: iso(now - 5000), nbf: iso(now - 5000), exp: iso(now + 300000), slimit: 50000, hlimit: 100000,
  }, privateKey, { footer: JSON.stringify({ kid }), iat: false })
  const v3 = ours('verify-lease', pkHex, lease)
  assert.strictEqual(v3.lease, `studio client ${sid}`)
  const expired = await V4.sign({
    sub: 'studio', sid, role: 'client', rid: 'relay-1', kid,
    iat: iso(now - 900000), nbf: iso(now - 900000), exp: iso(now - 600000),
  }, privateKey, { footer: JSON.stringify({ kid }), iat: false })
  assert.ok(oursFails('verify-lease', pkHex, expired), 'we accepted an expired lease')
  console.log('paseto -> wavry: plain, footer + implicit assertion, and a lease verify; tampered/expired/wrong assertion refused')
}

main().catch((e) => { console.error(e); process.exit(1) })
