// Interop fees on a real EVM (docs/fees.md): the quote, paying with a send, topping up, and claiming with a
// proof of the destination's execution record. One anvil plays the source chain of bundles to chain 999
// (whose execution records are proven here against roots imported here) and the destination of bundles
// "sent" by chain 500 (to measure what executing them costs against the quote's gas model).
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import fc from 'fast-check'
import { encodeFunctionData, getAddress, getContractAddress, keccak256, parseEventLogs, toHex, slice, zeroAddress, zeroHash, type Address, type Hex } from 'viem'
import { ChainConnection } from '../../src/chain/ChainConnection.js'
import { devAccount } from '../../src/chain/devAccounts.js'
import { createAnvil, type AnvilProcess } from '../../src/chain/process/index.js'
import * as c from '../../src/contracts/generated/index.js'
import { sentBundlesOf } from '../../src/indexer/sentBundles.js'
import {
  EXECUTION_RECORD_TAG,
  INTEROP_BUNDLE_PAYS_FEE_FLAG,
  MerkleTree,
  batchLeaf,
  buildInteropProof,
  bundleHash,
  bundleVersionWord,
  encodeBundle,
  encodeExecutionGasLimitAttribute,
  encodeExecutionRecord,
  encodeInteropCallValueAttribute,
  estimateExecutionGas,
  executionRecordHash,
  formatInteroperableAddress,
  intrinsicGas,
  messageLeaf,
  quoteInteropFee,
  type InteropBundle,
  type InteropProof,
} from '../../src/protocol/index.js'
import { rejectsWith } from '../../src/testing/rejectsWith.js'

const CHAIN_ID = 31337
/** The destination of the bundles sent here. */
const DESTINATION = 999n
/** The source of the bundles executed here. */
const SOURCE = 500n
const L1_CHAIN = 1n
const SL = 1n
const deployer = devAccount(0)
const user = devAccount(1)
const relayerA = devAccount(2)
const relayerB = devAccount(3)
const stranger = devAccount(4)
const GWEI = 10n ** 9n

let anvil: AnvilProcess
let chain: ChainConnection
let center: Address
let handler: Address
let rootStore: Address
let recipient: Address
/** The next settlement-layer block under which a root is imported (roots are write-once). */
let nextSlBlock = 1n

const read = <T>(address: Address, abi: readonly unknown[], functionName: string, args: readonly unknown[] = []) =>
  chain.client.readContract({ address, abi, functionName, args } as never) as Promise<T>
const balance = (address: Address) => chain.client.getBalance({ address })

before(async () => {
  anvil = createAnvil({ chainId: CHAIN_ID, port: 0, name: 'fee-contracts' })
  await anvil.start()
  chain = new ChainConnection({ chainId: CHAIN_ID, name: 'fee-contracts', rpcUrl: anvil.rpcUrl })
  const key = deployer.privateKey
  const messenger = getAddress((await chain.deploy(key, { abi: c.l2MessengerAbi, bytecode: c.l2MessengerBytecode, action: 'deploy L2Messenger' })).address)
  const nonce = await chain.client.getTransactionCount({ address: deployer.address })
  const [predictedCenter, predictedHandler, predictedRouter, predictedHolder] = [0, 1, 2, 3].map((i) => getAddress(getContractAddress({ from: deployer.address, nonce: BigInt(nonce + i) })))
  center = getAddress((await chain.deploy(key, { abi: c.interopCenterAbi, bytecode: c.interopCenterBytecode, args: [messenger, predictedHandler, predictedRouter, zeroHash], action: 'deploy InteropCenter' })).address)
  // The handler is also the chain's root store (the deployer imports the roots).
  handler = getAddress((await chain.deploy(key, { abi: c.interopHandlerAbi, bytecode: c.interopHandlerBytecode, args: [center, deployer.address, zeroAddress, 0n, predictedHolder], action: 'deploy InteropHandler' })).address)
  rootStore = handler
  await chain.deploy(key, { abi: c.l2AssetRouterAbi, bytecode: c.l2AssetRouterBytecode, args: [deployer.address, messenger, center, predictedHolder, keccak256(toHex('eth')), L1_CHAIN, zeroHash], action: 'deploy L2AssetRouter' })
  await chain.deploy(key, { abi: c.baseTokenHolderAbi, bytecode: c.baseTokenHolderBytecode, args: [predictedRouter, predictedHandler], value: 10n ** 19n, action: 'deploy BaseTokenHolder' })
  assert.deepEqual([center, handler], [predictedCenter, predictedHandler])
  recipient = getAddress((await chain.deploy(key, { abi: c.standardRecipientAbi, bytecode: c.standardRecipientBytecode, args: [center], action: 'deploy StandardRecipient' })).address)
})
after(async () => {
  await anvil?.stop()
})

