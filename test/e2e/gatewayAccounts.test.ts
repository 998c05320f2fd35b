// L1's ledger keeps one account for the Gateway, what its chains hold together, and the Gateway's asset
// tracker splits it between them (docs/protocol.md §9.10, §9.11). Alpha and beta settle on the Gateway,
// gamma on L1. Value between two Gateway chains never touches L1; value leaving the Gateway moves from its
// account to the destination's; a message is charged to the account of the layer its batch settled on, so
// withdrawals in flight while a chain moves come out of the right account; and a Gateway chain that spends
// value whose credit from L1 has not arrived waits, saying why, until it does.
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { type Address, type Hex } from 'viem'
import { ChainConnection } from '../../src/chain/ChainConnection.js'
import * as c from '../../src/contracts/generated/index.js'
import { ethDepositedAtStart } from '../../src/network/fundOperators.js'
import { GATEWAY_CHAIN_ID } from '../../src/network/startNetwork.js'
import { ethAssetId } from '../../src/protocol/index.js'
import { auditLedger, deposit, finalizeWithdrawal, getBalances, getMessageStatus, JunctionIndex, ProofNotReadyError, transfer, waitForDeposit, waitForMessage, withdraw } from '../../src/sdk/index.js'
import { NetworkServices } from '../../src/services/NetworkServices.js'
import { migrateChain } from '../../src/settlement/migrateChain.js'
import { approvalWaits } from '../../src/store/approvalWaits.js'
import { openStore } from '../../src/store/openStore.js'
import { eventually } from '../support/e2e.js'
import { runJunction } from '../support/junctionProcess.js'
import { chainNamed, startTestNetwork, walletFor } from '../support/testNetwork.js'

let network: Awaited<ReturnType<typeof startTestNetwork>>
let services: NetworkServices
let l1: ChainConnection
let index: JunctionIndex
let token: Address
let assetId: Hex
let user: { address: Address; privateKey: Hex }

before(async () => {
  network = await startTestNetwork({ chains: 3, onGateway: ['alpha', 'beta'] })
  services = network.services!
  l1 = new ChainConnection(network.manifest.l1)
  index = new JunctionIndex(network.manifest)
  user = network.manifest.accounts.users[3]!
  token = (await l1.deploy(user.privateKey, { abi: c.testTokenAbi, bytecode: c.testTokenBytecode, args: ['Account', 'ACC', 18], action: 'deploy TestToken' })).address
  await l1.write(user.privateKey, { address: token, abi: c.testTokenAbi, functionName: 'mint', args: [user.address, 10_000n] })
})
after(async () => {
  if (services !== network?.services) await services?.stop()
  await network?.close()
})

const vault = () => ({ address: network.manifest.l1.contracts.nativeTokenVault, abi: c.l1NativeTokenVaultAbi }) as const
const chainAccount = (chainId: number) => l1.client.readContract({ ...vault(), functionName: 'chainBalance', args: [BigInt(chainId), assetId] }) as Promise<bigint>
const gatewayAccount = () => l1.client.readContract({ ...vault(), functionName: 'settlementLayerBalance', args: [BigInt(GATEWAY_CHAIN_ID), assetId] }) as Promise<bigint>
const gatewayChain = () => chainNamed(network, 'gateway')
const tracked = (chainId: number) =>
  new ChainConnection(gatewayChain()).client.readContract({ address: gatewayChain().gatewayContracts!.assetTracker, abi: c.gatewayAssetTrackerAbi, functionName: 'balanceOf', args: [BigInt(chainId), assetId] }) as Promise<bigint>
const supplies = async () => Object.fromEntries((await getBalances(index, { token })).chains.map((chain) => [chain.name, chain.totalSupply]))

/** Restarts the services on the same store, with the ledger keeper running or not (a keeper that is down). */
async function restartServices(options: { ledgerKeeper: boolean }): Promise<void> {
  await services.stop()
  services = new NetworkServices({ manifest: network.manifest, dataDir: network.dataDir, ledgerKeeper: options.ledgerKeeper })
  services.start()
}

/** Waits until every ledger is in step (nothing in flight), and checks the accounts: each chain's ledger is its supply, the Gateway's account is its chains'. */
async function settledAccounts(expected: { gateway: bigint; gamma: bigint }) {
  const view = await eventually('the ledgers in step', async () => {
    const v = await getBalances(index, { token })
    const inStep = v.chains.every((chain) => chain.ledger === chain.totalSupply) && v.settlementLayers.every((sl) => sl.l1Ledger === sl.chains) && (await gatewayAccount()) === expected.gateway
    return inStep ? v : undefined
  }, { timeoutMs: 60_000 })
  assert.equal(await chainAccount(273), expected.gamma)
  const accounts = view.chains.reduce((sum, chain) => sum + chain.l1Ledger, 0n) + view.settlementLayers.reduce((sum, sl) => sum + sl.l1Ledger, 0n)
  assert.equal(view.vault, accounts, "the vault holds every account: each chain's own (the Gateway chain's too) and the Gateway's")
  return view
}

