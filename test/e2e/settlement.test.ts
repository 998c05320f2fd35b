// The settlement contracts' rules on L1, driven by hand (no services): order, chaining, proof before execution.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { zeroHash, type Hex } from 'viem'
import { ChainConnection } from '../../src/chain/ChainConnection.js'
import { devAccount } from '../../src/chain/devAccounts.js'
import { createAnvil } from '../../src/chain/process/index.js'
import * as c from '../../src/contracts/generated/index.js'
import type { ZkChainInfo } from '../../src/network/types.js'
import { batchHash, emptyBatchCommitment, importedRootsHash, type BatchCommitment } from '../../src/protocol/index.js'
import { rejectsWith } from '../support/e2e.js'
import { startTestNetwork } from '../support/testNetwork.js'

let network: Awaited<ReturnType<typeof startTestNetwork>>
let l1: ChainConnection
let alpha: ZkChainInfo

function batch(previous: { number: bigint; hash: Hex; lastBlock: bigint }, overrides: Partial<BatchCommitment> = {}): BatchCommitment {
  return emptyBatchCommitment({ batchNumber: previous.number + 1n, previousBatchHash: previous.hash, firstBlock: previous.lastBlock + 1n, lastBlock: previous.lastBlock + 1n, timestamp: 1n, ...overrides })
}

const settle = (functionName: string, args: readonly unknown[], key: Hex = alpha.operator.privateKey) =>
  l1.write(key, { address: alpha.settlement, abi: c.chainSettlementAbi, functionName, args })
const total = (functionName: 'totalCommitted' | 'totalProven' | 'totalExecuted') =>
  l1.client.readContract({ address: alpha.settlement, abi: c.chainSettlementAbi, functionName }) as Promise<bigint>

before(async () => {
  network = await startTestNetwork({ services: false })
  l1 = new ChainConnection(network.manifest.l1)
  alpha = network.manifest.chains[0]!
})
after(async () => {
  await network?.close()
})

describe('ChainSettlement on L1', () => {
  test('refuses batches from anyone but the chain operator', async () => {
    const first = batch({ number: 0n, hash: alpha.genesis.batchHash, lastBlock: BigInt(alpha.genesis.lastBlock) })
    await rejectsWith(settle('commitBatches', [[first]], network.manifest.accounts.users[0]!.privateKey), 'NotOperator')
    assert.equal(await total('totalCommitted'), 0n)
  })

  test('refuses a batch that does not chain to the previous batch hash, or skips a number', async () => {
    const genesis = { number: 0n, hash: alpha.genesis.batchHash, lastBlock: BigInt(alpha.genesis.lastBlock) }
    await rejectsWith(settle('commitBatches', [[batch({ ...genesis, hash: `0x${'11'.repeat(32)}` })]]), 'PreviousBatchHashMismatch')
    await rejectsWith(settle('commitBatches', [[batch({ ...genesis, number: 1n })]]), 'UnexpectedBatchNumber')
    assert.equal(await total('totalCommitted'), 0n)
  })

  test('never executes a batch before it is proven, and appends its root to the L1 message root once executed', async () => {
    const first = batch({ number: 0n, hash: alpha.genesis.batchHash, lastBlock: BigInt(alpha.genesis.lastBlock) })
    await settle('commitBatches', [[first]])
    assert.equal(await l1.client.readContract({ address: alpha.settlement, abi: c.chainSettlementAbi, functionName: 'batchHashes', args: [1n] }), batchHash(first))
    await rejectsWith(settle('executeBatches', [[first], [[]]]), 'BatchNotProven')
    assert.equal(await total('totalExecuted'), 0n)

    const tampered = { ...first, stateRoot: `0x${'22'.repeat(32)}` as Hex }
    await rejectsWith(settle('proveBatches', [[tampered], '0x']), 'BatchHashMismatch')
    await settle('proveBatches', [[first], '0x'])
    // The commitment says no imported roots; claiming one does not match its rolling hash.
    const claimed = [{ slChainId: 31337n, slBlockNumber: 1n, root: `0x${'33'.repeat(32)}` as Hex }]
    await rejectsWith(settle('executeBatches', [[first], [claimed]]), 'ImportedRootsMismatch')
    const receipt = await settle('executeBatches', [[first], [[]]])
    assert.equal(await total('totalExecuted'), 1n)
    const read = (functionName: string, args: readonly unknown[]) =>
      l1.client.readContract({ address: network.manifest.l1.contracts.messageRoot, abi: c.messageRootAbi, functionName, args } as never)
    assert.equal(await read('chainBatchCount', [BigInt(alpha.chainId)]), 1n)
    const latest = await read('latestRoot', [])
    assert.notEqual(latest, zeroHash)
    assert.equal(await read('historicalRoot', [receipt.blockNumber]), latest)
  })

  test('refuses to execute a batch whose imported root was never an L1 root', async () => {
    const previousHash = (await l1.client.readContract({ address: alpha.settlement, abi: c.chainSettlementAbi, functionName: 'batchHashes', args: [1n] })) as Hex
    const previous = { number: 1n, hash: previousHash, lastBlock: BigInt(alpha.genesis.lastBlock) + 1n }
    const fake = [{ slChainId: 31337n, slBlockNumber: 2n, root: `0x${'44'.repeat(32)}` as Hex }]
    const second = batch(previous, { importedRootsCount: 1n, importedRootsHash: importedRootsHash(fake) })
    await settle('commitBatches', [[second]])
    await settle('proveBatches', [[second], '0x'])
    await rejectsWith(settle('executeBatches', [[second], [fake]]), 'RootNotInHistory')
    assert.equal(await total('totalExecuted'), 1n)
  })
})

describe('DevelopmentVerifier', () => {
  test('accepts any proof on a development chain id and refuses to run on chain id 1', async () => {
    const key = devAccount(0).privateKey
    const verify = async (chain: ChainConnection) => {
      const { address } = await chain.deploy(key, { abi: c.developmentVerifierAbi, bytecode: c.developmentVerifierBytecode, action: 'deploy DevelopmentVerifier' })
      return chain.client.readContract({ address, abi: c.developmentVerifierAbi, functionName: 'verify', args: [zeroHash, '0x'] })
    }
    assert.equal(await verify(l1), true)
    // The development chain ids are 1337 and 31337 to 31346, nothing around them.
    const { address } = await l1.deploy(key, { abi: c.developmentVerifierAbi, bytecode: c.developmentVerifierBytecode, action: 'deploy DevelopmentVerifier' })
    const ids = [1n, 1336n, 1337n, 1338n, 31336n, 31337n, 31346n, 31347n]
    const development = await Promise.all(ids.map((id) => l1.client.readContract({ address, abi: c.developmentVerifierAbi, functionName: 'isDevelopmentChain', args: [id] })))
    assert.deepEqual(development, [false, false, true, false, false, true, true, false])
    const mainnetLike = createAnvil({ chainId: 1, port: 0, name: 'chain-1' })
    await mainnetLike.start()
    try {
      const chain = new ChainConnection({ chainId: 1, name: 'chain-1', rpcUrl: mainnetLike.rpcUrl })
      await assert.rejects(verify(chain), (error: unknown) => chain.explainRevert(error, 'verify').message.includes('NotADevelopmentChain(1)'))
    } finally {
      await mainnetLike.stop()
    }
  })
})