/** Proves `payloadHashes` as messages of `sender` in one batch of `sourceChainId`, imports the shared root here, and returns the proofs. */
async function proveMessages(sourceChainId: bigint, sender: Address, payloadHashes: readonly Hex[]): Promise<Map<Hex, InteropProof>> {
  const leaves = payloadHashes.map((hash) => messageLeaf(sender, hash))
  const chains = [{ chainId: sourceChainId, chainTreeRoot: new MerkleTree([batchLeaf(1n, new MerkleTree(leaves).root)]).root }]
  const slBlockNumber = nextSlBlock++
  const proofs = new Map<Hex, InteropProof>()
  let sharedRoot: Hex | undefined
  for (const hash of payloadHashes) {
    const built = buildInteropProof({ slChainId: SL, slBlockNumber, messageSender: sender, bundleHash: hash, sourceChainId, batchNumber: 1n, messageLeaves: leaves, batchMessageRoots: [new MerkleTree(leaves).root], chains })
    proofs.set(hash, built.proof)
    sharedRoot = built.sharedRoot
  }
  await chain.write(deployer.privateKey, { address: rootStore, abi: c.interopRootStoreAbi, functionName: 'addInteropRoot', args: [SL, slBlockNumber, sharedRoot!] })
  return proofs
}

/** Imports a root (of an unrelated tree) with the given gas prices, as the root importer does. */
async function importPrices(prices: { chainId: bigint; weiPerGas: bigint }[]) {
  const slBlockNumber = nextSlBlock++
  return chain.write(deployer.privateKey, { address: rootStore, abi: c.interopRootStoreAbi, functionName: 'addInteropRootWithGasPrices', args: [SL, slBlockNumber, keccak256(toHex(`root ${slBlockNumber}`)), prices] })
}

/** Sends a 32-byte message to chain 999 with `executionGasLimit(gasLimit)`, paying `fee` (0 wei too); returns its hash. */
async function sendPaid(fee: bigint, gasLimit = 100_000n, from = user): Promise<Hex> {
  return sendTo999([encodeExecutionGasLimitAttribute(gasLimit)], fee, from)
}

/** Sends a 32-byte message to chain 999 without `executionGasLimit` (no fee record: self-relay only); returns its hash. */
async function sendWithoutFee(): Promise<Hex> {
  return sendTo999([], 0n, user)
}

async function sendTo999(attributes: Hex[], value: bigint, from: typeof user): Promise<Hex> {
  const receipt = await chain.write(from.privateKey, {
    address: center,
    abi: c.interopCenterAbi,
    functionName: 'sendMessage',
    args: [formatInteroperableAddress({ chainId: DESTINATION, address: recipient }), toHex(1n, { size: 32 }), attributes],
    value,
  })
  return sentBundlesOf(receipt.logs, center)[0]!.bundleHash
}

const feeOf = async (hash: Hex) => {
  const [paid, gasLimit, destinationChainId, claimedBy] = await read<[bigint, bigint, bigint, Address]>(center, c.interopCenterAbi, 'feeOf', [hash])
  return { paid, gasLimit, destinationChainId, claimedBy }
}
const claim = (hash: Hex, executor: Address, proof: InteropProof, from = stranger) =>
  chain.write(from.privateKey, { address: center, abi: c.interopCenterAbi, functionName: 'claimFee', args: [hash, executor, proof] })

