// What anyone can deposit must not break a chain on the Gateway (docs/protocol.md §7.3, §9.1, §11). A
// stranger deposits 1 unit of 60 new tokens to gamma: gamma still moves to the Gateway (its activation
// does not grow with what it holds; its balances follow in bounded credits, and L1 moves them in as many
// transactions as needed, which a move cut short finishes when asked again), settles there, and its
// messages are delivered. A token whose name is 300 KB is
// deposited to alpha on the Gateway: the deposit carries a bounded name, the Gateway passes it on, and L1's
// count of alpha's queue stays exact, so a later failed deposit of alpha is claimed back on L1.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { getAbiItem, parseEther, parseEventLogs, stringToHex, type Address, type Hex } from 'viem'
import { ChainConnection } from '../../src/chain/ChainConnection.js'
import * as c from '../../src/contracts/generated/index.js'
import { GATEWAY_CHAIN_ID } from '../../src/network/startNetwork.js'
import { auditLedger, claimFailedDeposit, deposit, depositETH, getBalances, JunctionIndex, ProofNotReadyError, sendMessage, waitForDeposit, waitForMessage, type GetBalancesParameters } from '../../src/sdk/index.js'
import { ChainAlreadyThereError, migrateChain, type MigrationStep } from '../../src/settlement/migrateChain.js'
import { eventually } from '../support/e2e.js'
import { chainNamed, startTestNetwork, walletFor } from '../support/testNetwork.js'

let network: Awaited<ReturnType<typeof startTestNetwork>>
let l1: ChainConnection
let index: JunctionIndex
let user: { address: Address; privateKey: Hex }
/** The tokens deposited to gamma, 1 unit each. */
const dust: { token: Address; requestIndex: bigint }[] = []

before(async () => {
  network = await startTestNetwork({ chains: 3, onGateway: ['alpha', 'beta'] })
  l1 = new ChainConnection(network.manifest.l1)
  index = new JunctionIndex(network.manifest)
  user = network.manifest.accounts.users[2]!
})
after(async () => {
  await network?.close()
})

const GAMMA = 273
const ALPHA = 271
const gateway = () => new ChainConnection(chainNamed(network, 'gateway'))
const tracked = (chainId: number, assetId: Hex) =>
  gateway().client.readContract({ address: chainNamed(network, 'gateway').gatewayContracts!.assetTracker, abi: c.gatewayAssetTrackerAbi, functionName: 'balanceOf', args: [BigInt(chainId), assetId] }) as Promise<bigint>

/** Deploys `count` new tokens on L1 and deposits 1 unit of each to gamma, 20 to a transaction; waits until gamma has them. */
async function depositDust(count: number) {
  const { manifest } = network
  const depositor = (await l1.deploy(user.privateKey, { abi: c.dustDepositorAbi, bytecode: c.dustDepositorBytecode, args: [], action: 'deploy DustDepositor' })).address
  for (let left = count; left > 0; left -= 20) {
    const receipt = await l1.write(user.privateKey, {
      address: depositor,
      abi: c.dustDepositorAbi,
      functionName: 'depositNewTokens',
      args: [manifest.l1.contracts.assetRouter, manifest.l1.contracts.nativeTokenVault, BigInt(GAMMA), user.address, BigInt(Math.min(20, left)), 1n],
      action: `deposit ${Math.min(20, left)} new tokens to gamma`,
    })
    for (const log of parseEventLogs({ abi: c.dustDepositorAbi, eventName: 'DustDeposited', logs: receipt.logs })) dust.push({ token: log.args.token, requestIndex: log.args.requestIndex })
  }
  await waitForDeposit(new ChainConnection(chainNamed(network, 'gamma')).client, { manifest, requestIndex: dust.at(-1)!.requestIndex })
}

/** Waits until, for each asset, every ledger is in step: each chain's ledger is its supply, each Gateway's L1 account is the sum of its chains. */
async function ledgersReconcile(assets: GetBalancesParameters[]) {
  for (const asset of assets) {
    await eventually(`the ledgers of ${asset.token ?? 'ETH'} in step`, async () => {
      const view = await getBalances(index, asset)
      const inStep = view.chains.every((chain) => chain.ledger === chain.totalSupply) && view.settlementLayers.every((sl) => sl.l1Ledger === sl.chains)
      return inStep ? true : undefined
    }, { timeoutMs: 60_000 })
  }
  const audit = await auditLedger(new JunctionIndex(network.manifest, { store: network.services!.store, syncFromChains: false }))
  assert.deepEqual(audit, { forgedBundles: [], forgedWithdrawals: [], refusedTransfers: [], unchecked: 0 })
}

