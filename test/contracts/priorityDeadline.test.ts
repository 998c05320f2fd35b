// Forced inclusion (protocol §9.2) on a real EVM: every priority request gets a deadline on the
// settlement layer's clock when it is queued, and the chain cannot commit batches that leave a request
// unprocessed past its deadline, while a late prover changes nothing. One anvil plays the settlement
// layer; an account plays the L1AssetRouter (the queue's requester); time moves with evm_increaseTime.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { getAddress, keccak256, parseEventLogs, toHex, zeroAddress, zeroHash, type Address, type Hex } from 'viem'
import { ChainConnection } from '../../src/chain/ChainConnection.js'
import { devAccount } from '../../src/chain/devAccounts.js'
import { createAnvil, type AnvilProcess } from '../../src/chain/process/index.js'
import * as c from '../../src/contracts/generated/index.js'
import { batchHash, emptyBatchCommitment, priorityRollingHash, type BatchCommitment } from '../../src/protocol/index.js'
import { rejectsWith } from '../../src/testing/rejectsWith.js'

const SL = 31337
const CHAIN = 271n
/** The chain's timeout in this test: seconds a request may wait. */
const TIMEOUT = 100n
const deployer = devAccount(0)
const operator = devAccount(4)
/** Plays the L1AssetRouter, the only account that queues requests. */
const requester = devAccount(5)

let anvil: AnvilProcess
let chain: ChainConnection
let verifier: Address
let root: Address
let registry: Address
let settlement: Address
/** Every request queued so far: its hash and the timestamp of the block that queued it. */
const queued: { requestHash: Hex; queuedAt: bigint }[] = []
/** The batches committed so far, in order. */
const committed: BatchCommitment[] = []

const read = <T>(address: Address, functionName: string, args: readonly unknown[] = []) =>
  chain.client.readContract({ address, abi: c.chainSettlementAbi, functionName, args } as never) as Promise<T>
const deploy = async (abi: readonly unknown[], bytecode: Hex, args: readonly unknown[], action: string) =>
  getAddress((await chain.deploy(deployer.privateKey, { abi: abi as never, bytecode, args, action })).address)
const call = (functionName: string, args: readonly unknown[]) =>
  chain.write(operator.privateKey, { address: settlement, abi: c.chainSettlementAbi, functionName, args } as never)
const settlementArgs = (timeout: bigint) => [CHAIN, operator.address, verifier, root, keccak256('0x01'), 0n, requester.address, registry, true, timeout]

/** Queues one request (a call of nobody, with distinct data). */
async function enqueue(): Promise<{ index: bigint; requestHash: Hex; queuedAt: bigint }> {
  const receipt = await chain.write(requester.privateKey, { address: settlement, abi: c.chainSettlementAbi, functionName: 'enqueuePriorityRequest', args: [zeroAddress, toHex(`request ${queued.length}`)] })
  const [event] = parseEventLogs({ abi: c.chainSettlementAbi, logs: receipt.logs, eventName: 'PriorityRequestQueued' })
  const block = await chain.client.getBlock({ blockNumber: receipt.blockNumber })
  queued.push({ requestHash: event!.args.requestHash, queuedAt: block.timestamp })
  return { index: event!.args.index, requestHash: event!.args.requestHash, queuedAt: block.timestamp }
}

/** Requests processed by the committed batches. */
const processedSoFar = () => committed.reduce((sum, b) => sum + Number(b.priorityRequestsCount), 0)

/** The batch after `previous` (one block each), processing `count` requests after the first `before`. */
function batchAfter(previous: BatchCommitment | undefined, before: number, count: number): BatchCommitment {
  const n = previous?.batchNumber ?? 0n
  return emptyBatchCommitment({
    batchNumber: n + 1n,
    previousBatchHash: previous ? batchHash(previous) : keccak256('0x01'),
    firstBlock: n + 1n,
    lastBlock: n + 1n,
    timestamp: 1n,
    priorityRequestsCount: BigInt(count),
    priorityRequestsHash: before + count === 0 ? zeroHash : priorityRollingHash(queued.slice(0, before + count).map((q) => q.requestHash)),
  })
}

/** The next batch to commit, processing `count` more requests. */
const nextBatch = (count: number) => batchAfter(committed.at(-1), processedSoFar(), count)

/** The next two batches to commit: the first processes `first` more requests, the second `second` more. */
function twoBatches(first: number, second: number): [BatchCommitment, BatchCommitment] {
  const a = nextBatch(first)
  return [a, batchAfter(a, processedSoFar() + first, second)]
}

/** Moves the settlement layer's clock `seconds` ahead and mines a block there. */
async function timeTravel(seconds: bigint): Promise<bigint> {
  await chain.client.request({ method: 'evm_increaseTime', params: [toHex(seconds)] } as never)
  await chain.client.request({ method: 'evm_mine' } as never)
  return (await chain.client.getBlock({ blockTag: 'latest' })).timestamp
}

