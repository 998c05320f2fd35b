// A chain whose operator is malicious: with the development verifier it can settle a forged batch
// holding a withdrawal it never burned. L1 still lets it take out no more than its own balance in
// the ledger, and the other chain's deposits stay in the vault for it.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { keccak256, type Address, type Hex } from 'viem'
import { ChainConnection } from '../../src/chain/ChainConnection.js'
import * as c from '../../src/contracts/generated/index.js'
import { settlementLayerStateAt } from '../../src/indexer/buildProofFromStore.js'
import { buildInteropProof, encodeWithdrawalMessage, messageLeaf } from '../../src/protocol/index.js'
import { auditLedger, deposit, getBalances, JunctionIndex } from '../../src/sdk/index.js'
import { forgeBatch } from '../support/forgeBatch.js'
import { eventually, rejectsWith } from '../support/e2e.js'
import { chainNamed, startTestNetwork, walletFor } from '../support/testNetwork.js'

let network: Awaited<ReturnType<typeof startTestNetwork>>
let l1: ChainConnection
let token: Address
let user: { address: Address; privateKey: Hex }

before(async () => {
  network = await startTestNetwork()
  l1 = new ChainConnection(network.manifest.l1)
  user = network.manifest.accounts.users[2]!
  token = (await l1.deploy(user.privateKey, { abi: c.testTokenAbi, bytecode: c.testTokenBytecode, args: ['Safe', 'SAFE', 18], action: 'deploy TestToken' })).address
  await l1.write(user.privateKey, { address: token, abi: c.testTokenAbi, functionName: 'mint', args: [user.address, 1_500n] })
})
after(async () => {
  await network?.close()
})

test("a malicious chain cannot withdraw more than its own balance, and the other chain's deposits stay safe", async () => {
  const { manifest } = network
  const index = new JunctionIndex(manifest)
  await deposit(walletFor(manifest.l1, user.privateKey), { manifest, chainId: 271, token, amount: 1_000n })
  const { assetId, requestIndex } = await deposit(walletFor(manifest.l1, user.privateKey), { manifest, chainId: 272, token, amount: 500n })
  const beta = chainNamed(network, 'beta')
  const settlement = { address: beta.settlement, abi: c.chainSettlementAbi } as const
  const read = <T>(functionName: string, args: readonly unknown[] = []) => l1.client.readContract({ ...settlement, functionName, args } as never) as Promise<T>
  // Wait until both deposits are minted and beta has settled everything it committed, then stop the
  // honest services: from here the test is beta's malicious operator.
  await eventually('both deposits minted and beta settled', async () => {
    const view = await getBalances(index, { token, account: user.address })
    const [committed, executed, processed] = await Promise.all([read<bigint>('totalCommitted'), read<bigint>('totalExecuted'), read<bigint>('totalPriorityRequestsProcessed')])
    return view.chains.every((chain) => chain.account === chain.ledger && chain.ledger > 0n) && committed === executed && processed === requestIndex + 1n ? true : undefined
  }, { timeoutMs: 30_000 })
  await network.services!.stop()

  // The forged batch: one withdrawal leaf "from" beta's asset router that nobody burned.
  const attacker = beta.operator.address
  const forge = (amount: bigint) => encodeWithdrawalMessage({ assetId, l2Sender: attacker, l1Receiver: attacker, amount })
  const messages = [forge(1_200n), forge(500n)]
  const leaves = messages.map((message) => messageLeaf(manifest.l2Contracts.l2AssetRouter, keccak256(message)))
  const executed = await read<bigint>('totalExecuted')
  const { batch: forged } = await forgeBatch(l1, beta.settlement, beta.operator.privateKey, leaves)
  const key = beta.operator.privateKey
  assert.equal(await read<bigint>('totalExecuted'), executed + 1n, 'the development verifier let the forged batch settle')

  // Its proof against L1's newest root, built from the chains as anyone could.
  await index.sync()
  const snapshot = (index.store.prepare('SELECT MAX(block_number) AS b FROM sl_roots WHERE sl_chain_id = ?').get(manifest.l1.chainId) as { b: number }).b
  const state = settlementLayerStateAt(index.store, manifest.l1.chainId, snapshot)
  const proofOf = (i: number) =>
    buildInteropProof({
      slChainId: manifest.l1.chainId,
      slBlockNumber: snapshot,
      messageSender: manifest.l2Contracts.l2AssetRouter,
      bundleHash: keccak256(messages[i]!),
      sourceChainId: 272,
      batchNumber: forged.batchNumber,
      messageLeaves: leaves,
      batchMessageRoots: state.batchMessageRoots.get(272)!,
      chains: state.chains,
    }).proof
  const router = { address: manifest.l1.contracts.assetRouter, abi: c.l1AssetRouterAbi, functionName: 'finalizeWithdrawal' } as const
  const ledger = (chainId: number) => l1.client.readContract({ address: manifest.l1.contracts.nativeTokenVault, abi: c.l1NativeTokenVaultAbi, functionName: 'chainBalance', args: [BigInt(chainId), assetId] }) as Promise<bigint>
  const held = () => l1.client.readContract({ address: token, abi: c.testTokenAbi, functionName: 'balanceOf', args: [manifest.l1.contracts.nativeTokenVault] }) as Promise<bigint>

  // More than beta ever held: refused, whatever the proof says.
  const refused = await rejectsWith(l1.write(key, { ...router, args: [272n, messages[0]!, proofOf(0)] }), 'InsufficientChainBalance')
  assert.deepEqual(refused.errorArgs, [272n, assetId, 500n, 1_200n])
  // Up to beta's own balance the forgery goes through: that is all a compromised chain can take.
  const stolen = await l1.write(key, { ...router, args: [272n, messages[1]!, proofOf(1)] })
  assert.equal(await ledger(272), 0n)
  assert.equal(await ledger(271), 1_000n, "alpha's balance in the ledger is untouched")
  assert.equal(await held(), 1_000n, "the vault still holds alpha's deposits")

  // It came out of beta's depositors' share; the audit names it (and nothing else).
  await index.sync()
  const { forgedWithdrawals, ...rest } = await auditLedger(index)
  assert.deepEqual(forgedWithdrawals.map(({ chainId, assetId, l1Receiver, amount, txHash }) => ({ chainId, assetId, l1Receiver, amount, txHash })), [
    { chainId: 272, assetId, l1Receiver: attacker, amount: 500n, txHash: stolen.transactionHash },
  ])
  assert.deepEqual(rest, { forgedBundles: [], refusedTransfers: [], unchecked: 0 })
})
