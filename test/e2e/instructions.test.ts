// Multi-bank instruction sync (contracts/instructions, docs/instructions.md) on a whole network: three banks on
// three private chains (bank-a, bank-b, bank-c, settling on L1), an InstructionBook on each. First with the relayer
// off, the test delivers every update by hand with the SDK's executeBundle (real proofs against L1 roots), late
// and out of order; then a cancel races an approval, part delivered by hand and the rest by the relayer once it is
// back; then, with the relayer running, an instruction one bank never approves ends expired on every copy by the
// relayer's InstructionKeeper alone; then the relayer drives a whole instruction (the demo). Every copy ends in the
// same state.
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import Database from 'better-sqlite3'
import { erc20Abi, getAbiItem, keccak256, toFunctionSelector, toHex, type Hex } from 'viem'
import { ChainConnection } from '../../src/chain/ChainConnection.js'
import * as c from '../../src/contracts/generated/index.js'
import { prepareInstructionDemo, runInstructionDemo, type InstructionDemoBank, type InstructionDemoSetup } from '../../src/demo/instructionDemo.js'
import { ContractRevertedError } from '../../src/errors/ContractRevertedError.js'
import { nodeManifest } from '../../src/network/privateChains.js'
import type { NetworkManifest } from '../../src/network/types.js'
import type { Instruction } from '../../src/protocol/index.js'
import { NetworkServices } from '../../src/services/NetworkServices.js'
import { approveInstruction, cancelInstruction, confirmInstruction, executeBundle, getInstructionStatus, JunctionIndex, proposeInstruction } from '../../src/sdk/index.js'
import { eventually, waitForProof } from '../support/e2e.js'
import { startTestNetwork, walletFor } from '../support/testNetwork.js'

let network: Awaited<ReturnType<typeof startTestNetwork>>
let manifest: NetworkManifest // the operator's view: private chains on their nodes
let index: JunctionIndex
let setup: InstructionDemoSetup
let services: NetworkServices | undefined

before(async () => {
  network = await startTestNetwork({ chains: 1, privateChains: 3, relay: false })
  manifest = nodeManifest(network.manifest)
  index = new JunctionIndex(manifest)
  setup = await prepareInstructionDemo({ manifest, chains: ['bank-a', 'bank-b', 'bank-c'] })
})
after(async () => {
  await services?.stop()
  await network?.close()
})

const wallet = (bank: InstructionDemoBank) => walletFor(bank.chain, bank.operator.privateKey)
const bank = (i: number) => setup.banks[i]!
const tokenBalance = (b: InstructionDemoBank, holder: Hex) => new ChainConnection(b.chain).client.readContract({ address: b.token, abi: erc20Abi, functionName: 'balanceOf', args: [holder] })
const payeeBalances = () => Promise.all(setup.banks.map((b) => tokenBalance(b, setup.payee)))
const bookBalances = () => Promise.all(setup.banks.map((b) => tokenBalance(b, b.book)))
/** The relayer's job, by hand: the update's proof against an L1 root, executed on its destination by a bystander. */
async function deliver(bundleHash: Hex, to: number): Promise<void> {
  await waitForProof(index, bundleHash, 60_000)
  await executeBundle(walletFor(bank(to).chain, manifest.accounts.users[4]!.privateKey), index, { bundleHash })
}
/** The update a transition sent to member `to`. */
const to = (result: { updates: { toMember: number; bundleHash: Hex }[] }, member: number) => result.updates.find((u) => u.toMember === member)!.bundleHash

/** The latest block timestamp among the three bank chains, in seconds. */
const latestClock = async () => Math.max(...(await Promise.all(setup.banks.map(async (b) => Number((await new ChainConnection(b.chain).client.getBlock({ blockTag: 'latest' })).timestamp)))))
let salt = 0
/** An instruction of the three banks, expiring `expiresIn` seconds after the latest bank chain's clock. */
async function newInstruction(share: bigint, expiresIn = 3_600): Promise<Instruction> {
  salt++
  return {
    termsHash: keccak256(toHex(`syndicated loan payment ${salt}`)),
    salt: toHex(salt, { size: 32 }),
    expiry: BigInt((await latestClock()) + expiresIn),
    proposer: 0n,
    members: setup.banks.map((b) => ({ chainId: BigInt(b.chain.chainId), book: b.book, token: b.token, amount: share, payee: setup.payee })),
  }
}