describe('quoteFee', () => {
  test('refuses to quote for a chain whose gas price never reached this chain', async () => {
    await rejectsWith(read(center, c.interopCenterAbi, 'quoteFee', [DESTINATION, 100_000n, 416n]).catch((error) => Promise.reject(chain.explainRevert(error, 'quoteFee'))), 'GasPriceUnknown')
  })

  test('quotes what the TypeScript mirror computes, with the prices imported with a root', async () => {
    const receipt = await importPrices([{ chainId: DESTINATION, weiPerGas: GWEI }, { chainId: L1_CHAIN, weiPerGas: 3n * GWEI }, { chainId: BigInt(CHAIN_ID), weiPerGas: 2n * GWEI }])
    const [imported] = parseEventLogs({ abi: c.interopRootStoreAbi, logs: receipt.logs, eventName: 'GasPricesImported' })
    assert.equal(imported!.args.prices.length, 3)
    const [weiPerGas, slBlock, importedAt] = await read<[bigint, bigint, bigint]>(rootStore, c.interopRootStoreAbi, 'gasPrice', [DESTINATION])
    assert.equal(weiPerGas, GWEI)
    assert.equal(slBlock, nextSlBlock - 1n)
    assert.ok(importedAt > 0n)
    await fc.assert(
      fc.asyncProperty(fc.bigInt({ min: 0n, max: 30_000_000n }), fc.bigInt({ min: 0n, max: 100_000n }), async (gasLimit, payloadBytes) => {
        const onChain = await read<bigint>(center, c.interopCenterAbi, 'quoteFee', [DESTINATION, gasLimit, payloadBytes])
        assert.equal(onChain, quoteInteropFee({ gasLimit, payloadBytes, executionWeiPerGas: GWEI, settlementWeiPerGas: 3n * GWEI, sourceWeiPerGas: 2n * GWEI }))
      }),
      { numRuns: 25 },
    )
  })

  test('imports several roots in one transaction, as block production does, with the prices coming with the first root', async () => {
    const other = 4242n
    const first = nextSlBlock++
    const second = nextSlBlock++
    const roots = [first, second].map((slBlockNumber) => ({ slChainId: SL, slBlockNumber, root: keccak256(toHex(`root ${slBlockNumber}`)) }))
    await rejectsWith(chain.write(deployer.privateKey, { address: rootStore, abi: c.interopRootStoreAbi, functionName: 'addInteropRootsWithGasPrices', args: [[], [{ chainId: other, weiPerGas: GWEI }]] }), 'NoRoots')
    const receipt = await chain.write(deployer.privateKey, { address: rootStore, abi: c.interopRootStoreAbi, functionName: 'addInteropRootsWithGasPrices', args: [roots, [{ chainId: other, weiPerGas: 5n * GWEI }]] })
    for (const root of roots) assert.equal(await read<Hex>(rootStore, c.interopRootStoreAbi, 'interopRoot', [SL, root.slBlockNumber]), root.root)
    const [imported] = parseEventLogs({ abi: c.interopRootStoreAbi, logs: receipt.logs, eventName: 'GasPricesImported' })
    assert.equal(imported!.args.slBlockNumber, first)
    const [weiPerGas, slBlock] = await read<[bigint, bigint, bigint]>(rootStore, c.interopRootStoreAbi, 'gasPrice', [other])
    assert.equal(weiPerGas, 5n * GWEI)
    assert.equal(slBlock, first)
  })
})