async function send(from: string, to: number, amount: bigint) {
  const { bundleHash } = await transfer(walletFor(chainNamed(network, from), user.privateKey), { manifest: network.manifest, assetId, amount, destinationChainId: to })
  return bundleHash
}

/** Finalizes a withdrawal once it can be proven (and its account can pay it). */
const finalized = (chainId: number, transactionHash: Hex) =>
  eventually('the withdrawal finalized', async () => {
    try {
      return await finalizeWithdrawal(walletFor(network.manifest.l1, user.privateKey), index, { chainId, transactionHash })
    } catch (error) {
      if (error instanceof ProofNotReadyError) return undefined
      throw error
    }
  }, { timeoutMs: 60_000 })

test("value between two Gateway chains never touches L1; value leaving the Gateway moves from its L1 account to the destination's, and back", async () => {
  const { manifest } = network
  const l1Wallet = walletFor(manifest.l1, user.privateKey)
  await deposit(l1Wallet, { manifest, chainId: 271, token, amount: 1_000n })
  ;({ assetId } = await deposit(l1Wallet, { manifest, chainId: 273, token, amount: 500n }))
  await settledAccounts({ gateway: 1_000n, gamma: 500n })
  assert.deepEqual([await chainAccount(271), await tracked(271)], [0n, 1_000n], "alpha's deposit is in the Gateway's account, and the tracker gives it to alpha")

  // alpha → beta: the tracker moves it when alpha's batch executes on the Gateway; the keeper leaves L1 alone.
  await waitForMessage(index, { bundleHash: await send('alpha', 272, 100n), timeoutMs: 60_000 })
  await eventually("the keeper saw alpha's transfer accounted on the Gateway", () =>
    network.services!.store.prepare(`SELECT ledger_status FROM transfers WHERE chain_id = 271 AND ledger_status = 'accounted on ${GATEWAY_CHAIN_ID}'`).get(), { timeoutMs: 30_000 })
  await settledAccounts({ gateway: 1_000n, gamma: 500n })
  assert.deepEqual([await tracked(271), await tracked(272)], [900n, 100n])

  // alpha → gamma: it leaves the Gateway; its tracker says so in a message L1 records (the keeper submits it).
  await waitForMessage(index, { bundleHash: await send('alpha', 273, 200n), timeoutMs: 60_000 })
  const left = await eventually('the settlement-layer transfer recorded on L1', () =>
    network.services!.store.prepare(`SELECT source_chain_id, destination_chain_id, amount FROM settlement_layer_transfers WHERE ledger_status = 'recorded'`).get() as { source_chain_id: number; destination_chain_id: number; amount: string } | undefined, { timeoutMs: 60_000 })
  assert.deepEqual(left, { source_chain_id: 271, destination_chain_id: 273, amount: '200' })
  await settledAccounts({ gateway: 800n, gamma: 700n })

  // gamma → alpha: recorded from gamma's own transfer message; the Gateway's tracker is credited from L1.
  await waitForMessage(index, { bundleHash: await send('gamma', 271, 50n), timeoutMs: 60_000 })
  await settledAccounts({ gateway: 850n, gamma: 650n })
  assert.deepEqual([await tracked(271), await tracked(272)], [750n, 100n])
  assert.deepEqual(await supplies(), { alpha: 750n, beta: 100n, gamma: 650n, gateway: 0n })
})

