// The relayer sends a lone bundle to a ZK chain with a fixed gas limit instead of an estimate: a bundle that
// needs more (a first payload of 1 KB stored by a fresh recipient: ~32 new storage slots) fails that attempt,
// and is delivered by the next one, estimated.
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { toHex } from 'viem'
import { ChainConnection } from '../../src/chain/ChainConnection.js'
import * as c from '../../src/contracts/generated/index.js'
import { sentBundlesOf } from '../../src/indexer/sentBundles.js'
import { formatInteroperableAddress } from '../../src/protocol/index.js'
import { JunctionIndex, waitForMessage } from '../../src/sdk/index.js'
import { RELAYER_GAS_PER_BUNDLE } from '../../src/services/NetworkServices.js'
import { openStore } from '../../src/store/openStore.js'
import { chainNamed, startTestNetwork } from '../support/testNetwork.js'

let network: Awaited<ReturnType<typeof startTestNetwork>>

before(async () => {
  network = await startTestNetwork({ privateChains: 0 })
})

after(async () => {
  await network?.close()
})

test('a lone bundle that needs more than the fixed gas limit is delivered by its next, estimated, attempt', async () => {
  const alpha = new ChainConnection(chainNamed(network, 'alpha'))
  const beta = new ChainConnection(chainNamed(network, 'beta'))
  const userKey = network.manifest.accounts.users[0]!.privateKey
  const { interopCenter } = network.manifest.l2Contracts
  const { address } = await beta.deploy(userKey, { abi: c.standardRecipientAbi, bytecode: c.standardRecipientBytecode, args: [interopCenter], action: 'deploy StandardRecipient' })
  const payload = toHex(new Uint8Array(1_024).fill(7))
  const receipt = await alpha.write(userKey, { address: interopCenter, abi: c.ierc7786GatewaySourceAbi, functionName: 'sendMessage', args: [formatInteroperableAddress({ chainId: BigInt(beta.chainId), address }), payload, []] })
  const [sent] = sentBundlesOf(receipt.logs, interopCenter)
  await waitForMessage(new JunctionIndex(network.manifest), { bundleHash: sent!.bundleHash, timeoutMs: 60_000 })
  assert.equal(await beta.client.readContract({ address, abi: c.standardRecipientAbi, functionName: 'lastPayload' }), payload)
  const store = openStore(join(network.dataDir, 'junction.db'))
  try {
    const delivery = store.prepare('SELECT status, attempts, tx_hash FROM deliveries WHERE bundle_hash = ?').get(sent!.bundleHash) as { status: string; attempts: number; tx_hash: `0x${string}` }
    assert.equal(delivery.status, 'executed')
    assert.ok(delivery.attempts >= 2, `the fixed-gas attempt failed first (attempts: ${delivery.attempts})`)
    const executed = await beta.client.getTransactionReceipt({ hash: delivery.tx_hash })
    assert.ok(executed.gasUsed > 150_000n + RELAYER_GAS_PER_BUNDLE, `it needed more than the fixed limit (used ${executed.gasUsed})`)
  } finally {
    store.close()
  }
})
