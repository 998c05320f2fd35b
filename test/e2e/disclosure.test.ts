// Selective disclosure end to end (docs/prividium.md): a holder proves one token balance at a settled
// batch of alpha, checked against the batch hash alpha's ChainSettlement holds on L1; every tampering
// fails at the step it breaks; a batch committed but not executed fails at finality until it executes;
// through a permissioned RPC in front of alpha the holder can prove its own balance slot and nobody else's.
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { createPublicClient, getAddress, http, stringToHex, type Address, type PublicClient } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { ChainConnection } from '../../src/chain/ChainConnection.js'
import * as c from '../../src/contracts/generated/index.js'
import { defaultPrividiumConfig } from '../../src/prividium/defaultConfig.js'
import { signInWithEthereum } from '../../src/prividium/PrividiumApiClient.js'
import { createPrividiumProxy, type PrividiumProxy } from '../../src/prividium/PrividiumProxy.js'
import { balanceSlot, batchHash } from '../../src/protocol/index.js'
import {
  balanceDisclosureToJson,
  DisclosureProofInvalidError,
  DisclosureStateUnavailableError,
  DisclosureTokenAbsentError,
  getDisclosureProof,
  sendMessage,
  verifyDisclosureProof,
  type BalanceDisclosure,
  type BalanceDisclosureJson,
  type DisclosureStep,
} from '../../src/sdk/index.js'
import { endPause, requestPause } from '../../src/store/settlementPauses.js'
import { eventually } from '../support/e2e.js'
import { runJunction } from '../support/junctionProcess.js'
import { chainNamed, startTestNetwork, walletFor } from '../support/testNetwork.js'

let network: Awaited<ReturnType<typeof startTestNetwork>>
let alpha: ChainConnection
let alphaClient: PublicClient
let l1: PublicClient
let token: Address
let disclosure: BalanceDisclosure
const HELD = 1_234_567_890_123n

before(async () => {
  network = await startTestNetwork({ chains: 2 })
  alpha = new ChainConnection(chainNamed(network, 'alpha'))
  alphaClient = createPublicClient({ transport: http(chainNamed(network, 'alpha').rpcUrl) })
  l1 = createPublicClient({ transport: http(network.manifest.l1.rpcUrl) })
  const minter = network.manifest.accounts.users[0]!.privateKey
  token = getAddress((await alpha.deploy(minter, { abi: c.testTokenAbi, bytecode: c.testTokenBytecode, args: ['Bank', 'BNK', 18], action: 'deploy token' })).address)
  await alpha.write(minter, { address: token, abi: c.testTokenAbi, functionName: 'mint', args: [holder(1), HELD], action: 'mint' })
  await alpha.write(minter, { address: token, abi: c.testTokenAbi, functionName: 'mint', args: [holder(0), 5n], action: 'mint' })
  disclosure = await disclosedAfterNextBatch(holder(1))
})
after(async () => {
  await network?.close()
})

const holder = (user: number) => network.manifest.accounts.users[user]!.address
const ALPHA = 271
const chainRegistry = () => network.manifest.l1.contracts.chainRegistry

/** Seals a batch of alpha (a message to beta), then waits until a batch covering the current head is executed, and discloses there. */
async function disclosedAfterNextBatch(who: Address): Promise<BalanceDisclosure> {
  const head = await alpha.client.getBlockNumber({ cacheTime: 0 })
  await sendMessage(walletFor(chainNamed(network, 'alpha'), network.manifest.accounts.users[2]!.privateKey), { interopCenter: network.manifest.l2Contracts.interopCenter, recipient: { chainId: 272, address: network.manifest.l2Contracts.exampleRecipient }, payload: stringToHex('seal a batch') })
  return eventually(
    'a settled batch of alpha after the block',
    async () => {
      try {
        const { disclosure, executed } = await getDisclosureProof(alphaClient, { token, holder: who, manifest: network.manifest })
        return executed && disclosure.commitment.lastBlock > head ? disclosure : undefined
      } catch (error) {
        if (error instanceof DisclosureTokenAbsentError) return undefined // the newest batch is from before the token
        throw error
      }
    },
    { timeoutMs: 30_000 },
  )
}

