// End to end, on real chains, with the services running but the relayer OFF: the messages sent here
// are settled and their roots imported, but nobody executes them, so each test holds a real, valid
// proof and checks what the contracts refuse, and that the refusal changed nothing on chain.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { getAddress, keccak256, toHex, zeroHash, type Address, type Hex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { sentBundlesOf } from '../../src/indexer/sentBundles.js'
import { ChainConnection } from '../../src/chain/ChainConnection.js'
import * as c from '../../src/contracts/generated/index.js'
import { zkChainCursor } from '../../src/indexer/ZkChainIndexer.js'
import {
  BundleStatus,
  bundleHash as hashBundle,
  encodeBundle,
  formatInteroperableAddress,
  verifyInteropProof,
  type BatchCommitment,
  type ImportedRoot,
  type InteropBundle,
  type InteropProof,
} from '../../src/protocol/index.js'
import type { GetMessageProofReturnType } from '../../src/sdk/index.js'
import { JunctionIndex } from '../../src/sdk/index.js'
import { readCursor, type Store } from '../../src/store/openStore.js'
import { fromStoredJson } from '../../src/store/storedJson.js'
import { buildLeafProof, eventually, rejectsWith, sleep, waitForProof } from '../support/e2e.js'
import { chainNamed, startTestNetwork } from '../support/testNetwork.js'

type TestNetwork = Awaited<ReturnType<typeof startTestNetwork>>

let network: TestNetwork
let store: Store
let index: JunctionIndex
let l1: ChainConnection
let alpha: ChainConnection
let beta: ChainConnection
let userKey: Hex
let user: Address
const serviceErrors: string[] = []

/** A message alpha → beta, sent for real, settled, its root imported on beta, never executed by a relayer. */
type SentMessage = { bundleHash: Hex; recipient: Address; payload: Hex; proven: GetMessageProofReturnType }
let unexecuted: SentMessage // never executed: every refusal but the replay uses it
let toReplay: SentMessage // executed once by the replay test
/** A bundle recorded on alpha's messenger by FakeSender, claiming to come from the user through the InteropCenter. */
let fake: { bundle: InteropBundle; encoded: Hex; hash: Hex; sender: Address; recipient: Address }

const contracts = () => network.manifest.l2Contracts

before(async () => {
  network = await startTestNetwork({
    relay: false,
    onServiceError: (service, error) => serviceErrors.push(`${service}: ${error instanceof Error ? error.message : String(error)}`),
  })
  store = network.services!.store
  index = new JunctionIndex(network.manifest)
  l1 = new ChainConnection(network.manifest.l1)
  alpha = new ChainConnection(chainNamed(network, 'alpha'))
  beta = new ChainConnection(chainNamed(network, 'beta'))
  userKey = network.manifest.accounts.users[0]!.privateKey
  user = privateKeyToAccount(userKey).address
  const { interopCenter, l2Messenger } = contracts()

  const [recipientA, recipientB, fakeRecipient] = [await deployRecipient(beta), await deployRecipient(beta), await deployRecipient(beta)]

  // The fake first, so that the root imported for the real messages sent after it covers it too.
  const { address: fakeSender } = await alpha.deploy(userKey, { abi: c.fakeSenderAbi, bytecode: c.fakeSenderBytecode, args: [l2Messenger], action: 'deploy FakeSender' })
  const bundle: InteropBundle = {
    version: 1n,
    sourceChainId: BigInt(alpha.chainId),
    destinationChainId: BigInt(beta.chainId),
    salt: keccak256(toHex('not from the InteropCenter')),
    calls: [{ to: fakeRecipient, from: user, value: 0n, data: toHex('forged') }],
    executionAddress: '0x0000000000000000000000000000000000000000',
    unbundler: '0x0000000000000000000000000000000000000000',
  }
  const encoded = encodeBundle(bundle)
  await alpha.write(userKey, { address: fakeSender, abi: c.fakeSenderAbi, functionName: 'recordBundle', args: [encoded] })
  fake = { bundle, encoded, hash: hashBundle(bundle), sender: getAddress(fakeSender), recipient: fakeRecipient }

  const send = async (recipient: Address, payload: Hex): Promise<Hex> => {
    const receipt = await alpha.write(userKey, {
      address: interopCenter,
      abi: c.interopCenterAbi,
      functionName: 'sendMessage',
      args: [formatInteroperableAddress({ chainId: beta.chainId, address: recipient }), payload, []],
    })
    const [sent] = sentBundlesOf(receipt.logs, interopCenter)
    assert.ok(sent)
    return sent.bundleHash
  }
  const hashA = await send(recipientA, toHex('first'))
  const hashB = await send(recipientB, toHex('second'))
  unexecuted = { bundleHash: hashA, recipient: recipientA, payload: toHex('first'), proven: await waitForProof(index, hashA) }
  toReplay = { bundleHash: hashB, recipient: recipientB, payload: toHex('second'), proven: await waitForProof(index, hashB) }
})

