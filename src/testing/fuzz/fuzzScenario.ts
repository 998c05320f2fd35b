import { getAbiItem, keccak256, parseEther, parseEventLogs, toHex, type Address, type Hex, type TransactionReceipt } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { ChainConnection } from '../../chain/ChainConnection.js'
import { walletFor } from '../../chain/walletFor.js'
import * as c from '../../contracts/generated/index.js'
import { buildProofFromStore, buildRoutedLeafProof } from '../../indexer/buildProofFromStore.js'
import { settlementLayerMessageRootAddress, topologyOf } from '../../network/topology.js'
import type { NetworkManifest, ZkChainInfo } from '../../network/types.js'
import {
  bridgedTokenAddress,
  decodeBundle,
  encodeExecutionAddressAttribute,
  encodeInteropCallValueAttribute,
  encodeUnbundlerAddressAttribute,
  type InteropProof,
} from '../../protocol/index.js'
import { deposit, depositETH, sendBundle, sendMessage, transfer, waitForDeposit, withdrawETH } from '../../sdk/index.js'
import { migrateChain, type MigrationStep } from '../../settlement/migrateChain.js'
import type { Store } from '../../store/openStore.js'
import { encodeFuzzCall, type FuzzAddresses, type FuzzCall } from './fuzzCall.js'
import type { FuzzSeed, MutationContext } from './seeds.js'
import type { GuardedAccount } from './stateSnapshot.js'
import { until } from './until.js'

/** Parameters of {@link prepareFuzzScenario}. */
export type PrepareFuzzScenarioParameters = {
  /** A network with chains `alpha` and `beta` on the Gateway and `gamma` and `delta` on L1 (`startNetwork({ chains: 4, onGateway: ['alpha', 'beta'] })`). */
  manifest: NetworkManifest
  /** The store of the services running on it (relayer and ledger keeper off, so nothing executes the seeds). */
  store: Store
  /**
   * Also start moving `beta` back from the Gateway to L1 and hold it right before L1 finalizes the move,
   * so that `finalizeChainMigration` has a valid call to forge (adds ~10 s). Default false.
   */
  migration?: boolean
  /** How long one step may wait for the network (a proof, a deposit). Default 90 s. */
  stepTimeoutMs?: number
  log?: (line: string) => void
}

/** What the fuzzer works on: the seeds, what the mutators may draw from, what must not change, who sends. */
export type FuzzScenario = {
  seeds: FuzzSeed[]
  context: MutationContext
  addresses: FuzzAddresses
  /** Every account whose state a forged call could change (handlers, router, vault, ledgers, tokens, recipients...). */
  guarded: GuardedAccount[]
  /** Keys of the accounts that send forgeries (they pay gas, so their balances change). */
  senders: Hex[]
  /** Key of the unbundler of the verified bundle (sends its forged unbundlings; the execution address too). */
  unbundler: Hex
  /** When the scenario holds a chain's move: lets it finish (its finalization is the migration seed's valid call). */
  finishMigration?: () => Promise<void>
}

const PAYLOAD = (text: string) => toHex(`fuzz seed: ${text}`)

/**
 * Makes the real traffic the fuzzer forges from, on every path, and keeps the valid calls unexecuted:
 * messages and bundles between chains settling on L1 (one level, L1 roots), between chains of the
 * Gateway (one level, Gateway roots), from a Gateway chain to an L1 chain (two levels), from an L1 chain
 * to a Gateway chain; bundles to L1 (one and two levels); ETH withdrawals, token transfers for L1's
 * ledger, failed ETH deposits and a transfer that left the Gateway, each waiting for its call on L1;
 * one bundle verified but not executed, for its unbundler; and, when asked, a chain's return from the
 * Gateway held before L1 finalizes it. One call of each kind is executed first, so that its replays
 * are forgeries too. Every proof comes from the services' store, as the SDK builds it.
 *
 * @example
 * ```ts
 * const scenario = await prepareFuzzScenario({ manifest, store: services.store })
 * ```
 */