test('gamma, holding 60 assets a stranger deposited, moves to the Gateway: its batches settle there, its messages are delivered, and the tracker credits it every asset', async () => {
  const { manifest } = network
  // 1 unit of 60 new tokens to gamma, 20 to a transaction (each one deploys the tokens and deposits them).
  await depositDust(60)
  assert.equal(dust.length, 60)

  // The move, as `junction migrate` makes it, with L1's part split into transactions of 25 assets at most.
  // It is cut short after its first transaction (as if the process stopped): gamma settles on the Gateway,
  // most of its tokens still in its own L1 account. Asked again, the migration moves them.
  const vault = { address: manifest.l1.contracts.nativeTokenVault, abi: c.l1NativeTokenVaultAbi } as const
  const assets = await Promise.all(dust.map(({ token }) => l1.client.readContract({ ...vault, functionName: 'assetId', args: [token] }) as Promise<Hex>))
  const ownAccount = () => Promise.all(assets.map((assetId) => l1.client.readContract({ ...vault, functionName: 'chainBalance', args: [BigInt(GAMMA), assetId] }) as Promise<bigint>))
  const store = network.services!.store
  const stopped = new Error('stopped after the first L1 transaction')
  const cut: MigrationStep[] = []
  const parameters = { manifest, store, chainId: GAMMA, to: 'gateway', maxAssetsPerTransaction: 25, stepTimeoutMs: 60_000 } as const
  await assert.rejects(
    migrateChain({ ...parameters, onStep: (step) => { cut.push(step); if (step.name.startsWith('balances moved')) throw stopped } }),
    (error) => error === stopped,
  )
  assert.equal(cut.at(-1)!.name.replace(/ of \d+/, ''), 'balances moved: 25 assets', cut.map((step) => step.name).join(', '))
  const left = (await ownAccount()).filter((amount) => amount > 0n).length
  assert.ok(left >= 35 && left < 60, `gamma left ${left} of its 60 tokens in its own L1 account`)
  const steps: MigrationStep[] = []
  const moved = await migrateChain({ ...parameters, onStep: (step) => void steps.push(step) })
  assert.deepEqual(steps.map((step) => step.name), [`balances moved: 25 of ${left} assets`, `balances moved: ${left} of ${left} assets`])
  assert.equal(moved.balances.filter((b) => b.amount > 0n).length, left)
  await assert.rejects(migrateChain(parameters), ChainAlreadyThereError)

  // Every token credited to gamma on the Gateway, and none left in gamma's own L1 account.
  const credited = await Promise.all(assets.map((assetId) => tracked(GAMMA, assetId)))
  assert.deepEqual(credited, assets.map(() => 1n))
  assert.deepEqual(await ownAccount(), assets.map(() => 0n))

  // gamma settles on the Gateway, and a message from it is delivered.
  const { bundleHash } = await sendMessage(walletFor(chainNamed(network, 'gamma'), user.privateKey), {
    interopCenter: manifest.l2Contracts.interopCenter,
    recipient: { chainId: ALPHA, address: manifest.l2Contracts.exampleRecipient },
    payload: stringToHex('from gamma, on the Gateway'),
  })
  await waitForMessage(index, { bundleHash, timeoutMs: 60_000 })
  await eventually("gamma's batches executed on the Gateway", () =>
    store.prepare('SELECT 1 AS ok FROM sl_batches WHERE sl_chain_id = ? AND chain_id = ? AND batch_number > ? AND executed_block IS NOT NULL').get(GATEWAY_CHAIN_ID, GAMMA, moved.lastBatch) ? true : undefined, { timeoutMs: 60_000 })
  await ledgersReconcile(dust.map(({ token }) => ({ token })))
})