test('withdrawals in flight while a chain moves are charged to the account of the layer their batch settled on', async () => {
  const { manifest } = network
  const gammaWallet = walletFor(chainNamed(network, 'gamma'), user.privateKey)
  // A withdrawal from gamma while it settles on L1, not finalized before gamma moves to the Gateway.
  const onL1 = await withdraw(gammaWallet, { manifest, assetId, amount: 150n })
  // Its batch executed on L1 before the move starts: else the move may seal it after its last batch on L1, and
  // it settles on the Gateway instead (a full CI run once saw 650 moved and nothing kept back).
  const { blockNumber } = await new ChainConnection(chainNamed(network, 'gamma')).client.getTransactionReceipt({ hash: onL1.transactionHash })
  await eventually("gamma's withdrawal in a batch executed on L1", () =>
    services.store.prepare('SELECT 1 AS ok FROM sl_batches WHERE chain_id = 273 AND sl_chain_id = ? AND executed_block IS NOT NULL AND last_block >= ?').get(manifest.l1.chainId, Number(blockNumber)), { timeoutMs: 60_000 })
  const moved = await migrateChain({ manifest, store: services.store, chainId: 273, to: 'gateway' })
  const token = moved.balances.find((b) => b.assetId.toLowerCase() === assetId.toLowerCase())
  assert.deepEqual([token?.amount, token?.reserved], [500n, 150n], 'gamma takes 500 along and keeps back the 150 its withdrawal will take')
  assert.deepEqual([await chainAccount(273), await gatewayAccount(), await tracked(273)], [150n, 1_350n, 500n])
  await finalized(273, onL1.transactionHash)
  assert.deepEqual([await chainAccount(273), await gatewayAccount()], [0n, 1_350n], "charged to gamma's own account, not the Gateway's")

  // A withdrawal from gamma on the Gateway, not finalized before gamma comes back to L1.
  const onGateway = await withdraw(gammaWallet, { manifest, assetId, amount: 100n })
  await eventually('the Gateway approved it', async () => ((await tracked(273)) === 400n ? true : undefined), { timeoutMs: 60_000 })
  const back = await migrateChain({ manifest, store: services.store, chainId: 273, to: 'l1' })
  // What the tracker held for gamma: the token, and the ETH deposited to gamma at start (dev users and operator).
  const ethAsset = ethAssetId({ l1ChainId: manifest.l1.chainId, l1Vault: manifest.l1.contracts.nativeTokenVault }).toLowerCase()
  const ethAtStart = ethDepositedAtStart(manifest)
  assert.deepEqual(new Map(back.balances.map((b) => [b.assetId.toLowerCase(), b.amount])), new Map([[ethAsset, ethAtStart], [assetId.toLowerCase(), 400n]]), 'gamma brings back what the tracker held for it')
  assert.deepEqual([await chainAccount(273), await gatewayAccount(), await tracked(273)], [400n, 950n, 0n], "the Gateway's account still holds the withdrawal in flight")
  await finalized(273, onGateway.transactionHash)
  assert.deepEqual([await chainAccount(273), await gatewayAccount()], [400n, 850n], "charged to the Gateway's account, where its batch settled")
  await settledAccounts({ gateway: 850n, gamma: 400n })
})

test('a Gateway chain that spends value whose credit from L1 has not arrived waits, and its status says why, until the credit comes', async () => {
  const { manifest } = network
  // The ledger keeper is down: transfers from gamma (on L1) are not recorded, so the Gateway is not credited.
  await restartServices({ ledgerKeeper: false })
  await waitForMessage(index, { bundleHash: await send('gamma', 271, 60n), timeoutMs: 60_000 })
  assert.equal((await supplies()).alpha, 810n, 'alpha minted it')
  assert.equal(await tracked(271), 750n, 'the Gateway has not been credited')
  // alpha spends more than the Gateway knows it has: its batch waits for the credit.
  const spend = await send('alpha', 272, 800n)
  const waiting = await eventually('the status says the batch waits', async () => {
    const status = await getMessageStatus(new JunctionIndex(manifest, { store: services.store, syncFromChains: false }), { bundleHash: spend, simulate: false })
    return status.waiting ? status : undefined
  }, { timeoutMs: 60_000 })
  assert.equal(waiting.status, 'proven')
  assert.match(waiting.waiting!, new RegExp(`^batch \\d+ waits for a credit: the chain holds 750 of asset ${assetId} on its Gateway, the batch moves 800`))
  const [wait] = approvalWaits(services.store, 271)
  assert.deepEqual([wait?.slChainId, wait?.balance, wait?.amount], [GATEWAY_CHAIN_ID, 750n, 800n])
  const status = await runJunction(['status', '--data-dir', network.dataDir])
  assert.match(status.stdout, new RegExp(`^alpha: batch ${wait!.batchNumber} waits for a credit: the chain holds 750 of asset ${assetId}`, 'm'), status.stdout)

  // The keeper is back: it records gamma's transfer, the Gateway credits alpha, the batch executes, the bundle arrives.
  await restartServices({ ledgerKeeper: true })
  await waitForMessage(index, { bundleHash: spend, timeoutMs: 60_000 })
  assert.deepEqual(approvalWaits(services.store), [], 'nothing waits any more')
  await settledAccounts({ gateway: 910n, gamma: 340n })
  assert.deepEqual([await tracked(271), await tracked(272)], [10n, 900n])
})