export async function prepareFuzzScenario(parameters: PrepareFuzzScenarioParameters): Promise<FuzzScenario> {
  const { manifest, store } = parameters
  const log = parameters.log ?? (() => {})
  const timeout = parameters.stepTimeoutMs ?? 90_000
  const named = (name: string): ZkChainInfo => {
    const info = manifest.chains.find((chain) => chain.name === name)
    if (!info) throw new Error(`the fuzz network needs a chain called ${name} (startNetwork({ chains: 4, onGateway: ['alpha', 'beta'] }))`)
    return info
  }
  const [alpha, beta, gamma, delta] = (['alpha', 'beta', 'gamma', 'delta'] as const).map(named) as [ZkChainInfo, ZkChainInfo, ZkChainInfo, ZkChainInfo]
  const gateway = manifest.chains.find((chain) => chain.role === 'gateway')
  if (!gateway?.gatewayContracts) throw new Error('the fuzz network needs a Gateway')
  const gatewayContracts = gateway.gatewayContracts
  if (alpha.settlementLayer !== gateway.chainId || beta.settlementLayer !== gateway.chainId || gamma.settlementLayer !== manifest.l1.chainId || delta.settlementLayer !== manifest.l1.chainId) {
    throw new Error('the fuzz network needs alpha and beta on the Gateway, gamma and delta on L1')
  }
  const l2 = manifest.l2Contracts
  const l1Contracts = manifest.l1.contracts
  const l1ChainId = manifest.l1.chainId
  const connections = new Map<number, ChainConnection>([[l1ChainId, new ChainConnection(manifest.l1)], ...manifest.chains.map((info) => [info.chainId, new ChainConnection(info)] as const)])
  const connection = (chainId: number) => connections.get(chainId)!
  const users = manifest.accounts.users
  if (users.length < 5) throw new Error('the fuzz network needs five user accounts')
  const [u0, u1, u2, u3, u4] = users as [(typeof users)[number], (typeof users)[number], (typeof users)[number], (typeof users)[number], (typeof users)[number]]
  // u0 makes the traffic; u4 deploys, deposits what fails and unbundles; u1..u3 (and u0 afterwards) send forgeries.
  const fresh = (label: string): Address => privateKeyToAccount(keccak256(toHex(`junction fuzz ${label}`))).address
  const addresses: FuzzAddresses = { l1ChainId, interopHandler: l2.interopHandler, l1InteropHandler: l1Contracts.interopHandler, l1AssetRouter: l1Contracts.assetRouter, l1ChainRegistry: l1Contracts.chainRegistry }
  const guarded: GuardedAccount[] = []
  const guard = (chainId: number, label: string, address: Address) => guarded.push({ chainId, label, address })

  // --- contracts the traffic needs -----------------------------------------------------------------
  const started = Date.now()
  const deploy = async (chain: ZkChainInfo | typeof manifest.l1, what: 'recipient' | 'refuser') => {
    const { address } = await connection(chain.chainId).deploy(u4.privateKey, what === 'recipient'
      ? { abi: c.standardRecipientAbi, bytecode: c.standardRecipientBytecode, args: [l2.interopCenter], action: 'deploy a recipient' }
      : { abi: c.ethRefuserAbi, bytecode: c.ethRefuserBytecode, args: [0n], action: 'deploy an ETH refuser' })
    guard(chain.chainId, `${what} on ${chain.name}`, address)
    return address
  }
  const [recipientOn, refuserOn] = [new Map<number, Address>(), new Map<number, Address>()]
  for (const chain of [alpha, beta, gamma, delta]) recipientOn.set(chain.chainId, await deploy(chain, 'recipient'))
  for (const chain of [alpha, gamma]) refuserOn.set(chain.chainId, await deploy(chain, 'refuser'))
  const l1 = connection(l1ChainId)
  const { address: token } = await l1.deploy(u0.privateKey, { abi: c.testTokenAbi, bytecode: c.testTokenBytecode, args: ['Fuzz Token', 'FUZ', 18], action: 'deploy the fuzz token' })
  guard(l1ChainId, 'fuzz token on L1', token)
  await l1.write(u0.privateKey, { address: token, abi: c.testTokenAbi, functionName: 'mint', args: [u0.address, 10n ** 24n] })
  await l1.write(u0.privateKey, { address: token, abi: c.testTokenAbi, functionName: 'approve', args: [l1Contracts.nativeTokenVault, 10n ** 24n] })

  // --- deposits: ETH and tokens to spend, and ETH deposits that fail on the chain --------------------
  const l1Wallet = (key: Hex) => walletFor(manifest.l1, key)
  const lastRequest = new Map<number, bigint>()
  const note = (chainId: number, index: bigint) => lastRequest.set(chainId, index > (lastRequest.get(chainId) ?? -1n) ? index : lastRequest.get(chainId)!)
  let assetId: Hex | undefined
  for (const chain of [gamma, alpha]) {
    note(chain.chainId, (await depositETH(l1Wallet(u0.privateKey), { manifest, chainId: chain.chainId, amount: parseEther('10') })).requestIndex)
    const sent = await deposit(l1Wallet(u0.privateKey), { manifest, chainId: chain.chainId, token, amount: 10n ** 21n })
    assetId = sent.assetId
    note(chain.chainId, sent.requestIndex)
  }
  const failedDeposits: { chain: ZkChainInfo; index: bigint; amount: bigint; executed: boolean }[] = []
  for (const [chain, amount, executed] of [[gamma, parseEther('0.3'), false], [gamma, parseEther('0.2'), true], [alpha, parseEther('0.4'), false]] as const) {
    const { requestIndex } = await depositETH(l1Wallet(u4.privateKey), { manifest, chainId: chain.chainId, amount, to: refuserOn.get(chain.chainId)! })
    note(chain.chainId, requestIndex)
    failedDeposits.push({ chain, index: requestIndex, amount, executed })
  }
  for (const [chainId, index] of lastRequest) await waitForDeposit(connection(chainId).client, { manifest, requestIndex: index, timeoutMs: timeout })
  log(`deposits processed (${Date.now() - started} ms)`)
  const tokenAsset = assetId!
  for (const chain of [alpha, beta, gamma, delta]) guard(chain.chainId, `bridged fuzz token on ${chain.name}`, bridgedTokenAddress({ l2AssetRouter: l2.l2AssetRouter, bytecode: c.bridgedTokenBytecode, assetId: tokenAsset, originChainId: l1ChainId, originToken: token, name: 'Fuzz Token', symbol: 'FUZ', decimals: 18 }))

  // --- traffic on every path ------------------------------------------------------------------------
  const wallet = (chain: ZkChainInfo, key: Hex = u0.privateKey) => walletFor(chain, key)
  const message = async (from: ZkChainInfo, to: ZkChainInfo, text: string) =>
    (await sendMessage(wallet(from), { interopCenter: l2.interopCenter, recipient: { chainId: to.chainId, address: recipientOn.get(to.chainId)! }, payload: PAYLOAD(text) })).bundleHash
  const bundle = async (from: ZkChainInfo, toChainId: number, calls: { to: Address; data: Hex; value?: bigint }[], attributes: Hex[] = []) =>
    (
      await sendBundle(wallet(from), {
        interopCenter: l2.interopCenter,
        destinationChainId: toChainId,
        calls: calls.map((call) => ({ to: call.to, data: call.data, attributes: call.value ? [encodeInteropCallValueAttribute(call.value)] : [] })),
        attributes,
      })
    ).bundleHash
  const toL1 = async (from: ZkChainInfo, label: string, value: bigint) => {
    const receiver = fresh(`L1 value receiver ${label}`)
    guard(l1ChainId, `value receiver of ${label} on L1`, receiver)
    return bundle(from, l1ChainId, [{ to: receiver, data: '0x', value }])
  }
  const bundles: { id: string; route: string; hash: Hex; state: FuzzSeed['state'] }[] = []
  const sendSeed = async (id: string, route: string, state: FuzzSeed['state'], send: () => Promise<Hex>) => bundles.push({ id, route, state, hash: await send() })

  await sendSeed('gamma → delta message', 'one level, L1 root', 'unexecuted', () => message(gamma, delta, 'gamma to delta'))
  await sendSeed('gamma → delta message (executed)', 'one level, L1 root', 'executed', () => message(gamma, delta, 'gamma to delta, executed'))
  await sendSeed('gamma → alpha message', 'one level, L1 root imported by the Gateway then alpha', 'unexecuted', () => message(gamma, alpha, 'gamma to alpha'))
  await sendSeed('gamma → L1 bundle with value', 'one level, L1 root history', 'unexecuted', () => toL1(gamma, 'gamma → L1', parseEther('0.1')))
  await sendSeed('gamma → L1 bundle (executed)', 'one level, L1 root history', 'executed', () => toL1(gamma, 'gamma → L1 executed', parseEther('0.05')))
  await sendSeed('alpha → beta bundle with value', 'one level, Gateway root', 'unexecuted', () => bundle(alpha, beta.chainId, [{ to: recipientOn.get(beta.chainId)!, data: PAYLOAD('alpha to beta'), value: parseEther('0.2') }]))
  await sendSeed('alpha → gamma bundle of two calls', 'two levels through the Gateway', 'unexecuted', () =>
    bundle(alpha, gamma.chainId, [{ to: recipientOn.get(gamma.chainId)!, data: PAYLOAD('alpha to gamma, 1') }, { to: recipientOn.get(gamma.chainId)!, data: PAYLOAD('alpha to gamma, 2'), value: 12_345n }]),
  )
  await sendSeed('alpha → gamma message (executed)', 'two levels through the Gateway', 'executed', () => message(alpha, gamma, 'alpha to gamma, executed'))
  await sendSeed('alpha → L1 bundle with value', 'two levels, L1 root history', 'unexecuted', () => toL1(alpha, 'alpha → L1', parseEther('0.1')))
  // The verified bundle: an execution address keeps everyone but its unbundler from executing it.
  await sendSeed('alpha → beta bundle for its unbundler', 'one level, Gateway root; verified, not executed', 'verified', () =>
    bundle(alpha, beta.chainId, [{ to: recipientOn.get(beta.chainId)!, data: PAYLOAD('unbundle 1'), value: 1_000n }, { to: recipientOn.get(beta.chainId)!, data: PAYLOAD('unbundle 2'), value: 7_000n }], [
      encodeExecutionAddressAttribute({ chainId: beta.chainId, address: u4.address }),
      encodeUnbundlerAddressAttribute({ chainId: beta.chainId, address: u4.address }),
    ]),
  )
  guard(beta.chainId, 'the unbundler on beta', u4.address)

  // Token transfers: their bundles mint on the destination; their messages move L1's ledger.
  const transfers: { id: string; from: ZkChainInfo; receipt: TransactionReceipt; executed: boolean }[] = []
  for (const [from, to, amount, executed] of [[gamma, delta, 100n, false], [gamma, delta, 50n, true], [alpha, gamma, 100n, false], [alpha, gamma, 50n, true]] as const) {
    const receiver = fresh(`transfer receiver ${from.name} ${amount}`)
    const sent = await transfer(wallet(from), { manifest, assetId: tokenAsset, amount, destinationChainId: to.chainId, to: receiver })
    const id = `${from.name} → ${to.name} token transfer of ${amount}${executed ? ' (executed)' : ''}`
    bundles.push({ id: `${id}: bundle`, route: from === alpha ? 'two levels through the Gateway' : 'one level, L1 root', hash: sent.bundleHash, state: executed ? 'executed' : 'unexecuted' })
    transfers.push({ id, from, receipt: sent.receipt, executed })
  }
  const withdrawals: { id: string; chain: ZkChainInfo; receipt: TransactionReceipt; message: Hex; executed: boolean }[] = []
  for (const [chain, amount, executed] of [[gamma, parseEther('1'), false], [gamma, parseEther('0.5'), true], [alpha, parseEther('1'), false]] as const) {
    const receiver = fresh(`withdrawal receiver ${chain.name} ${amount}`)
    guard(l1ChainId, `withdrawal receiver on L1 (${chain.name})`, receiver)
    const sent = await withdrawETH(wallet(chain), { manifest, amount, to: receiver })
    withdrawals.push({ id: `${chain.name} ETH withdrawal${executed ? ' (executed)' : ''}`, chain, receipt: sent.receipt, message: sent.message, executed })
  }
  log(`traffic sent (${Date.now() - started} ms)`)

  // --- proofs, as the SDK builds them from the store ------------------------------------------------
  const topology = () => topologyOf(manifest, store)
  const seeds: FuzzSeed[] = []
  for (const b of bundles) {
    const built = await until(`a proof of ${b.id}`, () => {
      const result = buildProofFromStore(store, { bundleHash: b.hash, interopCenter: l2.interopCenter, topology: topology() })
      return result.ready ? result : undefined
    }, timeout)
    const call: FuzzCall =
      b.state === 'verified'
        ? { fn: 'unbundleBundle', chainId: built.destinationChainId, bundle: built.bundle, decisions: [1, 2], asUnbundler: true }
        : { fn: 'executeBundle', chainId: built.destinationChainId, bundle: built.bundle, proof: built.proof }
    seeds.push({ id: b.id, route: b.route, call, state: b.state })
    if (b.state === 'verified') {
      // Verified now, by anyone: its proof is checked once, and the unbundler decides later.
      await connection(built.destinationChainId).write(u1.privateKey, { address: l2.interopHandler, abi: c.interopHandlerAbi, functionName: 'verifyBundle', args: [built.bundle, built.proof] })
    }
  }
  const leafProof = (what: string, sourceChainId: number, sender: Address, payload: Hex, at?: { blockNumber: number; logIndex: number }) =>
    until(`a proof of ${what}`, () => {
      const built = buildRoutedLeafProof(store, { topology: topology(), sourceChainId, destination: l1ChainId, sender, payloadHash: keccak256(payload), ...(at ? { recordedBefore: at } : {}) })
      return built.ready ? built.proof : undefined
    }, timeout)
  const at = (receipt: TransactionReceipt, abi: typeof c.l2AssetRouterAbi, eventName: 'WithdrawalInitiated' | 'TransferInitiated') => {
    const [event] = parseEventLogs({ abi, logs: receipt.logs, eventName })
    if (!event) throw new Error(`no ${eventName} in ${receipt.transactionHash}`)
    return { event, position: { blockNumber: Number(receipt.blockNumber), logIndex: event.logIndex } }
  }
  for (const w of withdrawals) {
    const { position } = at(w.receipt, c.l2AssetRouterAbi, 'WithdrawalInitiated')
    const proof = await leafProof(w.id, w.chain.chainId, l2.l2AssetRouter, w.message, position)
    seeds.push({ id: w.id, route: w.chain === alpha ? 'two levels, L1 root history' : 'one level, L1 root history', call: { fn: 'finalizeWithdrawal', chainId: l1ChainId, source: BigInt(w.chain.chainId), message: w.message, proof }, state: w.executed ? 'executed' : 'unexecuted' })
  }
  for (const t of transfers) {
    const { event, position } = at(t.receipt, c.l2AssetRouterAbi, 'TransferInitiated')
    const message = (event.args as { message: Hex }).message
    if (t.from === gamma) {
      const proof = await leafProof(`${t.id}: message`, gamma.chainId, l2.l2AssetRouter, message, position)
      seeds.push({ id: `${t.id}: message`, route: 'one level, L1 root history', call: { fn: 'finalizeTransfer', chainId: l1ChainId, source: BigInt(gamma.chainId), message, proof }, state: t.executed ? 'executed' : 'unexecuted' })
    } else {
      // What the Gateway let leave for gamma: the settlement-layer transfer message its tracker recorded.
      const amount = (event.args as { amount: bigint }).amount
      const row = await until(`the Gateway's record of ${t.id}`, () =>
        store.prepare('SELECT message, block_number, log_index FROM settlement_layer_transfers WHERE chain_id = ? AND source_chain_id = ? AND destination_chain_id = ? AND amount = ?').get(gateway.chainId, alpha.chainId, gamma.chainId, amount.toString()) as
          | { message: Hex; block_number: number; log_index: number }
          | undefined,
      timeout)
      const proof = await leafProof(`${t.id}: left the Gateway`, gateway.chainId, gatewayContracts.assetTracker, row.message, { blockNumber: row.block_number, logIndex: row.log_index })
      seeds.push({ id: `${t.id}: left the Gateway`, route: "the Gateway's message, one level, L1 root history", call: { fn: 'finalizeSettlementLayerTransfer', chainId: l1ChainId, source: BigInt(gateway.chainId), message: row.message, proof }, state: t.executed ? 'executed' : 'unexecuted' })
    }
  }
  const ethAssetId = (await l1.client.readContract({ address: l1Contracts.nativeTokenVault, abi: c.l1NativeTokenVaultAbi, functionName: 'ethAssetId' })) as Hex
  for (const f of failedDeposits) {
    const chain = connection(f.chain.chainId)
    const failed = await until(`the failure of deposit ${f.index} on ${f.chain.name}`, async () => {
      const [log_] = await chain.client.getLogs({ address: l2.priorityInbox, event: getAbiItem({ abi: c.l2PriorityInboxAbi, name: 'PriorityRequestFailed' }), args: { index: f.index }, fromBlock: BigInt(f.chain.genesis.lastBlock + 1) })
      return log_
    }, timeout)
    const message = failed.args.message!
    const proof = await leafProof(`the failed deposit ${f.index} of ${f.chain.name}`, f.chain.chainId, l2.priorityInbox, message)
    seeds.push({
      id: `${f.chain.name} failed ETH deposit ${f.index}${f.executed ? ' (executed)' : ''}`,
      route: f.chain === alpha ? 'two levels, L1 root history' : 'one level, L1 root history',
      call: { fn: 'claimFailedDeposit', chainId: l1ChainId, source: BigInt(f.chain.chainId), depositor: u4.address, assetId: ethAssetId, amount: f.amount, message, proof },
      state: f.executed ? 'executed' : 'unexecuted',
    })
  }
  guard(l1ChainId, 'the depositor of the failed deposits on L1', u4.address)
  log(`proofs of ${seeds.length} seeds built (${Date.now() - started} ms)`)

  // --- one call of each kind executed, so that its replays are forgeries ---------------------------
  for (const seed of seeds.filter((s) => s.state === 'executed')) {
    const { to, data } = encodeFuzzCall(seed.call, addresses)
    await connection(seed.call.chainId).sendRaw(u1.privateKey, { to, data, action: `execute the seed ${seed.id}` })
  }

  // --- a chain's return from the Gateway, held before L1 finalizes it ------------------------------
  let finishMigration: (() => Promise<void>) | undefined
  if (parameters.migration) {
    const held = await holdMigration({ manifest, store, chain: beta, gateway, timeout, log })
    seeds.push({ id: 'beta returns from the Gateway to L1', route: "the Gateway registry's message, one level, L1 root history", call: { fn: 'finalizeChainMigration', chainId: l1ChainId, message: held.message, proof: held.proof }, state: 'unexecuted' })
    finishMigration = held.finish
  }

  // --- what a forged call could change --------------------------------------------------------------
  for (const info of manifest.chains) {
    for (const [label, address] of Object.entries(l2)) {
      // The Gateway's messenger records each of its new shared roots: the services change it.
      if (info.role === 'gateway' && address === l2.l2Messenger) continue
      guard(info.chainId, `${label} on ${info.name}`, address)
    }
  }
  guard(gateway.chainId, 'the Gateway registry', gatewayContracts.chainRegistry)
  guard(gateway.chainId, 'the Gateway priority forwarder', gatewayContracts.priorityForwarder)
  guard(gateway.chainId, 'the Gateway asset tracker', gatewayContracts.assetTracker)
  for (const [label, address] of Object.entries(l1Contracts)) {
    // The settlement contracts and the message root change as the services settle batches.
    if (address === l1Contracts.messageRoot || address === l1Contracts.verifier) continue
    guard(l1ChainId, `${label} on L1`, address)
  }
  const aliasOwners = new Set<string>()
  for (const seed of seeds) {
    if (seed.call.fn !== 'executeBundle' || seed.call.chainId !== l1ChainId) continue
    const decoded = decodeBundle(seed.call.bundle)
    for (const call of decoded.calls) aliasOwners.add(`${decoded.sourceChainId}:${call.from}`)
  }
  for (const owner of aliasOwners) {
    const [chainId, from] = owner.split(':') as [string, Address]
    const alias = (await l1.client.readContract({ address: l1Contracts.interopHandler, abi: c.l1InteropHandlerAbi, functionName: 'aliasAddress', args: [BigInt(chainId), from] })) as Address
    guard(l1ChainId, `alias account of ${from} on ${chainId}`, alias)
  }

  const context: MutationContext = {
    l1ChainId,
    gatewayChainId: gateway.chainId,
    chainIds: [l1ChainId, ...manifest.chains.map((info) => info.chainId)],
    knownSenders: [l2.interopCenter, l2.l2AssetRouter, l2.priorityInbox, l2.l2Messenger, l2.interopHandler, settlementLayerMessageRootAddress(manifest.accounts.l1Deployer.address), gatewayContracts.chainRegistry, gatewayContracts.assetTracker, gatewayContracts.priorityForwarder, l1Contracts.chainRegistry],
    roots: realRoots(store, manifest),
    seeds,
  }
  log(`${seeds.length} seeds ready: ${seeds.filter((s) => s.state === 'unexecuted').length} valid and unexecuted, ${seeds.filter((s) => s.state === 'executed').length} executed, ${seeds.filter((s) => s.state === 'verified').length} verified (${Date.now() - started} ms)`)
  return { seeds, context, addresses, guarded, senders: [u0, u1, u2, u3].map((u) => u.privateKey), unbundler: u4.privateKey, ...(finishMigration ? { finishMigration } : {}) }
}