before(async () => {
  anvil = createAnvil({ chainId: SL, port: 0, name: 'priority-deadline' })
  await anvil.start()
  chain = new ChainConnection({ chainId: SL, name: 'priority-deadline', rpcUrl: anvil.rpcUrl })
  verifier = await deploy(c.developmentVerifierAbi, c.developmentVerifierBytecode, [], 'deploy DevelopmentVerifier')
  root = await deploy(c.messageRootAbi, c.messageRootBytecode, [zeroAddress, zeroAddress, 0n], 'deploy MessageRoot')
  registry = await deploy(c.chainRegistryAbi, c.chainRegistryBytecode, [root, zeroAddress], 'deploy ChainRegistry')
  await chain.write(deployer.privateKey, { address: root, abi: c.messageRootAbi, functionName: 'setRegistry', args: [registry] })
  settlement = await deploy(c.chainSettlementAbi, c.chainSettlementBytecode, settlementArgs(TIMEOUT), 'deploy ChainSettlement')
  await chain.write(deployer.privateKey, { address: registry, abi: c.chainRegistryAbi, functionName: 'registerChain', args: [CHAIN, settlement] })
})
after(async () => {
  await anvil?.stop()
})

describe('forced inclusion: deadlines of priority requests', () => {
  test('a settlement refuses a timeout of 0 or beyond 2^40 seconds', async () => {
    for (const timeout of [0n, 2n ** 40n + 1n]) {
      const refused = await rejectsWith(chain.deploy(deployer.privateKey, { abi: c.chainSettlementAbi, bytecode: c.chainSettlementBytecode, args: settlementArgs(timeout) as never, action: 'deploy ChainSettlement' }), 'InvalidPriorityRequestTimeout')
      assert.deepEqual(refused.errorArgs, [timeout])
    }
  })

  test('each request is due the timeout after the block that queued it, on the settlement layer', async () => {
    assert.equal(await read(settlement, 'priorityRequestTimeout'), TIMEOUT)
    for (let i = 0; i < 5; i++) {
      const { index, queuedAt } = await enqueue()
      assert.equal(index, BigInt(i))
      assert.equal(await read(settlement, 'priorityRequestDeadline', [index]), queuedAt + TIMEOUT)
    }
    // Four deadlines share a storage slot: the fifth did not disturb the first four.
    for (let i = 0; i < 5; i++) assert.equal(await read(settlement, 'priorityRequestDeadline', [BigInt(i)]), queued[i]!.queuedAt + TIMEOUT)
    assert.equal(await read(settlement, 'priorityRequestDeadline', [5n]), 0n, 'a request not queued has no deadline')
  })

  test('before the deadline the chain commits and executes batches that leave requests for later', async () => {
    const first = nextBatch(1)
    await call('commitBatches', [[first]])
    committed.push(first)
    assert.equal(await read(settlement, 'totalPriorityRequestsCommitted'), 1n)
    await call('proveBatches', [[first], '0x'])
    await call('executeBatches', [[first], [[]]])
    assert.equal(await read(settlement, 'totalPriorityRequestsProcessed'), 1n)
  })

  test('a commit that claims more requests than were queued is refused at once', async () => {
    const tooMany = nextBatch(queued.length)
    assert.deepEqual((await rejectsWith(call('commitBatches', [[tooMany]]), 'PriorityRequestsNotQueued')).errorArgs, [tooMany.batchNumber, BigInt(queued.length + 1), BigInt(queued.length)])
  })

  test('past the deadline, a commit that leaves the request unprocessed is refused; with the batch that processes it, it goes through', async () => {
    const deadline = queued[1]!.queuedAt + TIMEOUT
    const now = await timeTravel(TIMEOUT + 1n)
    assert.ok(now > deadline)
    // A batch that processes nothing, and one that processes request 1 but leaves request 2: both refused.
    const refused = await rejectsWith(call('commitBatches', [[nextBatch(0)]]), 'PriorityRequestOverdue')
    const [index, due, at] = refused.errorArgs as bigint[]
    assert.deepEqual([index, due], [1n, deadline])
    assert.ok(at! > deadline)
    assert.deepEqual((await rejectsWith(call('commitBatches', [[nextBatch(1)]]), 'PriorityRequestOverdue')).errorArgs?.slice(0, 2), [2n, queued[2]!.queuedAt + TIMEOUT])
    assert.equal(await read(settlement, 'totalCommitted'), 1n, 'nothing was committed')

    // The late batch goes out together with the next one, which processes requests 1 and 2 (3 and 4 are overdue too).
    const [a, b] = twoBatches(0, 4)
    await call('commitBatches', [[a, b]])
    committed.push(a, b)
    assert.equal(await read(settlement, 'totalPriorityRequestsCommitted'), 5n)
  })

  test('a slow prover does not make an honest chain fail: batches committed in time execute after the deadline', async () => {
    const { queuedAt } = await enqueue()
    const processing = nextBatch(1)
    await call('commitBatches', [[processing]])
    committed.push(processing)
    await timeTravel(TIMEOUT * 5n)
    assert.ok((await chain.client.getBlock({ blockTag: 'latest' })).timestamp > queuedAt + TIMEOUT)
    const pending = committed.slice(1)
    await call('proveBatches', [pending, '0x'])
    await call('executeBatches', [pending, pending.map(() => [])])
    assert.equal(await read(settlement, 'totalExecuted'), BigInt(committed.length))
    assert.equal(await read(settlement, 'totalPriorityRequestsProcessed'), BigInt(queued.length))
    // Nothing is pending: the chain commits empty batches whenever it likes.
    const idle = nextBatch(0)
    await call('commitBatches', [[idle]])
    committed.push(idle)
  })
})
