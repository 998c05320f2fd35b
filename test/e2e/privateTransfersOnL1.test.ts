// Private chains settled on L1 (a network without a Gateway): the value a bank-a → bank-b bundle carries leaves
// bank-a as a transfer whose leaf is blinded (docs/protocol.md §9.13), and the ledger keeper records it on L1
// with its blinding (`finalizeBlindedTransfer`), so that L1's ledger moves the ETH from bank-a's account to
// bank-b's. Without the blinding the keeper would look for the plain leaf, find none, and the ledger would
// never move.
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { createPublicClient, decodeFunctionData, http, keccak256, type Hex } from 'viem'
import * as c from '../../src/contracts/generated/index.js'
import { bridgeMessageLeafOf } from '../../src/indexer/bridgeMessageLeaf.js'
import { nodeManifest } from '../../src/network/privateChains.js'
import { topologyOf } from '../../src/network/topology.js'
import { blindedBridgeMessageCommitment, encodeInteropCallValueAttribute, ethAssetId } from '../../src/protocol/index.js'
import { sendMessage } from '../../src/sdk/index.js'
import { openStore } from '../../src/store/openStore.js'
import { eventually } from '../support/e2e.js'
import { chainNamed, startTestNetwork, walletFor } from '../support/testNetwork.js'

let network: Awaited<ReturnType<typeof startTestNetwork>>

before(async () => {
  network = await startTestNetwork({ chains: 1, privateChains: 2 })
})
after(async () => {
  await network?.close()
})

test("a bundle's value from a private chain settled on L1: a blinded leaf, recorded on L1 with its blinding, and L1's ledger moves exactly", async () => {
  const manifest = nodeManifest(network.manifest)
  const [bankA, bankB] = [chainNamed({ manifest }, 'bank-a'), chainNamed({ manifest }, 'bank-b')]
  const l1ChainId = network.manifest.l1.chainId
  const l1 = createPublicClient({ transport: http(network.manifest.l1.rpcUrl) })
  const eth = ethAssetId({ l1ChainId, l1Vault: network.manifest.l1.contracts.nativeTokenVault })
  const ledger = (chainId: number) =>
    l1.readContract({ address: network.manifest.l1.contracts.nativeTokenVault, abi: c.l1NativeTokenVaultAbi, functionName: 'chainBalance', args: [BigInt(chainId), eth] }) as Promise<bigint>
  const store = openStore(join(network.dataDir, 'junction.db'))
  try {
    const topology = topologyOf(network.manifest, store)
    assert.deepEqual([topology.settlementLayerOf.get(bankA.chainId), topology.settlementLayerOf.get(bankB.chainId)], [l1ChainId, l1ChainId])
    const [aBefore, bBefore] = await Promise.all([ledger(bankA.chainId), ledger(bankB.chainId)])
    const value = 3_210_000n + BigInt(randomBytes(2).readUInt16BE())
    const sent = await sendMessage(walletFor(bankA, network.manifest.accounts.users[0]!.privateKey), {
      recipient: { chainId: bankB.chainId, address: network.manifest.l2Contracts.exampleRecipient },
      payload: '0x01',
      attributes: [encodeInteropCallValueAttribute(value)],
      interopCenter: network.manifest.l2Contracts.interopCenter,
    })

    const row = await eventually(`the transfer recorded on L1 (service errors: ${network.serviceErrors.slice(-3).join('; ')})`, () => {
      const found = store.prepare('SELECT message, ledger_status, ledger_tx FROM transfers WHERE tx_hash = ?').get(sent.receipt.transactionHash) as { message: Hex; ledger_status: string; ledger_tx: Hex | null } | undefined
      return found?.ledger_status === 'recorded' ? found : undefined
    }, { timeoutMs: 90_000 })

    // The leaf bank-a recorded is the blinded commitment, never the transfer message's hash.
    const leaf = bridgeMessageLeafOf(store, bankA.chainId, row.message)
    assert.ok(leaf.blinding !== undefined, 'the index holds the blinding of the transfer')
    assert.equal(leaf.payloadHash, blindedBridgeMessageCommitment(keccak256(row.message), leaf.blinding))
    const leaves = (store.prepare('SELECT payload_hash FROM message_leaves WHERE chain_id = ? AND block_number = ?').all(bankA.chainId, Number(sent.receipt.blockNumber)) as { payload_hash: Hex }[]).map((l) => l.payload_hash)
    assert.ok(leaves.includes(leaf.payloadHash) && !leaves.includes(keccak256(row.message)))

    // The keeper recorded it with its blinding, and L1's ledger moved the value from bank-a to bank-b.
    assert.ok(row.ledger_tx, 'the keeper sent the record')
    const record = decodeFunctionData({ abi: c.l1AssetRouterAbi, data: (await l1.getTransaction({ hash: row.ledger_tx })).input })
    assert.equal(record.functionName, 'finalizeBlindedTransfer')
    assert.deepEqual(record.args.slice(0, 3), [BigInt(bankA.chainId), row.message, leaf.blinding])
    assert.deepEqual(await Promise.all([ledger(bankA.chainId), ledger(bankB.chainId)]), [aBefore - value, bBefore + value])
  } finally {
    store.close()
  }
})