/** The real roots each chain checks proofs against: those it imported, and L1's own history. */
function realRoots(store: Store, manifest: NetworkManifest): MutationContext['roots'] {
  const roots: Record<number, { slChainId: bigint; slBlockNumber: bigint }[]> = {}
  for (const info of manifest.chains) {
    const rows = store.prepare('SELECT sl_chain_id, sl_block_number FROM real_imported_roots WHERE chain_id = ?').all(info.chainId) as { sl_chain_id: number; sl_block_number: number }[]
    roots[info.chainId] = rows.map((r) => ({ slChainId: BigInt(r.sl_chain_id), slBlockNumber: BigInt(r.sl_block_number) }))
  }
  const l1Rows = store.prepare('SELECT block_number FROM sl_roots WHERE sl_chain_id = ?').all(manifest.l1.chainId) as { block_number: number }[]
  roots[manifest.l1.chainId] = l1Rows.map((r) => ({ slChainId: BigInt(manifest.l1.chainId), slBlockNumber: BigInt(r.block_number) }))
  return roots
}

/**
 * Starts moving `chain` from the Gateway back to L1 (`migrateChain`) and holds it once the Gateway has
 * released it and L1 could finalize the move: returns the migration message and its proof, and
 * `finish()`, which lets the move finalize and waits for it.
 */