test("a token whose name is 300 KB, deposited to alpha on the Gateway, breaks neither the Gateway's queue nor L1's count of alpha's: a later failed deposit of alpha is claimed back on L1", async () => {
  const { manifest } = network
  const l1Wallet = walletFor(manifest.l1, user.privateKey)
  const alpha = new ChainConnection(chainNamed(network, 'alpha'))
  const refuser = (await alpha.deploy(user.privateKey, { abi: c.ethRefuserAbi, bytecode: c.ethRefuserBytecode, args: [0n], action: 'deploy EthRefuser' })).address
  const long = (await l1.deploy(user.privateKey, { abi: c.longNameTokenAbi, bytecode: c.longNameTokenBytecode, args: [300_000n, 100n], action: 'deploy LongNameToken' })).address
  await l1.write(user.privateKey, { address: long, abi: c.longNameTokenAbi, functionName: 'mint', args: [user.address, 1_000n] })
  const fromBlock = await alpha.client.getBlockNumber()
  const sent = await deposit(l1Wallet, { manifest, chainId: ALPHA, token: long, amount: 7n })
  // Then an ETH deposit to a contract that refuses ETH: it fails on alpha, and is claimed back on L1.
  const { requestIndex } = await depositETH(l1Wallet, { manifest, chainId: ALPHA, amount: parseEther('0.25'), to: refuser })
  const failed = await eventually('the deposit failed on alpha', async () => {
    const logs = await alpha.client.getLogs({ address: manifest.l2Contracts.priorityInbox, event: getAbiItem({ abi: c.l2PriorityInboxAbi, name: 'PriorityRequestFailed' }), fromBlock, strict: true })
    return logs[0]
  }, { timeoutMs: 60_000 })
  // Claimed with the index of the request that failed on alpha (what its failed-deposit message names).
  const claimed = await eventually('the failed deposit claimed on L1', async () => {
    try {
      return await claimFailedDeposit(l1Wallet, index, { chainId: ALPHA, requestIndex: failed.args.index })
    } catch (error) {
      if (error instanceof ProofNotReadyError) return undefined
      throw error
    }
  }, { timeoutMs: 60_000 })
  assert.equal(failed.args.index, requestIndex, "L1 told the depositor the index alpha's queue gave the deposit")
  assert.deepEqual([claimed.depositor, claimed.amount], [user.address, parseEther('0.25')])

  // The token arrived, with the name and symbol L1 carried: longer than the limit, so none.
  await waitForDeposit(alpha.client, { manifest, requestIndex: sent.requestIndex })
  const bridged = (await alpha.client.readContract({ address: manifest.l2Contracts.l2AssetRouter, abi: c.l2AssetRouterAbi, functionName: 'bridgedToken', args: [sent.assetId] })) as Address
  const read = (functionName: 'name' | 'symbol' | 'balanceOf', args: readonly unknown[] = []) => alpha.client.readContract({ address: bridged, abi: c.bridgedTokenAbi, functionName, args } as never)
  assert.deepEqual([await read('name'), await read('symbol'), await read('balanceOf', [user.address])], ['', '', 7n])
  await ledgersReconcile([{ token: long }, { eth: true }])
})

test("gamma, holding 101 assets on the Gateway, returns to L1: its migration message carries 100, the rest comes back as transfers the ledger keeper records, and every token is in gamma's own L1 account", async () => {
  const { manifest } = network
  // 41 more new tokens, deposited while gamma is on the Gateway (through its queue there).
  await depositDust(41)
  const vault = { address: manifest.l1.contracts.nativeTokenVault, abi: c.l1NativeTokenVaultAbi } as const
  const assets = await Promise.all(dust.map(({ token }) => l1.client.readContract({ ...vault, functionName: 'assetId', args: [token] }) as Promise<Hex>))
  assert.deepEqual(await Promise.all(assets.map((assetId) => tracked(GAMMA, assetId))), assets.map(() => 1n))

  const steps: MigrationStep[] = []
  const back = await migrateChain({ manifest, store: network.services!.store, chainId: GAMMA, to: 'l1', stepTimeoutMs: 60_000, onStep: (step) => void steps.push(step) })
  const names = steps.map((step) => step.name)
  assert.ok(names.some((name) => /^balances sent back: \d+ more, 0 left$/.test(name)) && names.includes('balances sent back recorded on l1'), names.join(', '))
  for (const assetId of assets) assert.equal(back.balances.find((b) => b.assetId.toLowerCase() === assetId.toLowerCase())?.amount, 1n, `1 of ${assetId} came back with gamma`)
  const own = await Promise.all(assets.map((assetId) => l1.client.readContract({ ...vault, functionName: 'chainBalance', args: [BigInt(GAMMA), assetId] }) as Promise<bigint>))
  assert.deepEqual(own, assets.map(() => 1n), "every token in gamma's own L1 account")
  assert.deepEqual(await Promise.all(assets.map((assetId) => tracked(GAMMA, assetId))), assets.map(() => 0n))
  await ledgersReconcile(dust.map(({ token }) => ({ token })))
})
