import assert from 'node:assert/strict'
import { test } from 'node:test'
import { nodeManifest, proxyPortsOf, withPrivateChains } from './privateChains.js'
import type { NetworkManifest, ZkChainInfo } from './types.js'

const chain = (name: string, chainId: number, port: number) => ({ name, chainId, rpcUrl: `http://127.0.0.1:${port}` }) as ZkChainInfo
const deployed = { l1: { name: 'l1', chainId: 31337, rpcUrl: 'http://127.0.0.1:8545' }, chains: [chain('alpha', 271, 8546), chain('bank-a', 4201, 8555)] } as unknown as NetworkManifest

test('the users manifest names a private chain by its proxy only, and the services view gives its raw node back', () => {
  const manifest = withPrivateChains(deployed, [{ name: 'bank-a', apiBaseUrl: 'http://127.0.0.1:8565' }])
  const bank = manifest.chains.find((c) => c.name === 'bank-a')!
  assert.deepEqual([bank.private, bank.apiBaseUrl, bank.rpcUrl], [true, 'http://127.0.0.1:8565', 'http://127.0.0.1:8565/rpc'])
  assert.deepEqual(manifest.services, { privateNodes: { 'bank-a': { rpcUrl: 'http://127.0.0.1:8555' } } })
  const { services: _, ...userPart } = manifest
  assert.ok(!JSON.stringify(userPart).includes('8555'))
  assert.deepEqual(manifest.chains[0], deployed.chains[0], 'a public chain is unchanged')
  const nodes = nodeManifest(manifest)
  assert.deepEqual(nodes.chains.map((c) => c.rpcUrl), ['http://127.0.0.1:8546', 'http://127.0.0.1:8555'])
  assert.deepEqual(nodeManifest(nodes), nodes, 'idempotent')
  assert.deepEqual(proxyPortsOf(manifest), { 'bank-a': 8565 })
})

test('a network without private chains is the same in both views', () => {
  assert.equal(withPrivateChains(deployed, []), deployed)
  assert.equal(nodeManifest(deployed), deployed)
  assert.deepEqual(proxyPortsOf(deployed), {})
})
