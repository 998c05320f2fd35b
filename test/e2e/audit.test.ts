// What L1's ledger does not stop (docs/protocol.md §9.9): beta, settling on L1, has its operator settle a
// forged batch holding a bundle its InteropCenter never sent, with one call "from" its asset router
// minting tokens on alpha and one carrying ETH beta never had. Alpha can only check the proof against an
// L1 root, and it holds: the mint happens and alpha's base-token holder releases the ETH. The minted
// tokens are alpha's like any other, and leave over the bridge out of alpha's account in L1's ledger, that
// is out of alpha's depositors' share. `auditLedger` and `junction audit` name that bundle, with what it
// minted and released, after the fact.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { erc20Abi, keccak256, parseEther, zeroAddress, type Address, type Hex } from 'viem'
import { ChainConnection } from '../../src/chain/ChainConnection.js'
import * as c from '../../src/contracts/generated/index.js'
import { settlementLayerStateAt } from '../../src/indexer/buildProofFromStore.js'
import { L1_CHAIN_ID } from '../../src/network/startNetwork.js'
import { BundleStatus, bundleHash, buildInteropProof, encodeBundle, encodeTransferPayload, messageLeaf, type InteropBundle } from '../../src/protocol/index.js'
import { auditLedger, deposit, finalizeWithdrawal, getBalances, JunctionIndex, ProofNotReadyError, withdraw } from '../../src/sdk/index.js'
import { NetworkServices } from '../../src/services/NetworkServices.js'
import { requestPause } from '../../src/store/settlementPauses.js'
import { eventually } from '../support/e2e.js'
import { forgeBatch } from '../support/forgeBatch.js'
import { runJunction } from '../support/junctionProcess.js'
import { chainNamed, startTestNetwork, walletFor } from '../support/testNetwork.js'

let network: Awaited<ReturnType<typeof startTestNetwork>>
let services: NetworkServices | undefined
let l1: ChainConnection
let token: Address
let user: { address: Address; privateKey: Hex }

before(async () => {
  network = await startTestNetwork()
  services = network.services
  l1 = new ChainConnection(network.manifest.l1)
  user = network.manifest.accounts.users[2]!
  token = (await l1.deploy(user.privateKey, { abi: c.testTokenAbi, bytecode: c.testTokenBytecode, args: ['Safe', 'SAFE', 18], action: 'deploy TestToken' })).address
  await l1.write(user.privateKey, { address: token, abi: c.testTokenAbi, functionName: 'mint', args: [user.address, 1_000n] })
})
after(async () => {
  if (services !== network?.services) await services?.stop()
  await network?.close()
})