describe('paying with a send', () => {
  test('records the fee beyond the call value and the gas limit it buys; a send without the attribute pays nothing', async () => {
    const receipt = await chain.write(user.privateKey, {
      address: center,
      abi: c.interopCenterAbi,
      functionName: 'sendMessage',
      args: [formatInteroperableAddress({ chainId: DESTINATION, address: recipient }), '0x01', [encodeInteropCallValueAttribute(0n), encodeExecutionGasLimitAttribute(77_000n)]],
      value: 5_000n,
    })
    const [paid] = parseEventLogs({ abi: c.interopCenterAbi, logs: receipt.logs, eventName: 'FeePaid' })
    assert.deepEqual([paid!.args.amount, paid!.args.total, paid!.args.gasLimit, paid!.args.destinationChainId], [5_000n, 5_000n, 77_000n, DESTINATION])
    assert.deepEqual(await feeOf(paid!.args.bundleHash), { paid: 5_000n, gasLimit: 77_000n, destinationChainId: DESTINATION, claimedBy: zeroAddress })
    const free = await sendWithoutFee()
    assert.deepEqual(await feeOf(free), { paid: 0n, gasLimit: 0n, destinationChainId: 0n, claimedBy: zeroAddress })
    // Without executionGasLimit, value beyond the call values is still a mistake, not a fee.
    await rejectsWith(
      chain.write(user.privateKey, { address: center, abi: c.interopCenterAbi, functionName: 'sendMessage', args: [formatInteroperableAddress({ chainId: DESTINATION, address: recipient }), '0x01', []], value: 1n }),
      'ValueMismatch',
    )
  })

  test('sendBundle takes the fee beyond the sum of the call values', async () => {
    const receipt = await chain.write(user.privateKey, {
      address: center,
      abi: c.interopCenterAbi,
      functionName: 'sendBundle',
      args: [DESTINATION, [{ to: recipient, data: '0x01', callAttributes: [] }, { to: recipient, data: '0x02', callAttributes: [] }], [encodeExecutionGasLimitAttribute(150_000n)]],
      value: 9_000n,
    })
    const [paid] = parseEventLogs({ abi: c.interopCenterAbi, logs: receipt.logs, eventName: 'FeePaid' })
    assert.deepEqual(await feeOf(paid!.args.bundleHash), { paid: 9_000n, gasLimit: 150_000n, destinationChainId: DESTINATION, claimedBy: zeroAddress })
  })
})