const json = (mutate: (j: BalanceDisclosureJson) => void = () => {}): BalanceDisclosureJson => {
  const copy = structuredClone(balanceDisclosureToJson(disclosure))
  mutate(copy)
  return copy
}

async function refusedAt(candidate: unknown, step: DisclosureStep, client: PublicClient = l1): Promise<DisclosureProofInvalidError> {
  try {
    await verifyDisclosureProof(client, { disclosure: candidate, chainRegistry: chainRegistry() })
  } catch (error) {
    assert.ok(error instanceof DisclosureProofInvalidError, `expected a DisclosureProofInvalidError, got ${String(error)}`)
    assert.equal(error.step, step, error.message)
    return error
  }
  assert.fail(`the disclosure verified; expected a refusal at ${step}`)
}

/** `hex` with the byte at `index` (counted from the end when negative) flipped. */
function flipByte(hex: string, index: number): `0x${string}` {
  const bytes = Buffer.from(hex.slice(2), 'hex')
  const at = index < 0 ? bytes.length + index : index
  bytes[at] = bytes[at]! ^ 0x01
  return `0x${bytes.toString('hex')}`
}

test("a holder's balance disclosed at a settled batch verifies against the batch alpha's ChainSettlement holds on L1", async () => {
  const verified = await verifyDisclosureProof(l1, { disclosure: JSON.parse(JSON.stringify(json())), chainRegistry: chainRegistry() })
  assert.equal(verified.value, HELD)
  assert.equal(verified.holder, holder(1))
  assert.equal(verified.chainId, ALPHA)
  assert.equal(verified.settlementLayerChainId, network.manifest.l1.chainId)
  assert.ok(verified.executedBatches >= verified.batchNumber)
  // The world agrees: the state root is alpha's block's, the batch hash L1's, and the balance is the token's.
  const block = await alpha.client.getBlock({ blockNumber: verified.blockNumber })
  assert.equal(verified.stateRoot, block.stateRoot)
  assert.equal(await l1.readContract({ address: chainNamed(network, 'alpha').settlement, abi: c.chainSettlementAbi, functionName: 'batchHashes', args: [verified.batchNumber] }), batchHash(disclosure.commitment))
  assert.equal(await alpha.client.readContract({ address: token, abi: c.testTokenAbi, functionName: 'balanceOf', args: [holder(1)] }), HELD)
  assert.equal(verified.account.codeHash, (await alpha.client.getProof({ address: token, storageKeys: [] })).codeHash)
})

test('a flipped byte in the account proof fails at accountProof, wherever it is', async () => {
  const nodes = disclosure.accountProof.length
  for (const [node, byte] of [[0, 5], [nodes - 1, -1], [Math.floor(nodes / 2), 40]] as const) await refusedAt(json((j) => (j.accountProof[node] = flipByte(j.accountProof[node]!, byte))), 'accountProof')
  await refusedAt(json((j) => j.accountProof.pop()), 'accountProof')
})

test('a flipped byte in the storage proof fails at storageProof', async () => {
  const nodes = disclosure.storageProof.length
  await refusedAt(json((j) => (j.storageProof[0] = flipByte(j.storageProof[0]!, 3))), 'storageProof')
  await refusedAt(json((j) => (j.storageProof[nodes - 1] = flipByte(j.storageProof[nodes - 1]!, -1))), 'storageProof')
})

test('a wrong value fails at value', async () => {
  await refusedAt(json((j) => (j.value = (HELD + 1n).toString())), 'value')
  await refusedAt(json((j) => (j.value = '0')), 'value')
})

test("another holder, another slot, or another balances mapping slot fails at slot", async () => {
  await refusedAt(json((j) => (j.holder = holder(0))), 'slot')
  await refusedAt(json((j) => (j.slot = balanceSlot({ holder: holder(0) }))), 'slot')
  await refusedAt(json((j) => ((j.balancesSlot = '4'), (j.slot = balanceSlot({ holder: holder(1), balancesSlot: 4n })))), 'slot')
})