after(async () => {
  await network?.close()
})

async function deployRecipient(chain: ChainConnection): Promise<Address> {
  const { address } = await chain.deploy(userKey, { abi: c.standardRecipientAbi, bytecode: c.standardRecipientBytecode, args: [contracts().interopCenter], action: 'deploy StandardRecipient' })
  return address
}

function received(chain: ChainConnection, recipient: Address): Promise<bigint> {
  return chain.client.readContract({ address: recipient, abi: c.standardRecipientAbi, functionName: 'received' }) as Promise<bigint>
}

/** The handler's status of `bundle` (its bytes: the status is kept under its number on its route and its hash). */
function bundleStatus(chain: ChainConnection, bundle: Hex): Promise<number> {
  return chain.client.readContract({ address: contracts().interopHandler, abi: c.interopHandlerAbi, functionName: 'bundleStatus', args: [bundle] }) as Promise<number>
}

function interopRoot(chain: ChainConnection, slChainId: bigint, slBlockNumber: bigint): Promise<Hex> {
  return chain.client.readContract({ address: contracts().interopRootStore, abi: c.interopRootStoreAbi, functionName: 'interopRoot', args: [slChainId, slBlockNumber] }) as Promise<Hex>
}

function executeBundle(chain: ChainConnection, bundle: Hex, proof: InteropProof) {
  return chain.write(userKey, { address: contracts().interopHandler, abi: c.interopHandlerAbi, functionName: 'executeBundle', args: [bundle, proof] })
}

function readSettlement(functionName: 'totalCommitted' | 'totalProven' | 'totalExecuted'): Promise<bigint> {
  return l1.client.readContract({ address: chainNamed(network, 'beta').settlement, abi: c.chainSettlementAbi, functionName }) as Promise<bigint>
}

/** Asserts the unexecuted message is still unexecuted and its recipient untouched. */
async function assertNothingDelivered() {
  assert.equal(await bundleStatus(beta, unexecuted.proven.bundle), BundleStatus.Unreceived)
  assert.equal(await received(beta, unexecuted.recipient), 0n)
}

const flipLastByte = (h: Hex): Hex => `0x${h.slice(2, -2)}${(parseInt(h.slice(-2), 16) ^ 1).toString(16).padStart(2, '0')}`

test('refuses a forged proof, and the bundle stays unreceived', async () => {
  const { bundle, proof } = unexecuted.proven
  assert.ok(proof.chainSiblings.length > 0, 'two chains: the chain leaf has a sibling')
  const forgedSibling = { ...proof, chainSiblings: [flipLastByte(proof.chainSiblings[0]!), ...proof.chainSiblings.slice(1)] }
  await rejectsWith(executeBundle(beta, bundle, forgedSibling), 'ProofRootMismatch')
  const forgedIndex = { ...proof, chainIndex: proof.chainIndex ^ 1n }
  await rejectsWith(executeBundle(beta, bundle, forgedIndex), 'ProofRootMismatch')
  const padded = { ...proof, messageSiblings: [...proof.messageSiblings, zeroHash] }
  await rejectsWith(executeBundle(beta, bundle, padded), 'WrongProofLength')
  await assertNothingDelivered()
})

test('refuses a proof against a root that was never imported', async () => {
  const { bundle, proof } = unexecuted.proven
  const neverImported = 9_999_999n
  assert.equal(await interopRoot(beta, proof.slChainId, neverImported), zeroHash)
  const error = await rejectsWith(executeBundle(beta, bundle, { ...proof, slBlockNumber: neverImported }), 'RootNotImported')
  assert.deepEqual(error.errorArgs, [proof.slChainId, neverImported])
  await assertNothingDelivered()
})