describe('claiming a fee', () => {
  test('pays the executor the whole fee, once, with a proof of its execution record; the other relayer of a race is refused', async () => {
    const hash = await sendPaid(7_000n)
    await chain.write(stranger.privateKey, { address: center, abi: c.interopCenterAbi, functionName: 'topUpFee', args: [hash, DESTINATION], value: 3_000n })
    // Relayer A executed it on chain 999; relayer B's transaction came second and failed there, so only A's record exists.
    const record = executionRecordHash(hash, relayerA.address)
    const proofs = await proveMessages(DESTINATION, handler, [record])
    // B claims with A's proof, or for itself: neither is B's execution.
    await rejectsWith(claim(hash, relayerB.address, proofs.get(record)!, relayerB), 'ProofRootMismatch')
    const before = await balance(relayerA.address)
    const receipt = await claim(hash, relayerA.address, proofs.get(record)!)
    const [claimed] = parseEventLogs({ abi: c.interopCenterAbi, logs: receipt.logs, eventName: 'FeeClaimed' })
    assert.deepEqual([claimed!.args.executor, claimed!.args.amount], [relayerA.address, 10_000n])
    assert.equal(await balance(relayerA.address), before + 10_000n, 'the executor got the fee, the submitter paid the gas')
    assert.equal((await feeOf(hash)).claimedBy, relayerA.address)
    const [, args] = [0, (await rejectsWith(claim(hash, relayerA.address, proofs.get(record)!), 'FeeAlreadyClaimed')).errorArgs]
    assert.deepEqual(args, [hash, relayerA.address])
    await rejectsWith(chain.write(stranger.privateKey, { address: center, abi: c.interopCenterAbi, functionName: 'topUpFee', args: [hash, DESTINATION], value: 1n }), 'FeeAlreadyClaimed')
  })

  test('refuses a claim for a bundle that was not executed: no execution record proves it', async () => {
    const hash = await sendPaid(1_000n)
    // Some other message of chain 999 is provable, not this bundle's execution.
    const other = keccak256(toHex('another message'))
    const proofs = await proveMessages(DESTINATION, handler, [other])
    await rejectsWith(claim(hash, relayerA.address, proofs.get(other)!), 'ProofRootMismatch')
    assert.equal((await feeOf(hash)).claimedBy, zeroAddress)
  })

  test('refuses forged execution proofs: another sender, another chain, a tampered sibling, a root never imported', async () => {
    const hash = await sendPaid(1_000n)
    const record = executionRecordHash(hash, relayerA.address)
    // The same record hash recorded by another contract of chain 999 (the InteropCenter) is not an execution record.
    const byCenter = await proveMessages(DESTINATION, center, [record, keccak256('0x01')])
    await rejectsWith(claim(hash, relayerA.address, byCenter.get(record)!), 'SenderNotInteropHandler')
    const asHandler = { ...byCenter.get(record)!, messageSender: handler }
    await rejectsWith(claim(hash, relayerA.address, asHandler), 'ProofRootMismatch')
    // Recorded by the handler of chain 998, not of the bundle's destination.
    const elsewhere = await proveMessages(998n, handler, [record])
    await rejectsWith(claim(hash, relayerA.address, elsewhere.get(record)!), 'ProofRootMismatch')
    const real = await proveMessages(DESTINATION, handler, [record, keccak256('0x02')])
    const proof = real.get(record)!
    await rejectsWith(claim(hash, relayerA.address, { ...proof, messageSiblings: [keccak256('0x03')] }), 'ProofRootMismatch')
    await rejectsWith(claim(hash, relayerA.address, { ...proof, slBlockNumber: 10_000n }), 'RootNotImported')
    await claim(hash, relayerA.address, proof)
  })

  test('refuses to top up a bundle sent without executionGasLimit: its execution is never recorded, so no fee of it could be claimed', async () => {
    const hash = await sendWithoutFee()
    await rejectsWith(chain.write(stranger.privateKey, { address: center, abi: c.interopCenterAbi, functionName: 'topUpFee', args: [hash, DESTINATION], value: 1_000n }), 'NoFee')
    assert.deepEqual(await feeOf(hash), { paid: 0n, gasLimit: 0n, destinationChainId: 0n, claimedBy: zeroAddress })
  })

  test('records a bundle sent with executionGasLimit and 0 wei, refuses to claim its 0 wei, and pays its executor once it is topped up', async () => {
    const hash = await sendPaid(0n, 88_000n)
    assert.deepEqual(await feeOf(hash), { paid: 0n, gasLimit: 88_000n, destinationChainId: DESTINATION, claimedBy: zeroAddress })
    const record = executionRecordHash(hash, relayerA.address)
    const proofs = await proveMessages(DESTINATION, handler, [record])
    // Executed and provable, but 0 wei is no fee to claim: the claim is refused and the record stays open.
    await rejectsWith(claim(hash, relayerA.address, proofs.get(record)!), 'NoFee')
    assert.equal((await feeOf(hash)).claimedBy, zeroAddress)
    const receipt = await chain.write(stranger.privateKey, { address: center, abi: c.interopCenterAbi, functionName: 'topUpFee', args: [hash, DESTINATION], value: 4_000n })
    const [topUp] = parseEventLogs({ abi: c.interopCenterAbi, logs: receipt.logs, eventName: 'FeePaid' })
    assert.deepEqual([topUp!.args.amount, topUp!.args.total, topUp!.args.gasLimit], [4_000n, 4_000n, 88_000n])
    const before = await balance(relayerA.address)
    await claim(hash, relayerA.address, proofs.get(record)!)
    assert.equal(await balance(relayerA.address), before + 4_000n)
    assert.deepEqual(await feeOf(hash), { paid: 4_000n, gasLimit: 88_000n, destinationChainId: DESTINATION, claimedBy: relayerA.address })
  })

  test('refuses a claim for a bundle that paid no fee: sent without executionGasLimit, or with it and 0 wei', async () => {
    for (const hash of [await sendWithoutFee(), await sendPaid(0n)]) {
      const record = executionRecordHash(hash, relayerA.address)
      const proofs = await proveMessages(DESTINATION, handler, [record])
      const { errorArgs } = await rejectsWith(claim(hash, relayerA.address, proofs.get(record)!), 'NoFee')
      assert.deepEqual(errorArgs, [hash])
    }
  })
})

