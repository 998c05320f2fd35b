import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { bytesToHex, concat, encodeAbiParameters, getAddress, keccak256, type Hex } from 'viem'
import { encodeFailedDepositMessage, encodeTransferMessage, encodeWithdrawalMessage } from './bridge.js'
import { ZERO_HASH } from './hashing.js'
import { batchTransactionsHash, blindedBundleCommitment, blindedBridgeMessageCommitment, summarizeBatchValue, validiumDataHash, valueSummaryHash, type ValueMove } from './validium.js'

const bytes32 = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => bytesToHex(b))
const address = fc.uint8Array({ minLength: 20, maxLength: 20 }).map((b) => getAddress(bytesToHex(b)))
const SEED = Number(process.env.FC_SEED ?? Date.now() % 2 ** 31)

describe('private chains: blinded bundles and the batch value summary (protocol §4.1, §5.1)', () => {
  test('a blinded commitment is H(0x08 ‖ bundleHash ‖ blinding), and another blinding gives another commitment', () => {
    fc.assert(
      fc.property(bytes32, bytes32, bytes32, (bundle, blinding, other) => {
        assert.equal(blindedBundleCommitment(bundle, blinding), keccak256(concat(['0x08', bundle, blinding])))
        assert.notEqual(blindedBundleCommitment(bundle, blinding), bundle)
        if (other !== blinding) assert.notEqual(blindedBundleCommitment(bundle, other), blindedBundleCommitment(bundle, blinding))
      }),
      { seed: SEED },
    )
  })

  test("a withdrawal's blinded commitment is H(0x08 ‖ keccak256(message) ‖ blinding) and hides the message's hash (§9.13)", () => {
    fc.assert(
      fc.property(bytes32, bytes32, bytes32, (payloadHash, blinding, other) => {
        assert.equal(blindedBridgeMessageCommitment(payloadHash, blinding), keccak256(concat(['0x08', payloadHash, blinding])))
        assert.notEqual(blindedBridgeMessageCommitment(payloadHash, blinding), payloadHash)
        if (other !== blinding) assert.notEqual(blindedBridgeMessageCommitment(payloadHash, other), blindedBridgeMessageCommitment(payloadHash, blinding))
      }),
      { seed: SEED },
    )
  })

  test('the transactions hash is zero without transactions and changes with any transaction or their order', () => {
    const a = `0x${'aa'.repeat(32)}` as const
    const b = `0x${'bb'.repeat(32)}` as const
    assert.equal(batchTransactionsHash([]), ZERO_HASH)
    const step = (previous: Hex, tx: Hex) => keccak256(concat(['0x07', previous, tx]))
    assert.equal(batchTransactionsHash([a, b]), step(step(ZERO_HASH, a), b))
    assert.notEqual(batchTransactionsHash([a, b]), batchTransactionsHash([b, a]))
    assert.notEqual(batchTransactionsHash([a]), batchTransactionsHash([a, b]))
  })

  test('the data hash is H(0x09 ‖ transactionsHash ‖ keccak256(abi.encode(moves, failedDeposits))), never zero, and binds every field', () => {
    const move = fc.record({ assetId: bytes32, amount: fc.bigInt({ min: 0n, max: 2n ** 128n }), toChainId: fc.bigInt({ min: 0n, max: 2n ** 64n }) })
    fc.assert(
      fc.property(bytes32, fc.array(move, { maxLength: 4 }), fc.array(fc.record({ index: fc.bigInt({ min: 0n, max: 2n ** 64n }), requestHash: bytes32 }), { maxLength: 3 }), (transactionsHash, moves, failedDeposits) => {
        const summary = keccak256(
          encodeAbiParameters(
            [
              { type: 'tuple[]', components: [{ type: 'bytes32' }, { type: 'uint256' }, { type: 'uint256' }] },
              { type: 'tuple[]', components: [{ type: 'uint256' }, { type: 'bytes32' }] },
            ],
            [moves.map((m) => [m.assetId, m.amount, m.toChainId] as const), failedDeposits.map((f) => [f.index, f.requestHash] as const)],
          ),
        )
        assert.equal(valueSummaryHash({ moves, failedDeposits }), summary)
        const dataHash = validiumDataHash({ transactionsHash, moves, failedDeposits })
        assert.equal(dataHash, keccak256(concat(['0x09', transactionsHash, summary])))
        assert.notEqual(BigInt(dataHash), 0n)
        if (moves.length > 0) {
          const changed = moves.map((m, i) => (i === 0 ? { ...m, amount: m.amount + 1n } : m))
          assert.notEqual(validiumDataHash({ transactionsHash, moves: changed, failedDeposits }), dataHash)
        }
      }),
      { seed: SEED },
    )
  })

  test('the summary sums transfers and withdrawals per asset and destination, in order of first appearance, and lists failed deposits', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ kind: fc.constantFrom('transfer', 'withdrawal'), asset: fc.nat(2), to: fc.constantFrom(0n, 271n, 4202n), amount: fc.bigInt({ min: 0n, max: 10n ** 24n }), a: address, b: address }), { maxLength: 12 }),
        fc.array(bytes32, { maxLength: 3 }),
        (moves, requestHashes) => {
          const assets = [`0x${'01'.repeat(32)}`, `0x${'02'.repeat(32)}`, `0x${'03'.repeat(32)}`] as const
          const routerMessages = moves.map((m) =>
            m.kind === 'transfer' && m.to !== 0n
              ? encodeTransferMessage({ destinationChainId: m.to, assetId: assets[m.asset]!, sender: m.a, receiver: m.b, amount: m.amount })
              : encodeWithdrawalMessage({ assetId: assets[m.asset]!, l2Sender: m.a, l1Receiver: m.b, amount: m.amount }),
          )
          const inboxMessages = requestHashes.map((requestHash, index) => encodeFailedDepositMessage({ index, requestHash }))
          const summary = summarizeBatchValue({ routerMessages, inboxMessages })
          // The model: sum per (asset, destination); a withdrawal goes to 0 (L1).
          const expected: ValueMove[] = []
          for (const m of moves) {
            const to = m.kind === 'transfer' && m.to !== 0n ? m.to : 0n
            if (m.amount === 0n) continue
            const line = expected.find((e) => e.assetId === assets[m.asset] && e.toChainId === to)
            if (line) line.amount += m.amount
            else expected.push({ assetId: assets[m.asset]!, amount: m.amount, toChainId: to })
          }
          assert.deepEqual(summary.moves, expected)
          assert.deepEqual(summary.failedDeposits, requestHashes.map((requestHash, index) => ({ index: BigInt(index), requestHash })))
          // The total per asset is kept exactly.
          for (const asset of assets) {
            const total = moves.filter((m) => assets[m.asset] === asset).reduce((s, m) => s + m.amount, 0n)
            assert.equal(summary.moves.filter((m) => m.assetId === asset).reduce((s, m) => s + m.amount, 0n), total)
          }
          // No party of any message is in the summary.
          const text = JSON.stringify(summary, (_, v) => (typeof v === 'bigint' ? v.toString() : v)).toLowerCase()
          for (const m of moves) assert.ok(!text.includes(m.a.slice(2).toLowerCase()) && !text.includes(m.b.slice(2).toLowerCase()))
        },
      ),
      { seed: SEED },
    )
  })
})