test('refuses a bundle on a chain other than its destination', async () => {
  const { bundle, proof } = unexecuted.proven
  const error = await rejectsWith(executeBundle(alpha, bundle, proof), 'WrongDestinationChain')
  assert.deepEqual(error.errorArgs, [BigInt(alpha.chainId), BigInt(beta.chainId)])
  assert.equal(await bundleStatus(alpha, unexecuted.proven.bundle), BundleStatus.Unreceived)
  await assertNothingDelivered()
})

test('executes a bundle with a valid proof once, and refuses it replayed', async () => {
  const { bundle, proof } = toReplay.proven
  assert.equal(await received(beta, toReplay.recipient), 0n, 'the relayer is off: nothing was delivered yet')
  await executeBundle(beta, bundle, proof)
  assert.equal(await bundleStatus(beta, toReplay.proven.bundle), BundleStatus.Executed)
  assert.equal(await received(beta, toReplay.recipient), 1n)
  assert.equal(
    await beta.client.readContract({ address: toReplay.recipient, abi: c.standardRecipientAbi, functionName: 'lastPayload' }),
    toReplay.payload,
  )

  const error = await rejectsWith(executeBundle(beta, bundle, proof), 'BundleAlreadyProcessed')
  assert.deepEqual(error.errorArgs, [toReplay.bundleHash, BundleStatus.Executed])
  assert.equal(await received(beta, toReplay.recipient), 1n, 'still delivered once')
  assert.equal(await bundleStatus(beta, toReplay.proven.bundle), BundleStatus.Executed)
})

test('refuses a bundle recorded on the messenger by another contract than the InteropCenter', async () => {
  await index.sync()
  const built = buildLeafProof(index.store, {
    sourceChainId: alpha.chainId,
    destinationChainId: beta.chainId,
    slChainId: network.manifest.l1.chainId,
    sender: fake.sender,
    payloadHash: fake.hash,
  })
  assert.ok(built, 'the fake leaf is settled and covered by a root imported on beta')
  // The proof is a genuine inclusion proof of the FakeSender's leaf under the imported root...
  assert.equal(await interopRoot(beta, built.proof.slChainId, built.proof.slBlockNumber), built.root)
  assert.equal(verifyInteropProof({ bundleHash: fake.hash, sourceChainId: fake.bundle.sourceChainId, interopCenter: fake.sender, proof: built.proof }), built.root.toLowerCase())

  // ...but only the InteropCenter's messages are bundles.
  const error = await rejectsWith(executeBundle(beta, fake.encoded, built.proof), 'SenderNotInteropCenter')
  assert.deepEqual(error.errorArgs, [fake.sender])
  // Claiming the InteropCenter sent it: that leaf is not in the tree.
  await rejectsWith(executeBundle(beta, fake.encoded, { ...built.proof, messageSender: contracts().interopCenter }), 'ProofRootMismatch')

  assert.equal(await bundleStatus(beta, fake.encoded), BundleStatus.Unreceived)
  assert.equal(await received(beta, fake.recipient), 0n)
})

test('refuses a root import by anyone but the operator', async () => {
  const slChainId = BigInt(network.manifest.l1.chainId)
  const error = await rejectsWith(
    beta.write(userKey, { address: contracts().interopRootStore, abi: c.interopRootStoreAbi, functionName: 'addInteropRoot', args: [slChainId, 10_000_000n, keccak256(toHex('mine'))] }),
    'NotOperator',
  )
  assert.deepEqual(error.errorArgs, [user])
  assert.equal(await interopRoot(beta, slChainId, 10_000_000n), zeroHash)
})

test('refuses a zero root and a root imported twice, even from the operator', async () => {
  const operatorKey = chainNamed(network, 'beta').operator.privateKey
  const slChainId = BigInt(network.manifest.l1.chainId)
  const addRoot = (slBlockNumber: bigint, root: Hex) =>
    beta.write(operatorKey, { address: contracts().interopRootStore, abi: c.interopRootStoreAbi, functionName: 'addInteropRoot', args: [slChainId, slBlockNumber, root] })

  await rejectsWith(addRoot(10_000_000n, zeroHash), 'ZeroRoot')
  assert.equal(await interopRoot(beta, slChainId, 10_000_000n), zeroHash)

  // Re-import over the real root beta imported for the messages above (a made-up key would need a
  // first, successful import of a root that is not in L1's history, which blocks beta's settlement).
  const { slBlockNumber } = unexecuted.proven.proof
  const real = await interopRoot(beta, slChainId, slBlockNumber)
  assert.notEqual(real, zeroHash)
  const error = await rejectsWith(addRoot(slBlockNumber, keccak256(toHex('another root'))), 'RootAlreadySet')
  assert.deepEqual(error.errorArgs, [slChainId, slBlockNumber, real])
  assert.equal(await interopRoot(beta, slChainId, slBlockNumber), real, 'roots are write-once')
})