test('relayer off, every update delivered by hand late and out of order: all three copies execute and each bank pays its share on its own chain', async () => {
  const instruction = await newInstruction(300n)
  const payeeBefore = await payeeBalances()
  const proposal = await proposeInstruction(wallet(bank(0)), { instruction })
  assert.equal(proposal.updates.length, 2)
  await deliver(to(proposal, 1), 1) // only bank-b hears of it
  const approvalB = await approveInstruction(wallet(bank(1)), { instruction })
  await deliver(to(approvalB, 2), 2) // bank-c learns of it from bank-b's approval, before the proposal
  let status = await getInstructionStatus(index, { instruction })
  const none = { vote: 'none', version: 0 }
  assert.deepEqual(status.copies[2], { memberIndex: 2, chainId: BigInt(bank(2).chain.chainId), status: 'proposed', proposalSeen: false, votes: [none, { vote: 'approved', version: 1 }, none] })
  const approvalC = await approveInstruction(wallet(bank(2)), { instruction })
  const approvalA = await approveInstruction(wallet(bank(0)), { instruction })
  // The approvals every bank needs before it confirms, proven first, then executed against the send order.
  const approvals: [Hex, number][] = [[to(approvalC, 1), 1], [to(approvalA, 1), 1], [to(approvalC, 0), 0], [to(approvalB, 0), 0], [to(approvalA, 2), 2]]
  await Promise.all(approvals.map(([hash]) => waitForProof(index, hash, 60_000)))
  for (const [hash, destination] of approvals) await deliver(hash, destination)
  const [confirmA, confirmB, confirmC] = await Promise.all([0, 1, 2].map((i) => confirmInstruction(wallet(bank(i)), { instruction })))
  assert.deepEqual([confirmA!.status, confirmB!.status, confirmC!.status], ['proposed', 'proposed', 'proposed'], 'no copy knows the other confirmations yet')
  const confirmations: [Hex, number][] = [[to(confirmC!, 1), 1], [to(confirmA!, 1), 1], [to(confirmC!, 0), 0], [to(confirmB!, 0), 0], [to(confirmB!, 2), 2], [to(confirmA!, 2), 2]]
  await Promise.all(confirmations.map(([hash]) => waitForProof(index, hash, 60_000)))
  for (const [hash, destination] of confirmations) await deliver(hash, destination)
  status = await getInstructionStatus(index, { instruction })
  assert.deepEqual(status.copies.map((c) => c.status), ['executed', 'executed', 'executed'])
  assert.equal(status.converged, false, 'bank-c has not seen the proposal yet')
  await deliver(to(proposal, 2), 2) // the proposal, last of all
  status = await getInstructionStatus(index, { instruction })
  assert.equal(status.converged, true)
  assert.equal(status.outcome, 'executed')
  const confirmed = { vote: 'confirmed', version: 2 }
  for (const copy of status.copies) assert.deepEqual([copy.votes, copy.proposalSeen], [[confirmed, confirmed, confirmed], true])
  assert.deepEqual(await payeeBalances(), payeeBefore.map((b) => b + 300n), 'the borrower got each bank’s share on each bank’s chain')
  assert.deepEqual(await bookBalances(), [0n, 0n, 0n])
})

test('a cancel racing an approval: bank-b approves while bank-c cancels; part delivered by hand, the rest by the relayer once it is back; every copy ends cancelled and bank-b has its share back', async () => {
  const instruction = await newInstruction(500n)
  const operatorB = bank(1).operator.address
  const before = await tokenBalance(bank(1), operatorB)
  const proposal = await proposeInstruction(wallet(bank(0)), { instruction })
  await Promise.all([deliver(to(proposal, 1), 1), deliver(to(proposal, 2), 2)])
  const [approvalB, cancelC] = await Promise.all([approveInstruction(wallet(bank(1)), { instruction }), cancelInstruction(wallet(bank(2)), { instruction })])
  assert.deepEqual([approvalB.status, cancelC.status], ['proposed', 'cancelled'], 'each bank acted before hearing of the other')
  assert.equal(await tokenBalance(bank(1), bank(1).book), 500n, 'bank-b’s share is escrowed on bank-b')
  await deliver(to(cancelC, 0), 0) // bank-a hears of the cancel first
  await assert.rejects(approveInstruction(wallet(bank(0)), { instruction }), (error: Error) => error instanceof ContractRevertedError && error.errorName === 'InstructionDecided')
  await deliver(to(approvalB, 2), 2) // bank-c learns of bank-b's approval after its own cancel: recorded, still cancelled
  let status = await getInstructionStatus(index, { instruction })
  assert.deepEqual(status.copies.map((c) => c.status), ['cancelled', 'proposed', 'cancelled'])

  // The relayer back: it delivers what is left (bank-b's approval to bank-a, bank-c's cancel to bank-b).
  await network.services!.stop()
  services = new NetworkServices({ manifest, dataDir: network.dataDir })
  services.start()
  status = await eventually('every copy converged', async () => {
    const s = await getInstructionStatus(index, { instruction })
    return s.converged ? s : undefined
  }, { timeoutMs: 60_000, intervalMs: 250 })
  assert.equal(status.outcome, 'cancelled')
  for (const copy of status.copies) assert.deepEqual([copy.status, copy.votes.map((v) => v.vote)], ['cancelled', ['none', 'approved', 'cancelled']])
  assert.equal(await tokenBalance(bank(1), operatorB), before, 'bank-b’s escrowed share went back to its operator')
  assert.deepEqual(await bookBalances(), [0n, 0n, 0n])
})