test("value L1 records for a chain on its way back to L1 is credited by the Gateway until it lets the chain go, then goes to the chain's own account", async () => {
  const { manifest } = network
  // Beta minted a transfer from gamma that L1 has not recorded yet (the keeper is down), and spends it.
  await restartServices({ ledgerKeeper: false })
  await waitForMessage(index, { bundleHash: await send('gamma', 272, 30n), timeoutMs: 60_000 })
  const betaSettlement = { address: chainNamed(network, 'beta').settlement, abi: c.chainSettlementAbi } as const
  const gateway = new ChainConnection(gatewayChain())
  await eventually("beta's batches (and the roots it imported) settled", async () => {
    const [committed, executed] = await Promise.all([gateway.client.readContract({ ...betaSettlement, functionName: 'totalCommitted' }), gateway.client.readContract({ ...betaSettlement, functionName: 'totalExecuted' })])
    return committed === executed ? true : undefined
  }, { timeoutMs: 60_000 })
  const spend = await send('beta', 271, 925n)
  await eventually("beta's spend waits for the credit", () => (approvalWaits(services.store, 272).length > 0 ? true : undefined), { timeoutMs: 60_000 })

  // Beta starts back to L1. Once L1 refuses deposits to it (it is on its way), the keeper comes back and
  // records gamma's transfer: the Gateway still holds beta's balances, so it is credited there, the spend
  // executes, and beta can leave. After the Gateway let beta go, a transfer L1 records for it goes back to
  // beta's own account.
  const store = openStore(join(network.dataDir, 'junction.db'))
  let late: Hex | undefined
  try {
    await migrateChain({
      manifest,
      store,
      chainId: 272,
      to: 'l1',
      stepTimeoutMs: 60_000,
      onStep: async (step) => {
        if (step.name === 'deposits paused on L1') {
          await restartServices({ ledgerKeeper: true })
        }
        if (step.name === 'left gateway') {
          // Released, not back on L1 yet: L1 credits the Gateway, which no longer has beta and sends it back.
          late = await send('gamma', 272, 20n)
          await eventually('the Gateway sent the late credit back and L1 recorded it, before beta is back', () =>
            services.store.prepare(`SELECT 1 AS ok FROM settlement_layer_transfers WHERE source_chain_id = 272 AND destination_chain_id = 272 AND amount = '20' AND ledger_status = 'recorded'`).get(), { timeoutMs: 60_000 })
          const l1Registry = { address: manifest.l1.contracts.chainRegistry, abi: c.chainRegistryAbi } as const
          assert.equal(await new ChainConnection(manifest.l1).client.readContract({ ...l1Registry, functionName: 'isMigrating', args: [272n] }), true, 'beta is still on its way')
          assert.equal(await chainAccount(272), 20n, "the credit sent back went to beta's own account")
        }
      },
    })
  } finally {
    store.close()
  }
  await waitForMessage(index, { bundleHash: spend, timeoutMs: 60_000 })
  await waitForMessage(index, { bundleHash: late!, timeoutMs: 60_000 })
  await settledAccounts({ gateway: 935n, gamma: 290n })
  assert.deepEqual([await chainAccount(272), await tracked(271), await tracked(272)], [25n, 935n, 0n], "beta's own account: the 5 it took back and the late 20")
})

test('the ledger keeper tries again a transfer L1 refused because its source is short, once the transfer into the source is recorded', async () => {
  const { manifest } = network
  await restartServices({ ledgerKeeper: false })
  // The Gateway chain (on L1, like gamma) gets 100, sends 50 to gamma, and gamma sends everything it holds
  // (its 290 and those 50) to alpha, all before L1 recorded any of it.
  const gatewayChainId = gatewayChain().chainId
  const { requestIndex } = await deposit(walletFor(manifest.l1, user.privateKey), { manifest, chainId: gatewayChainId, token, amount: 100n })
  await waitForDeposit(new ChainConnection(gatewayChain()).client, { manifest, requestIndex })
  await waitForMessage(index, { bundleHash: await send('gateway', 273, 50n), timeoutMs: 60_000 })
  await waitForMessage(index, { bundleHash: await send('gamma', 271, 340n), timeoutMs: 60_000 })
  // The keeper comes back and takes gamma's transfer first (it goes chain by chain): L1 refuses it for now,
  // the keeper records the Gateway chain's, and then gamma's on its next try.
  await restartServices({ ledgerKeeper: true })
  const refused = await eventually("L1 refused gamma's transfer for now", () =>
    services.store.prepare(`SELECT ledger_status, attempts FROM transfers WHERE chain_id = 273 AND amount = '340' AND ledger_status LIKE 'refused%'`).get() as { ledger_status: string; attempts: number } | undefined, { timeoutMs: 60_000, intervalMs: 10 })
  assert.match(refused.ledger_status, /^refused: InsufficientChainBalance\(273, /)
  assert.equal(refused.attempts, 1, 'refused once, tried again later')
  await settledAccounts({ gateway: 1_275n, gamma: 0n })
  const gammaOut = services.store.prepare(`SELECT ledger_status FROM transfers WHERE chain_id = 273 AND amount = '340'`).get() as { ledger_status: string }
  assert.equal(gammaOut.ledger_status, 'recorded')
  assert.deepEqual(await auditLedger(new JunctionIndex(manifest, { store: services.store, syncFromChains: false })), { forgedBundles: [], forgedWithdrawals: [], refusedTransfers: [], unchecked: 0 })
})