test('a chain on L1 that forges a bundle minting on another chain: the mint happens, and the audit names it', async () => {
  const { manifest } = network
  const alpha = chainNamed(network, 'alpha')
  const beta = chainNamed(network, 'beta')
  const alphaChain = new ChainConnection(alpha)
  const { assetId } = await deposit(walletFor(manifest.l1, user.privateKey), { manifest, chainId: 271, token, amount: 1_000n })
  const index = () => new JunctionIndex(manifest, { store: services!.store, syncFromChains: false })
  const alphaRow = async () => (await getBalances(index(), { token, account: user.address })).chains.find((chain) => chain.chainId === 271)!
  await eventually("the deposit minted on alpha and counted in alpha's L1 account", async () => {
    const row = await alphaRow()
    return row.account === 1_000n && row.ledger === 1_000n ? true : undefined
  }, { timeoutMs: 30_000 })

  // Beta's honest batches all executed and no new one committed; then the honest services stop: from
  // here the test is beta's malicious operator (alpha's operator stays honest).
  const betaSettlement = { address: beta.settlement, abi: c.chainSettlementAbi } as const
  requestPause(services!.store, 'commits', 272)
  await eventually("beta's committed batches executed", async () => {
    const [committed, executed] = await Promise.all([l1.client.readContract({ ...betaSettlement, functionName: 'totalCommitted' }), l1.client.readContract({ ...betaSettlement, functionName: 'totalExecuted' })])
    return committed === executed ? true : undefined
  }, { timeoutMs: 30_000 })
  await services!.stop()

  // The forged bundle: one call from beta's asset router to alpha's, minting 600 SAFE to the attacker, and
  // one carrying 1 ETH to alpha's example recipient.
  const attacker = beta.operator
  const router = manifest.l2Contracts.l2AssetRouter
  const recipient = manifest.l2Contracts.exampleRecipient
  const holder = { address: manifest.l2Contracts.baseTokenHolder, abi: c.baseTokenHolderAbi, functionName: 'bridgedBalance' } as const
  const bridgedEthBefore = await alphaChain.client.readContract(holder)
  const recipientEthBefore = await alphaChain.client.getBalance({ address: recipient })
  const bundle: InteropBundle = {
    version: 1n,
    sourceChainId: 272n,
    destinationChainId: 271n,
    salt: keccak256('0x0bad'),
    calls: [
      { to: router, from: router, value: 0n, data: encodeTransferPayload({ assetId, originChainId: BigInt(L1_CHAIN_ID), originToken: token, name: 'Safe', symbol: 'SAFE', decimals: 18, receiver: attacker.address, amount: 600n }) },
      { to: recipient, from: attacker.address, value: parseEther('1'), data: '0x' },
    ],
    executionAddress: zeroAddress,
    unbundler: zeroAddress,
  }
  const hash = bundleHash(bundle)
  const leaves = [messageLeaf(manifest.l2Contracts.interopCenter, hash)]
  const { batch, execution } = await forgeBatch(l1, beta.settlement, attacker.privateKey, leaves)
  assert.equal(await l1.client.readContract({ ...betaSettlement, functionName: 'totalExecuted' }), batch.batchNumber, 'the development verifier let the forged batch settle on L1')

  // L1's root after it, imported into alpha by alpha's operator, as alpha's root importer does for any message waiting for it.
  const root = (await l1.client.readContract({ address: manifest.l1.contracts.messageRoot, abi: c.messageRootAbi, functionName: 'historicalRoot', args: [execution.blockNumber] })) as Hex
  await alphaChain.write(alpha.operator.privateKey, { address: manifest.l2Contracts.interopRootStore, abi: c.interopRootStoreAbi, functionName: 'addInteropRoot', args: [BigInt(L1_CHAIN_ID), execution.blockNumber, root] })

  // The honest services come back (beta's commits still paused); once they have indexed the forged batch,
  // anyone can build its proof from what the chains show.
  services = new NetworkServices({ manifest, dataDir: network.dataDir })
  services.start()
  const store = services.store
  await eventually('the indexers saw the forged batch executed on L1', () =>
    store.prepare('SELECT 1 AS ok FROM sl_batches WHERE sl_chain_id = ? AND chain_id = 272 AND batch_number = ? AND executed_block IS NOT NULL').get(L1_CHAIN_ID, Number(batch.batchNumber)), { timeoutMs: 30_000 })
  const state = settlementLayerStateAt(store, L1_CHAIN_ID, Number(execution.blockNumber))
  const { proof, sharedRoot } = buildInteropProof({
    slChainId: L1_CHAIN_ID,
    slBlockNumber: execution.blockNumber,
    messageSender: manifest.l2Contracts.interopCenter,
    bundleHash: hash,
    sourceChainId: 272,
    batchNumber: batch.batchNumber,
    messageLeaves: leaves,
    batchMessageRoots: state.batchMessageRoots.get(272)!,
    chains: state.chains,
  })
  assert.equal(sharedRoot, root.toLowerCase())

  // The attacker executes it on alpha: the proof holds, the mint happens.
  const handler = { address: manifest.l2Contracts.interopHandler, abi: c.interopHandlerAbi } as const
  const executed = await alphaChain.write(attacker.privateKey, { ...handler, functionName: 'executeBundle', args: [encodeBundle(bundle), proof] })
  assert.equal(await alphaChain.client.readContract({ ...handler, functionName: 'bundleStatus', args: [encodeBundle(bundle)] }), BundleStatus.Executed)
  const safeOnAlpha = (await alphaRow()).token!
  const balanceOnAlpha = (account: Address) => alphaChain.client.readContract({ address: safeOnAlpha, abi: erc20Abi, functionName: 'balanceOf', args: [account] })
  assert.equal(await balanceOnAlpha(attacker.address), 600n, 'alpha minted the forged 600 SAFE')
  assert.equal(await balanceOnAlpha(user.address), 1_000n)
  const minted = await alphaRow()
  assert.deepEqual([minted.totalSupply, minted.ledger], [1_600n, 1_000n], "alpha's supply is now more than its L1 account")
  // And its base-token holder released 1 ETH that never came over the bridge: alpha's ETH exceeds its ETH account on L1.
  assert.equal(await alphaChain.client.getBalance({ address: recipient }), recipientEthBefore + parseEther('1'))
  assert.equal(await alphaChain.client.readContract(holder), bridgedEthBefore + parseEther('1'))
  const eth = (await getBalances(index(), { eth: true })).chains.find((chain) => chain.chainId === 271)!
  assert.equal(eth.totalSupply, eth.ledger + parseEther('1'), "alpha's bridged ETH is 1 ETH more than its ETH account on L1")

  // They are alpha's tokens like any other: withdrawn, L1 pays them out of alpha's account, the user's deposit.
  const { transactionHash } = await withdraw(walletFor(alpha, attacker.privateKey), { manifest, assetId, amount: 600n })
  await eventually('the attacker withdrew the minted tokens on L1', async () => {
    try {
      return await finalizeWithdrawal(walletFor(manifest.l1, attacker.privateKey), index(), { chainId: 271, transactionHash })
    } catch (error) {
      if (error instanceof ProofNotReadyError) return undefined
      throw error
    }
  }, { timeoutMs: 30_000 })
  assert.equal(await l1.client.readContract({ address: token, abi: erc20Abi, functionName: 'balanceOf', args: [attacker.address] }), 600n)
  const after = await alphaRow()
  assert.deepEqual([after.account, after.ledger], [1_000n, 400n], "the user still holds 1,000 on alpha; alpha's L1 account backs 400 of them")

  // The audit names that bundle, with what it minted and released, and nothing else (the withdrawal was recorded on alpha).
  const audit = await eventually('the index has read alpha past the execution', async () => {
    const found = await auditLedger(index())
    return found.forgedBundles.length > 0 && found.unchecked === 0 ? found : undefined
  }, { timeoutMs: 30_000 })
  assert.deepEqual(audit, {
    forgedBundles: [{ chainId: 271, sourceChainId: 272, bundleHash: hash, txHash: executed.transactionHash, blockNumber: Number(executed.blockNumber), tokens: [{ assetId, amount: 600n }], value: parseEther('1') }],
    forgedWithdrawals: [],
    refusedTransfers: [],
    unchecked: 0,
  })

  // So does `junction audit`, which exits 1.
  const cli = await runJunction(['audit', '--data-dir', network.dataDir])
  assert.equal(cli.code, 1, cli.stdout + cli.stderr)
  assert.match(cli.stdout, /^forged bundles: 1 executed that no InteropCenter sent$/m)
  const row = cli.stdout.split('\n').find((line) => line.includes(hash))
  assert.ok(row, cli.stdout)
  assert.deepEqual(row.split(/\s+/), ['alpha', 'beta', hash, executed.transactionHash, `${assetId}:`, '600', String(parseEther('1'))])
  assert.match(cli.stdout, /^forged withdrawals: none finalized$/m)
  assert.match(cli.stdout, /^transfers refused by the L1 ledger: none$/m)
})