test('with the relayer running, an instruction bank-c never approves ends expired on every copy, by the relayer alone, and bank-b has its share back', async () => {
  if (!services) {
    // Run alone: start the services with the relayer (the previous test does otherwise).
    await network.services!.stop()
    services = new NetworkServices({ manifest, dataDir: network.dataDir })
    services.start()
  }
  // Time enough for the proposal to reach bank-b and its approval before the expiry, on a loaded machine.
  const instruction = await newInstruction(600n, 40)
  const operatorB = bank(1).operator.address
  const before = await tokenBalance(bank(1), operatorB)
  await proposeInstruction(wallet(bank(0)), { instruction })
  await eventually('the proposal on bank-b', async () => ((await getInstructionStatus(index, { instruction })).copies[1]!.status === 'proposed' ? true : undefined), { timeoutMs: 60_000, intervalMs: 250 })
  await approveInstruction(wallet(bank(1)), { instruction })
  // Nobody acts any more: the keeper expires the copies once each chain's clock reaches the expiry, and the
  // relayer delivers the expiries.
  const status = await eventually('every copy expired', async () => {
    const s = await getInstructionStatus(index, { instruction })
    return s.converged && s.outcome === 'expired' ? s : undefined
  }, { timeoutMs: 90_000, intervalMs: 250 })
  assert.deepEqual(status.copies.map((c) => c.status), ['expired', 'expired', 'expired'])
  assert.ok(status.copies[0]!.votes.some((v) => v.vote === 'expired'), 'at least one bank’s vote is "expired"')
  assert.ok(status.copies[0]!.votes.every((v) => v.vote !== 'confirmed'), 'nobody confirmed')
  assert.equal(await tokenBalance(bank(1), operatorB), before, 'bank-b’s escrowed share went back to its operator')
  assert.deepEqual(await bookBalances(), [0n, 0n, 0n])
  // The keeper's `expire` went through the banks' permissioned RPCs (the rule the demo's setup added for the
  // relayer role), allowed and in their audit logs; the relayer was refused nothing there.
  const expire = toFunctionSelector(getAbiItem({ abi: c.instructionBookAbi, name: 'expire' }) as never)
  let expiries = 0
  for (const b of setup.banks) {
    const audit = new Database(join(network.dataDir, 'prividium', `${b.chain.name}.db`), { readonly: true })
    try {
      const relayer = manifest.accounts.relayer.address.toLowerCase()
      expiries += (audit.prepare("SELECT COUNT(*) AS n FROM audit_log WHERE method = 'eth_sendRawTransaction' AND lower(wallet) = ? AND lower(target) = ? AND lower(selector) = ? AND allowed = 1").get(relayer, b.book.toLowerCase(), expire) as { n: number }).n
      assert.deepEqual(audit.prepare('SELECT method, reason FROM audit_log WHERE lower(wallet) = ? AND allowed = 0').all(relayer), [], `the relayer was refused on ${b.chain.name}`)
    } finally {
      audit.close()
    }
  }
  assert.ok(expiries > 0, 'no expire of the keeper in the banks’ audit logs')
})

test('with the relayer on, the demo’s instruction is approved and confirmed by the three banks and executes on every copy', async () => {
  const result = await runInstructionDemo({ manifest, setup, index, scenario: 'execute', share: 700n, timeoutMs: 60_000 })
  assert.equal(result.outcome, 'executed')
  assert.deepEqual(result.steps.map((s) => s.name), ['proposed', 'proposal-delivered', 'approved-2-3', 'approved-1', 'approvals-delivered', 'confirmed', 'executed'])
  assert.equal(result.status.converged, true)
  assert.deepEqual(result.payeeAfter, result.payeeBefore.map((b) => b + 700n))
  assert.deepEqual(await bookBalances(), [0n, 0n, 0n])
})