// LAST: this blocks beta's settlement for good.
test('a destination batch that imported a fake root cannot execute on L1', async () => {
  const betaInfo = chainNamed(network, 'beta')
  const slChainId = BigInt(network.manifest.l1.chainId)

  // Beta at rest: everything indexed is sealed and executed on L1, so the fake import starts a batch of its own.
  const settledBefore = await eventually('beta fully settled', async () => {
    const head = Number(await beta.client.getBlockNumber({ cacheTime: 0 }))
    if (readCursor(store, zkChainCursor(beta.chainId), 0) < head) return undefined
    const last = store.prepare(`SELECT MAX(batch_number) AS n, SUM(status != 'executed') AS pending FROM batches WHERE chain_id = ?`).get(beta.chainId) as { n: number | null; pending: number | null }
    if (last.n === null || (last.pending ?? 0) > 0) return undefined
    return (await readSettlement('totalExecuted')) === BigInt(last.n) ? BigInt(last.n) : undefined
  })

  const fakeRoot = keccak256(toHex(`fake root ${Date.now()}`))
  const fakeBlock = 10_000_001n
  const receipt = await beta.write(betaInfo.operator.privateKey, {
    address: contracts().interopRootStore,
    abi: c.interopRootStoreAbi,
    functionName: 'addInteropRoot',
    args: [slChainId, fakeBlock, fakeRoot],
  })
  assert.equal(await interopRoot(beta, slChainId, fakeBlock), fakeRoot, 'the operator can write any root into its own chain')

  // The batcher seals the import into a batch; it is committed and proven, but never executed.
  const batch = await eventually('the batch holding the fake import', () =>
    store.prepare('SELECT batch_number, commitment, imported_roots FROM batches WHERE chain_id = ? AND ? BETWEEN first_block AND last_block').get(beta.chainId, Number(receipt.blockNumber)) as
      | { batch_number: number; commitment: string; imported_roots: string }
      | undefined,
  )
  const batchNumber = BigInt(batch.batch_number)
  assert.equal(batchNumber, settledBefore + 1n)
  const commitment = fromStoredJson<BatchCommitment>(batch.commitment)
  const roots = fromStoredJson<ImportedRoot[]>(batch.imported_roots)
  assert.deepEqual(roots, [{ slChainId, slBlockNumber: fakeBlock, root: fakeRoot }])

  await eventually('the fake batch proven on L1', async () => ((await readSettlement('totalProven')) >= batchNumber ? true : undefined))
  await eventually('the submitter to refuse executing it', () => (serviceErrors.some((e) => e.includes(`batch ${batchNumber} of beta imported a root its settlement layer does not accept`)) ? true : undefined))
  await sleep(1_000)
  assert.equal(await readSettlement('totalExecuted'), batchNumber - 1n, 'execution stops right before the batch with the fake root')
  assert.ok((await readSettlement('totalProven')) >= batchNumber)
  const l1Contracts = network.manifest.l1.contracts
  assert.equal(
    await l1.client.readContract({ address: l1Contracts.messageRoot, abi: c.messageRootAbi, functionName: 'chainBatchCount', args: [BigInt(beta.chainId)] }),
    batchNumber - 1n,
    "the fake batch's message root was never appended on L1",
  )

  // Executing it ourselves with the operator's key is refused too, naming the fake root.
  const error = await rejectsWith(
    l1.write(betaInfo.operator.privateKey, { address: betaInfo.settlement, abi: c.chainSettlementAbi, functionName: 'executeBatches', args: [[commitment], [roots]] }),
    'RootNotInHistory',
  )
  assert.deepEqual(error.errorArgs, [slChainId, fakeBlock, fakeRoot])
  assert.equal(await readSettlement('totalExecuted'), batchNumber - 1n)
})