describe('the execution record', () => {
  test('executing a bundle sent with a fee (the fee flag in its version word) records abi.encode(tag, bundleHash, executor) as a message of the handler', async () => {
    const bundle: InteropBundle = { version: bundleVersionWord(true), sourceChainId: SOURCE, destinationChainId: BigInt(CHAIN_ID), salt: toHex(900n, { size: 32 }), calls: [{ to: recipient, from: user.address, value: 0n, data: '0x' }], executionAddress: zeroAddress, unbundler: zeroAddress }
    const proofs = await proveMessages(SOURCE, center, [bundleHash(bundle)])
    const receipt = await chain.write(relayerB.privateKey, { address: handler, abi: c.interopHandlerAbi, functionName: 'executeBundle', args: [encodeBundle(bundle), proofs.get(bundleHash(bundle))!] })
    const [recorded] = parseEventLogs({ abi: c.interopHandlerAbi, logs: receipt.logs, eventName: 'MessageRecorded' })
    assert.equal(getAddress(recorded!.address), handler)
    assert.equal(recorded!.args.sender, handler)
    assert.equal(recorded!.args.payloadHash, keccak256(encodeExecutionRecord(bundleHash(bundle), relayerB.address)))
    assert.equal(await read(handler, c.interopHandlerAbi, 'EXECUTION_RECORD_TAG'), EXECUTION_RECORD_TAG)
  })

  test('of two relayers racing to execute a bundle sent with a fee, the second is refused and only the winner\'s execution is recorded', async () => {
    const bundle: InteropBundle = { version: bundleVersionWord(true), sourceChainId: SOURCE, destinationChainId: BigInt(CHAIN_ID), salt: toHex(903n, { size: 32 }), calls: [{ to: recipient, from: user.address, value: 0n, data: '0x' }], executionAddress: zeroAddress, unbundler: zeroAddress }
    const proof = (await proveMessages(SOURCE, center, [bundleHash(bundle)])).get(bundleHash(bundle))!
    const execute = (relayer: typeof relayerA) => chain.write(relayer.privateKey, { address: handler, abi: c.interopHandlerAbi, functionName: 'executeBundle', args: [encodeBundle(bundle), proof] })
    const won = await execute(relayerA)
    await rejectsWith(execute(relayerB), 'BundleAlreadyProcessed')
    const records = await chain.client.getContractEvents({ address: handler, abi: c.interopHandlerAbi, eventName: 'MessageRecorded', fromBlock: won.blockNumber })
    assert.deepEqual(records.map((e) => e.args.payloadHash), [keccak256(encodeExecutionRecord(bundleHash(bundle), relayerA.address))], 'one record, naming the winner: the loser has nothing to prove')
  })

  test('executing a bundle sent without a fee records nothing: no fee of it can exist to claim', async () => {
    const bundle: InteropBundle = { version: bundleVersionWord(false), sourceChainId: SOURCE, destinationChainId: BigInt(CHAIN_ID), salt: toHex(901n, { size: 32 }), calls: [{ to: recipient, from: user.address, value: 0n, data: '0x' }], executionAddress: zeroAddress, unbundler: zeroAddress }
    const proofs = await proveMessages(SOURCE, center, [bundleHash(bundle)])
    const receipt = await chain.write(relayerB.privateKey, { address: handler, abi: c.interopHandlerAbi, functionName: 'executeBundle', args: [encodeBundle(bundle), proofs.get(bundleHash(bundle))!] })
    assert.deepEqual(parseEventLogs({ abi: c.interopHandlerAbi, logs: receipt.logs }).map((e) => e.eventName), ['BundleExecuted'])
  })

  test('the center flags the bundles sent with executionGasLimit, fee or not, and only those', async () => {
    const versionOf = async (attributes: Hex[], value: bigint) => {
      const receipt = await chain.write(user.privateKey, { address: center, abi: c.interopCenterAbi, functionName: 'sendMessage', args: [formatInteroperableAddress({ chainId: DESTINATION, address: recipient }), '0x01', attributes], value })
      const [sent] = sentBundlesOf(receipt.logs, center)
      return BigInt(slice(sent!.bundle, 32, 64))
    }
    assert.equal(await versionOf([], 0n), 1n)
    assert.equal(await versionOf([encodeExecutionGasLimitAttribute(90_000n)], 0n), 1n | INTEROP_BUNDLE_PAYS_FEE_FLAG)
    assert.equal(await versionOf([encodeExecutionGasLimitAttribute(90_000n)], 3_000n), 1n | INTEROP_BUNDLE_PAYS_FEE_FLAG)
    assert.equal(await read(center, c.interopCenterAbi, 'PAYS_FEE_FLAG'), INTEROP_BUNDLE_PAYS_FEE_FLAG)
    assert.equal(await read(handler, c.interopHandlerAbi, 'PAYS_FEE_FLAG'), INTEROP_BUNDLE_PAYS_FEE_FLAG)
  })

  test('refuses a version word with any other bit than the fee flag', async () => {
    const bundles = [0n, 2n, INTEROP_BUNDLE_PAYS_FEE_FLAG, 1n | (1n << 129n), 1n | (1n << 255n), 1n | 2n].map(
      (version): InteropBundle => ({ version, sourceChainId: SOURCE, destinationChainId: BigInt(CHAIN_ID), salt: toHex(902n, { size: 32 }), calls: [{ to: recipient, from: user.address, value: 0n, data: '0x' }], executionAddress: zeroAddress, unbundler: zeroAddress }),
    )
    // Proven (as if the source's center had sent them): the version is refused all the same, before the proof.
    const proofs = await proveMessages(SOURCE, center, bundles.map((bundle) => bundleHash(bundle)))
    for (const bundle of bundles) {
      const { version } = bundle
      const { errorArgs } = await rejectsWith(chain.write(relayerB.privateKey, { address: handler, abi: c.interopHandlerAbi, functionName: 'executeBundle', args: [encodeBundle(bundle), proofs.get(bundleHash(bundle))!] }), 'UnsupportedBundleVersion')
      assert.deepEqual(errorArgs, [version])
    }
  })
})

