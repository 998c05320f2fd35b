// Forced inclusion (protocol §9.2) on a running network: every deposit has a deadline on L1's clock;
// the services meet it in normal operation, and when they were down past it (L1's clock moved on while
// a deposit waited), the chain cannot commit anything that skips the deposit, and the services, once
// back, process it first and settle on.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { parseEther, toHex, type Address, type Hex } from 'viem'
import { ChainConnection } from '../../src/chain/ChainConnection.js'
import { DEFAULT_PRIORITY_REQUEST_TIMEOUT_SECONDS } from '../../src/chain/deployNetwork.js'
import * as c from '../../src/contracts/generated/index.js'
import { NetworkServices } from '../../src/services/NetworkServices.js'
import { emptyBatchCommitment } from '../../src/protocol/index.js'
import { depositETH } from '../../src/sdk/index.js'
import { eventually, rejectsWith } from '../support/e2e.js'
import { chainNamed, startTestNetwork, walletFor } from '../support/testNetwork.js'

let network: Awaited<ReturnType<typeof startTestNetwork>>
let services: NetworkServices | undefined
const serviceErrors: string[] = []
let l1: ChainConnection
let alpha: ChainConnection
let settlement: { address: Address; abi: typeof c.chainSettlementAbi }
let user: { address: Address; privateKey: Hex }

const startServices = () => {
  services = new NetworkServices({
    manifest: network.manifest,
    dataDir: network.dataDir,
    onError: (service, error) => serviceErrors.push(`${service}: ${error instanceof Error ? error.message : String(error)}`),
  })
  services.start()
}
const read = <T>(functionName: string, args: readonly unknown[] = []) => l1.client.readContract({ ...settlement, functionName, args } as never) as Promise<T>
const processedOnL1 = (count: bigint) => eventually(`${count} deposits settled on L1`, async () => ((await read<bigint>('totalPriorityRequestsProcessed')) >= count ? true : undefined), { timeoutMs: 30_000 })
const deposit = (amount: bigint, to: Address) => depositETH(walletFor(network.manifest.l1, user.privateKey), { manifest: network.manifest, chainId: alpha.chainId, amount, to })

before(async () => {
  network = await startTestNetwork({ chains: 1, services: false })
  l1 = new ChainConnection(network.manifest.l1)
  const info = chainNamed(network, 'alpha')
  alpha = new ChainConnection(info)
  settlement = { address: info.settlement, abi: c.chainSettlementAbi }
  user = network.manifest.accounts.users[0]!
  startServices()
})
after(async () => {
  await services?.stop()
  await network?.close()
})

test('the services process and commit every deposit long before its deadline', async () => {
  assert.equal(await read('priorityRequestTimeout'), BigInt(DEFAULT_PRIORITY_REQUEST_TIMEOUT_SECONDS))
  const receivers = [1, 2, 3].map((i) => `0x${i.toString(16).padStart(40, '0')}` as Address)
  let last = 0n
  for (const receiver of receivers) {
    const { requestIndex, receipt } = await deposit(1_000n, receiver)
    const queuedAt = (await l1.client.getBlock({ blockNumber: receipt.blockNumber })).timestamp
    assert.equal(await read('priorityRequestDeadline', [requestIndex]), queuedAt + BigInt(DEFAULT_PRIORITY_REQUEST_TIMEOUT_SECONDS))
    last = requestIndex
  }
  // Every request so far (the dev users' deposits at the start, then these) processed in executed batches.
  await processedOnL1(last + 1n)
  for (const receiver of receivers) assert.equal(await alpha.client.getBalance({ address: receiver }), 1_000n)
  assert.deepEqual(serviceErrors, [])
})

test('with a deposit overdue, the chain cannot commit past it; the services, back, process it first and settle on', async () => {
  await services!.stop()
  const receiver = '0x00000000000000000000000000000000000000aa'
  const { requestIndex } = await deposit(parseEther('1'), receiver)
  const deadline = await read<bigint>('priorityRequestDeadline', [requestIndex])
  // L1's clock moves past the deadline while nobody processes the deposit.
  await l1.client.request({ method: 'evm_increaseTime', params: [toHex(DEFAULT_PRIORITY_REQUEST_TIMEOUT_SECONDS + 60)] } as never)
  await l1.client.request({ method: 'evm_mine' } as never)

  // The operator cannot go on settling blocks that skip it.
  const committed = await read<bigint>('totalCommitted')
  const skipping = emptyBatchCommitment({
    batchNumber: committed + 1n,
    previousBatchHash: await read<Hex>('batchHashes', [committed]),
    firstBlock: (await read<bigint>('lastCommittedBlock')) + 1n,
    lastBlock: await alpha.client.getBlockNumber(),
    timestamp: 1n,
    priorityRequestsHash: await read<Hex>('priorityRollingHashes', [requestIndex]),
  })
  const info = chainNamed(network, 'alpha')
  const refused = await rejectsWith(l1.write(info.operator.privateKey, { ...settlement, functionName: 'commitBatches', args: [[skipping]] }), 'PriorityRequestOverdue')
  assert.deepEqual(refused.errorArgs?.slice(0, 2), [requestIndex, deadline])
  assert.equal(await read('totalCommitted'), committed)

  // Back, the services process it before they seal and commit anything else.
  startServices()
  await processedOnL1(requestIndex + 1n)
  assert.equal(await alpha.client.getBalance({ address: receiver }), parseEther('1'))
  assert.ok((await l1.client.getBlock({ blockTag: 'latest' })).timestamp > deadline, 'it was committed after its deadline')
  assert.deepEqual(serviceErrors, [], 'no commit was refused: the late deposit went into the first batch after the restart')

  // And the chain settles on: the next deposit (due a day from now) settles as usual.
  const next = await deposit(5n, receiver)
  await processedOnL1(next.requestIndex + 1n)
})