async function holdMigration(p: { manifest: NetworkManifest; store: Store; chain: ZkChainInfo; gateway: ZkChainInfo; timeout: number; log: (line: string) => void }): Promise<{ message: Hex; proof: InteropProof; finish(): Promise<void> }> {
  const { manifest, store, chain, gateway } = p
  let release!: () => void
  const released = new Promise<void>((resolve) => (release = resolve))
  let reached!: (value: { message: Hex; proof: InteropProof }) => void
  const ready = new Promise<{ message: Hex; proof: InteropProof }>((resolve) => (reached = resolve))
  const gatewayConnection = new ChainConnection(gateway)
  const onStep = async (step: MigrationStep) => {
    p.log(`moving ${chain.name} back to L1: ${step.name}`)
    if (step.name !== `left ${gateway.name}`) return
    const [event] = await gatewayConnection.client.getLogs({ address: gateway.gatewayContracts!.chainRegistry, event: getAbiItem({ abi: c.chainRegistryAbi, name: 'ChainReleased' }), args: { chainId: BigInt(chain.chainId) }, fromBlock: 0n })
    const message = event!.args.message!
    const proof = await until(`the proof of ${chain.name}'s migration message on L1`, () => {
      const built = buildRoutedLeafProof(store, { topology: topologyOf(manifest, store), sourceChainId: gateway.chainId, destination: manifest.l1.chainId, sender: gateway.gatewayContracts!.chainRegistry, payloadHash: keccak256(message) })
      return built.ready ? built.proof : undefined
    }, p.timeout)
    reached({ message, proof })
    await released
  }
  const moving = migrateChain({ manifest, store, chainId: chain.chainId, to: 'l1', onStep, stepTimeoutMs: p.timeout })
  const held = await Promise.race([ready, moving.then(() => { throw new Error(`the move of ${chain.name} finished before it could be held`) })])
  return {
    ...held,
    async finish() {
      release()
      await moving
    },
  }
}