describe('fee conservation', () => {
  test('over random sends, top-ups and claims, what was paid is what was claimed plus what the center holds (nothing is refunded)', async () => {
    const op = fc.oneof(
      // 0 wei too: a record a top-up can pay, whose claim is refused (NoFee) while it holds nothing.
      fc.record({ kind: fc.constant('send' as const), fee: fc.oneof(fc.constant(0n), fc.bigInt({ min: 1n, max: 10n ** 15n })) }),
      fc.record({ kind: fc.constant('topUp' as const), which: fc.nat(), amount: fc.bigInt({ min: 1n, max: 10n ** 15n }) }),
      fc.record({ kind: fc.constant('claim' as const), which: fc.nat(), executor: fc.constantFrom(relayerA, relayerB) }),
      fc.record({ kind: fc.constant('claimAgain' as const), which: fc.nat() }),
    )
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 8 }), async (ops) => {
        const heldBefore = await balance(center)
        const bundles: Hex[] = []
        const claimedBy = new Map<Hex, Address>()
        let paid = 0n
        let claimed = 0n
        for (const o of ops) {
          if (o.kind === 'send') {
            bundles.push(await sendPaid(o.fee))
            paid += o.fee
            continue
          }
          if (bundles.length === 0) continue
          const hash = bundles[o.which % bundles.length]!
          if (o.kind === 'topUp') {
            if (claimedBy.has(hash)) {
              await rejectsWith(chain.write(stranger.privateKey, { address: center, abi: c.interopCenterAbi, functionName: 'topUpFee', args: [hash, DESTINATION], value: o.amount }), 'FeeAlreadyClaimed')
            } else {
              await chain.write(stranger.privateKey, { address: center, abi: c.interopCenterAbi, functionName: 'topUpFee', args: [hash, DESTINATION], value: o.amount })
              paid += o.amount
            }
          } else {
            const executor = o.kind === 'claim' ? o.executor.address : (claimedBy.get(hash) ?? relayerA.address)
            const record = executionRecordHash(hash, executor)
            const proofs = await proveMessages(DESTINATION, handler, [record])
            if (claimedBy.has(hash)) {
              await rejectsWith(claim(hash, executor, proofs.get(record)!), 'FeeAlreadyClaimed')
            } else if ((await feeOf(hash)).paid === 0n) {
              await rejectsWith(claim(hash, executor, proofs.get(record)!), 'NoFee')
            } else {
              const amount = (await feeOf(hash)).paid
              await claim(hash, executor, proofs.get(record)!)
              claimedBy.set(hash, executor)
              claimed += amount
            }
          }
          const heldNow = (await balance(center)) - heldBefore
          assert.equal(heldNow, paid - claimed, 'the center holds exactly what was paid and not claimed')
        }
        let held = 0n
        for (const hash of new Set(bundles)) {
          const fee = await feeOf(hash)
          if (fee.claimedBy === zeroAddress) held += fee.paid
          assert.equal(fee.claimedBy, claimedBy.get(hash) ?? zeroAddress)
        }
        assert.equal(paid, claimed + 0n + held, 'paid = claimed + refunded (0) + held')
        assert.equal((await balance(center)) - heldBefore, held)
      }),
      { numRuns: 12 },
    )
  })
})

