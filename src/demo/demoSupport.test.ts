import assert from 'node:assert/strict'
import { test } from 'node:test'
import { JunctionError } from '../errors/JunctionError.js'
import type { NetworkManifest } from '../network/types.js'
import { ChainNotFoundError } from '../sdk/loadManifest.js'
import { demoChain, DemoStepTimeoutError, pollDemo } from './demoSupport.js'

const manifest = {
  l1: { name: 'l1', chainId: 31337, rpcUrl: 'http://127.0.0.1:8545' },
  chains: [
    { name: 'alpha', chainId: 271, rpcUrl: 'http://127.0.0.1:8546' },
    { name: 'beta', chainId: 272, rpcUrl: 'http://127.0.0.1:8547' },
  ],
} as unknown as NetworkManifest

test('a demo runs on the chain it is given by name or id, else on the network chain at its position', () => {
  assert.equal(demoChain(manifest, 'beta', 0, 'swap').chainId, 272)
  assert.equal(demoChain(manifest, 271, 1, 'swap').name, 'alpha')
  assert.equal(demoChain(manifest, undefined, 1, 'swap').name, 'beta')
})

test('a demo refuses an unknown chain and a network with too few chains, naming what is missing', () => {
  assert.throws(() => demoChain(manifest, 'gamma', 0, 'dvp'), ChainNotFoundError)
  assert.throws(() => demoChain(manifest, undefined, 2, 'dvp'), (error: unknown) => error instanceof JunctionError && /dvp demo: the network has 2 ZK chain\(s\), the demo needs 3/.test(error.message))
})

test('a demo waits until its check answers, and says what it waited for when it gives up', async () => {
  let calls = 0
  assert.equal(await pollDemo('swap', 'the third call', async () => (++calls === 3 ? 'done' : undefined), 5_000, 1), 'done')
  assert.equal(calls, 3)
  await assert.rejects(pollDemo('lending', 'nothing', async () => undefined, 20, 5), (error: unknown) => error instanceof DemoStepTimeoutError && /lending demo: timed out after 20 ms waiting for nothing/.test(error.message))
})