test("a commitment whose state root differs from the settled batch's fails at settlement (at commitment if its hash was not redone)", async () => {
  const otherRoot = flipByte(disclosure.commitment.stateRoot, -1)
  await refusedAt(json((j) => (j.commitment.stateRoot = otherRoot)), 'commitment')
  const forged = { ...disclosure.commitment, stateRoot: otherRoot }
  await refusedAt(json((j) => ((j.commitment.stateRoot = otherRoot), (j.batch.hash = batchHash(forged)))), 'settlement')
})

test("another chain's batch fails at settlement", async () => {
  // Beta's batch of the same number, put in alpha's disclosure.
  const beta = chainNamed(network, 'beta')
  const betaSettlement = { address: beta.settlement, abi: c.chainSettlementAbi } as const
  const betaExecuted = await l1.readContract({ ...betaSettlement, functionName: 'totalExecuted' })
  assert.ok(betaExecuted >= 1n)
  const logs = await l1.getContractEvents({ ...betaSettlement, eventName: 'BatchCommitted', args: { batchNumber: betaExecuted }, fromBlock: 0n })
  const tx = await l1.getTransaction({ hash: logs[0]!.transactionHash })
  const { decodeFunctionData } = await import('viem')
  const betaCommitment = (decodeFunctionData({ abi: c.chainSettlementAbi, data: tx.input }).args[0] as readonly BalanceDisclosure['commitment'][]).find((b) => b.batchNumber === betaExecuted)!
  await refusedAt(
    json((j) => {
      j.commitment = Object.fromEntries(Object.entries(betaCommitment).map(([k, v]) => [k, typeof v === 'bigint' ? v.toString() : v])) as BalanceDisclosureJson['commitment']
      j.batch = { number: betaExecuted.toString(), hash: batchHash(betaCommitment) }
    }),
    'settlement',
  )
  // Alpha's batch presented as beta's.
  await refusedAt(json((j) => (j.chainId = beta.chainId)), 'settlement')
  // Verified against another settlement layer's RPC (beta's node is not L1).
  await refusedAt(json(), 'settlement', createPublicClient({ transport: http(beta.rpcUrl) }))
})

test('a malformed disclosure fails at format', async () => {
  await refusedAt({ hello: 'world' }, 'format')
  await refusedAt(json((j) => ((j as { value: unknown }).value = 12)), 'format')
  await refusedAt(json((j) => (j.batch.number = '999')), 'commitment')
})

test('through a permissioned RPC the holder proves its own balance slot, and no one else can ask for it', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'junction-disclosure-'))
  const members = network.manifest.accounts.users.slice(0, 3)
  const config = defaultPrividiumConfig({ chainId: ALPHA, members, tokens: [token] })
  const proxy: PrividiumProxy = createPrividiumProxy({ nodeUrl: chainNamed(network, 'alpha').rpcUrl, config, dbPath: join(dataDir, 'proxy.db') })
  await proxy.start()
  try {
    const clientOf = async (user: number) => {
      const account = privateKeyToAccount(network.manifest.accounts.users[user]!.privateKey)
      const { token: session } = await signInWithEthereum({ apiBaseUrl: proxy.url, account })
      return createPublicClient({ transport: http(proxy.rpcUrl, { fetchOptions: { headers: { authorization: `Bearer ${session}` } } }) })
    }
    const own = await clientOf(1)
    const { disclosure: throughProxy, executed } = await getDisclosureProof(own, { token, holder: holder(1), manifest: network.manifest, batchNumber: disclosure.commitment.batchNumber })
    assert.equal(executed, true)
    assert.deepEqual(throughProxy, disclosure)
    assert.equal((await verifyDisclosureProof(l1, { disclosure: throughProxy, chainRegistry: chainRegistry() })).value, HELD)
    // Member 0 asks for member 1's balance slot: refused by the proxy (-32001), nothing disclosed.
    const other = await clientOf(0)
    await assert.rejects(getDisclosureProof(other, { token, holder: holder(1), manifest: network.manifest, batchNumber: disclosure.commitment.batchNumber }), (error: Error) => /Forbidden: .*not the balance slot of one of your wallets/.test(error.message))
  } finally {
    await proxy.stop()
    rmSync(dataDir, { recursive: true, force: true })
  }
})