describe('the execution gas model', () => {
  test('quotes at least the gas a relayer must supply to execute a bundle alone, and at most 25% more than it uses, across payload sizes and call counts', async () => {
    const rows: string[] = []
    const results: { quoted: bigint; used: bigint; supplied: bigint }[] = []
    let salt = 1_000n
    // Each call to its own recipient, payloads growing: what the recipient spends is what it spends alone.
    const recipients: Address[] = []
    for (let i = 0; i < 8; i++)
      recipients.push(getAddress((await chain.deploy(deployer.privateKey, { abi: c.standardRecipientAbi, bytecode: c.standardRecipientBytecode, args: [center], action: 'deploy StandardRecipient' })).address))
    for (const payload of [0, 32, 256, 1_024, 4_096]) {
      for (const calls of [1, 3, 8]) {
        const data = toHex(new Uint8Array(payload).map((_, i) => (i * 13 + payload + 1) % 256 || 1))
        const bundle: InteropBundle = {
          version: bundleVersionWord(true), sourceChainId: SOURCE, destinationChainId: BigInt(CHAIN_ID), salt: toHex(salt++, { size: 32 }),
          calls: Array.from({ length: calls }, (_, i) => ({ to: recipients[i]!, from: user.address, value: 0n, data })),
          executionAddress: zeroAddress, unbundler: zeroAddress,
        }
        const encoded = encodeBundle(bundle)
        const payloadBytes = (encoded.length - 2) / 2
        const proofs = await proveMessages(SOURCE, center, [bundleHash(bundle)])
        // What the recipient spends, as the SDK measures it: its receiveMessage from the InteropCenter, alone.
        const recipientGas = await Promise.all(recipients.slice(0, calls).map((to) => recipientGasOf(to, data)))
        const quoted = estimateExecutionGas({ payloadBytes, recipientGas })
        // What a relayer must supply (its estimate), and what the execution then uses.
        const args = [encoded, proofs.get(bundleHash(bundle))!] as const
        const supplied = await chain.client.estimateContractGas({ address: handler, abi: c.interopHandlerAbi, functionName: 'executeBundle', args, account: relayerA.address })
        const receipt = await chain.write(relayerA.privateKey, { address: handler, abi: c.interopHandlerAbi, functionName: 'executeBundle', args })
        const used = receipt.gasUsed
        rows.push(`${calls} call(s), ${payload} B data, ${payloadBytes} B bundle: quoted ${quoted}, estimated ${supplied}, used ${used} (${((Number(quoted) / Number(used) - 1) * 100).toFixed(1)}% above)`)
        results.push({ quoted, used, supplied })
      }
    }
    console.log(rows.join('\n'))
    for (const [i, r] of results.entries()) assert.ok(r.quoted >= r.supplied && r.quoted >= r.used && r.quoted <= (r.used * 125n) / 100n, rows[i])
  })
})

/** Gas the recipient's `receiveMessage(data)` uses when the InteropCenter calls it, without the transaction's intrinsic cost. */
async function recipientGasOf(to: Address, data: Hex): Promise<bigint> {
  const call = encodeFunctionData({ abi: c.standardRecipientAbi, functionName: 'receiveMessage', args: [keccak256('0x'), formatInteroperableAddress({ chainId: SOURCE, address: user.address }), data] })
  const estimated = await chain.client.estimateGas({ account: center, to, data: call })
  return estimated - intrinsicGas(call)
}