test('junction private disclose writes a disclosure that junction private verify-disclosure accepts, and refuses once tampered', async () => {
  const out = join(network.dataDir, 'disclosure.json')
  const made = await runJunction(['private', 'disclose', '--data-dir', network.dataDir, '--chain', 'alpha', '--token', token, '--private-key', network.manifest.accounts.users[1]!.privateKey, '--out', out])
  assert.equal(made.code, 0, made.stderr)
  assert.match(made.stderr, new RegExp(`disclosed: ${holder(1)} holds ${HELD} of ${token} at batch \\d+ of alpha \\(block \\d+\\); executed on chain ${network.manifest.l1.chainId}`))
  const valid = await runJunction(['private', 'verify-disclosure', out, '--data-dir', network.dataDir])
  assert.equal(valid.code, 0, valid.stdout + valid.stderr)
  assert.match(valid.stdout, new RegExp(`^valid: ${holder(1)} held ${HELD} of ${token} on chain ${ALPHA} at batch`))
  const written = JSON.parse(readFileSync(out, 'utf8')) as BalanceDisclosureJson
  writeFileSync(out, JSON.stringify({ ...written, value: (HELD * 2n).toString() }))
  const tampered = await runJunction(['private', 'verify-disclosure', out, '--rpc', network.manifest.l1.rpcUrl, '--registry', chainRegistry()])
  assert.equal(tampered.code, 1, tampered.stdout + tampered.stderr)
  assert.match(tampered.stdout, /^INVALID at value: the proofs hold 1234567890123, the disclosure says 2469135780246/)
})

test('a batch committed but not executed fails at finality, and verifies once it is executed', async () => {
  const store = network.services!.store
  const minter = network.manifest.accounts.users[0]!.privateKey
  requestPause(store, 'proofs', ALPHA)
  let pending: BalanceDisclosure
  try {
    await alpha.write(minter, { address: token, abi: c.testTokenAbi, functionName: 'mint', args: [holder(1), 10n], action: 'mint' })
    const head = await alpha.client.getBlockNumber({ cacheTime: 0 })
    await sendMessage(walletFor(chainNamed(network, 'alpha'), network.manifest.accounts.users[2]!.privateKey), { interopCenter: network.manifest.l2Contracts.interopCenter, recipient: { chainId: 272, address: network.manifest.l2Contracts.exampleRecipient }, payload: stringToHex('held back') })
    pending = await eventually(
      'a committed, unexecuted batch of alpha',
      async () => {
        const settlement = { address: chainNamed(network, 'alpha').settlement, abi: c.chainSettlementAbi } as const
        const committed = await l1.readContract({ ...settlement, functionName: 'totalCommitted' })
        if (committed <= (await l1.readContract({ ...settlement, functionName: 'totalExecuted' }))) return undefined
        const made = await getDisclosureProof(alphaClient, { token, holder: holder(1), manifest: network.manifest, batchNumber: committed })
        assert.equal(made.executed, false)
        return made.disclosure.commitment.lastBlock > head ? made.disclosure : undefined
      },
      { timeoutMs: 30_000 },
    )
    assert.equal(pending.value, HELD + 10n)
    await refusedAt(pending, 'finality')
  } finally {
    endPause(store, 'proofs', ALPHA)
  }
  const verified = await eventually('the batch executed', async () => {
    try {
      return await verifyDisclosureProof(l1, { disclosure: pending, chainRegistry: chainRegistry() })
    } catch (error) {
      if (error instanceof DisclosureProofInvalidError && error.step === 'finality') return undefined
      throw error
    }
  }, { timeoutMs: 30_000 })
  assert.equal(verified.value, HELD + 10n)
})

test("once the node no longer keeps the state of any committed batch's last block, the SDK says what to do", async () => {
  for (let i = 0; i < 70; i++) await alpha.client.request({ method: 'evm_mine', params: [] } as never)
  await assert.rejects(getDisclosureProof(alphaClient, { token, holder: holder(1), manifest: network.manifest }), (error: unknown) => {
    assert.ok(error instanceof DisclosureStateUnavailableError, String(error))
    assert.match(error.message, /no longer keeps the state of batch \d+ \(block \d+\)/)
    assert.match(error.details ?? '', /last 64 blocks/)
    return true
  })
})
