// TypeScript and Solidity must agree: the same hashes, roots, encodings, and the same proofs
// accepted, on random inputs. The Solidity side runs in ProtocolHarness on a real anvil.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import fc from 'fast-check'
import { BaseError, bytesToHex, ContractFunctionRevertedError, encodeAbiParameters, getAddress, hexToBytes, zeroAddress, type Address, type Hex } from 'viem'
import { ChainConnection } from '../../src/chain/ChainConnection.js'
import { devAccount } from '../../src/chain/devAccounts.js'
import { createAnvil, type AnvilProcess } from '../../src/chain/process/index.js'
import * as c from '../../src/contracts/generated/index.js'
import {
  AttributeChainMismatchError,
  AttributeRepeatedError,
  InvalidAttributeError,
  UnsupportedAttributeError,
  attributeSelectors,
  encodeExecutionAddressAttribute,
  encodeIndirectCallAttribute,
  encodeInteropCallValueAttribute,
  encodeUnbundlerAddressAttribute,
  encodeExecutionGasLimitAttribute,
  isMessageAttribute,
  parseBundleAttributes,
  parseCallAttributes,
  parseMessageAttributes,
  batchHash,
  batchLeaf,
  bundleHash,
  chainLeaf,
  encodeBundle,
  formatInteroperableAddress,
  importedRootsHash,
  IncrementalMerkleTree,
  MerkleTree,
  messageLeaf,
  parseInteroperableAddress,
  verifyMerkleProof,
  assetId,
  decodeFailedDepositMessage,
  depositTokenString,
  MAX_TOKEN_STRING_LENGTH,
  decodeLedgerAccount,
  decodeSettlementLayerTransferMessage,
  decodeTransferMessage,
  decodeWithdrawalMessage,
  encodeFailedDepositMessage,
  encodeSettlementLayerTransferMessage,
  failedDepositClaimDigest,
  encodeTransferMessage,
  ledgerAccount,
  encodeWithdrawalMessage,
  priorityRequestHash,
  priorityRollingStep,
  withdrawalId,
  batchTransactionsHash,
  blindedBundleCommitment,
  blindedBridgeMessageCommitment,
  validiumDataHash,
  committedBatchKey,
  decodeCommittedBatchKey,
  isDevelopmentChainId,
  isCommittedBatchKey,
  INTEROP_BUNDLE_PAYS_FEE_FLAG,
  type BatchCommitment,
  type InteropBundle,
} from '../../src/protocol/index.js'

let anvil: AnvilProcess
let chain: ChainConnection
let harness: Address
const key = devAccount(0).privateKey
const RUNS = 40

const read = (functionName: string, args: readonly unknown[]) =>
  chain.client.readContract({ address: harness, abi: c.protocolHarnessAbi, functionName, args } as never) as Promise<unknown>

/** Runs `f`, returning its value or the error name: so both sides can be compared, failures included. */
async function outcome(f: () => unknown | Promise<unknown>): Promise<{ ok: true; value: unknown } | { ok: false }> {
  try {
    return { ok: true, value: await f() }
  } catch {
    return { ok: false }
  }
}

/** Like `outcome`, but keeps the error name and arguments: Solidity custom errors and their TS mirrors. */
async function detailedOutcome(f: () => unknown | Promise<unknown>): Promise<{ ok: true; value: unknown } | { ok: false; error: string; args: unknown[] }> {
  try {
    return { ok: true, value: await f() }
  } catch (error) {
    if (error instanceof BaseError) {
      const reverted = error.walk((e) => e instanceof ContractFunctionRevertedError)
      if (reverted instanceof ContractFunctionRevertedError && reverted.data)
        return { ok: false, error: reverted.data.errorName, args: [...(reverted.data.args ?? [])] }
    }
    if (error instanceof UnsupportedAttributeError) return { ok: false, error: 'UnsupportedAttribute', args: [error.selector] }
    if (error instanceof AttributeRepeatedError) return { ok: false, error: 'AttributeRepeated', args: [error.selector] }
    if (error instanceof InvalidAttributeError) return { ok: false, error: 'InvalidAttribute', args: [error.selector] }
    if (error instanceof AttributeChainMismatchError) return { ok: false, error: 'AttributeChainMismatch', args: [error.selector, error.expected, error.actual] }
    return { ok: false, error: String(error), args: [] }
  }
}

const bytes32 = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => bytesToHex(b))
const nonZeroBytes32 = bytes32.filter((h) => BigInt(h) !== 0n)
const address = fc.uint8Array({ minLength: 20, maxLength: 20 }).map((b) => getAddress(bytesToHex(b)))
const uint256 = fc.bigInt({ min: 0n, max: (1n << 256n) - 1n })
const chainId = fc.bigInt({ min: 1n, max: (1n << 256n) - 1n })
const smallUint = fc.bigInt({ min: 0n, max: 1n << 64n })

before(async () => {
  anvil = createAnvil({ chainId: 31337, port: 0, name: 'protocol-harness' })
  await anvil.start()
  chain = new ChainConnection({ chainId: 31337, name: 'protocol-harness', rpcUrl: anvil.rpcUrl })
  harness = (await chain.deploy(key, { abi: c.protocolHarnessAbi, bytecode: c.protocolHarnessBytecode, action: 'deploy ProtocolHarness' })).address
})
after(async () => {
  await anvil?.stop()
})

describe('TypeScript and Solidity agree', () => {
  test('on ERC-7930 addresses: formatting, and which byte strings parse to what', async () => {
    await fc.assert(
      fc.asyncProperty(chainId, address, async (id, addr) => {
        assert.equal(await read('format', [id, addr]), formatInteroperableAddress({ chainId: id, address: addr }))
      }),
      { numRuns: RUNS },
    )
    // Mutations of valid addresses and random bytes: both accept with the same result, or both refuse.
    const candidate = fc.oneof(
      fc.uint8Array({ minLength: 0, maxLength: 40 }).map((b) => bytesToHex(b)),
      fc.tuple(chainId, address, fc.nat(60), fc.nat(255)).map(([id, addr, at, value]) => {
        const valid = formatInteroperableAddress({ chainId: id, address: addr })
        const raw = [...Buffer.from(valid.slice(2), 'hex')]
        raw[at % raw.length] = value
        return bytesToHex(Uint8Array.from(raw))
      }),
    )
    await fc.assert(
      fc.asyncProperty(candidate, async (hex) => {
        const sol = await outcome(async () => {
          const [id, addr] = (await read('parse', [hex])) as [bigint, Address]
          return `${id}:${getAddress(addr)}`
        })
        const ts = await outcome(() => {
          const parsed = parseInteroperableAddress(hex)
          return `${parsed.chainId}:${getAddress(parsed.address)}`
        })
        assert.deepEqual(ts, sol, `disagree on ${hex}`)
      }),
      { numRuns: RUNS * 2 },
    )
  })

  test('on every domain-separated hash', async () => {
    await fc.assert(
      fc.asyncProperty(address, bytes32, uint256, bytes32, async (sender, hash, n, root) => {
        assert.equal(await read('messageLeaf', [sender, hash]), messageLeaf(sender, hash))
        assert.equal(await read('batchLeaf', [n, root]), batchLeaf(n, root))
        assert.equal(await read('chainLeaf', [n, root]), chainLeaf(n, root))
      }),
      { numRuns: RUNS },
    )
    const roots = fc.array(fc.record({ slChainId: smallUint, slBlockNumber: smallUint, root: bytes32 }), { maxLength: 6 })
    await fc.assert(
      fc.asyncProperty(roots, async (list) => {
        assert.equal(await read('importedRootsHash', [list]), importedRootsHash(list))
      }),
      { numRuns: RUNS },
    )
  })

  test('on Merkle roots of random sizes, and on which proofs they accept', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(nonZeroBytes32, { minLength: 1, maxLength: 70 }), fc.nat(), fc.nat(), fc.nat(3), async (leaves, pick, flip, tamper) => {
        const tree = new MerkleTree(leaves)
        assert.equal(await read('rootOf', [leaves]), tree.root)
        const proof = tree.proof(pick % leaves.length)
        const siblings = [...proof.siblings]
        let { leaf, index, count } = proof
        // 0: untouched; 1: a sibling changed; 2: another index; 3: another count.
        if (tamper === 1 && siblings.length > 0) siblings[flip % siblings.length] = leaves[flip % leaves.length] === siblings[flip % siblings.length] ? bytesToHex(new Uint8Array(32).fill(7)) : leaves[flip % leaves.length]!
        if (tamper === 2) index = BigInt(flip % (leaves.length + 2))
        if (tamper === 3) count = BigInt(flip % (leaves.length * 2 + 1))
        const sol = await outcome(() => read('verify', [leaf, index, count, siblings]))
        const ts = await outcome(() => verifyMerkleProof({ leaf, index, count, siblings }))
        assert.deepEqual(ts, sol)
        if (tamper === 0) assert.deepEqual(ts, { ok: true, value: tree.root })
      }),
      { numRuns: RUNS * 2 },
    )
  })

  test('on the incremental tree of the settlement layer, at every count', async () => {
    const leaves = Array.from({ length: 20 }, (_, i) => bytesToHex(new Uint8Array(32).fill(i + 1)))
    const mirror = new IncrementalMerkleTree()
    for (const leaf of leaves) {
      await chain.write(key, { address: harness, abi: c.protocolHarnessAbi, functionName: 'append', args: [leaf] })
      mirror.append(leaf)
      assert.equal(await read('incrementalRoot', []), mirror.root)
    }
  })

  test('on bundle encoding and bundle hashes', async () => {
    const call = fc.record({ to: address, from: address, value: smallUint, data: fc.uint8Array({ maxLength: 100 }).map((b) => bytesToHex(b)) })
    const bundle = fc.record({
      // The version word as the InteropCenter writes it: 1, or 1 with the fee flag (a bundle sent with executionGasLimit).
      version: fc.constantFrom(1n, 1n | INTEROP_BUNDLE_PAYS_FEE_FLAG),
      sourceChainId: smallUint,
      destinationChainId: smallUint,
      salt: bytes32,
      calls: fc.array(call, { maxLength: 4 }),
      executionAddress: address,
      unbundler: address,
    })
    await fc.assert(
      fc.asyncProperty(bundle, async (b: InteropBundle) => {
        assert.equal(await read('encodeBundle', [b]), encodeBundle(b))
        assert.equal(await read('encodeBundleAsSent', [b]), encodeBundle(b), 'the InteropCenter writes the same bytes')
        assert.equal(await read('bundleHash', [b]), bundleHash(b))
      }),
      { numRuns: RUNS },
    )
  })

  test('on attribute selectors and on which selectors sendMessage supports', async () => {
    assert.deepEqual(await read('attributeSelectors', []), [
      attributeSelectors.interopCallValue,
      attributeSelectors.indirectCall,
      attributeSelectors.executionAddress,
      attributeSelectors.unbundlerAddress,
      attributeSelectors.executionGasLimit,
    ])
    for (const selector of [...Object.values(attributeSelectors), '0x12345678', '0x00000000'] as Hex[])
      assert.equal(await read('isMessageAttribute', [selector]), isMessageAttribute(selector), selector)
  })

  test('on attribute lists: the same values accepted, the same error (with its arguments) for the rest', async () => {
    const destination = fc.constantFrom(1n, 270n, 271n)
    const valid = fc.oneof(
      fc.oneof(fc.constant(0n), uint256).map((v) => encodeInteropCallValueAttribute(v)),
      fc.oneof(fc.constant(0n), uint256).map((v) => encodeIndirectCallAttribute(v)),
      fc.tuple(fc.constantFrom(1n, 270n, 271n), address).map(([id, a]) => encodeExecutionAddressAttribute({ chainId: id, address: a })),
      fc.tuple(fc.constantFrom(1n, 270n, 271n), address).map(([id, a]) => encodeUnbundlerAddressAttribute({ chainId: id, address: a })),
      fc.oneof(fc.constant(0n), uint256).map((v) => encodeExecutionGasLimitAttribute(v)),
    )
    // Valid attributes, mutated ones (a byte changed, cut, extended), unknown selectors and short ones.
    const attribute = fc.oneof(
      { weight: 4, arbitrary: valid },
      {
        weight: 3,
        arbitrary: fc.tuple(valid, fc.nat(), fc.nat(255), fc.nat(2)).map(([hex, at, byte, how]) => {
          const raw = [...Buffer.from(hex.slice(2), 'hex')]
          if (how === 0) raw[at % raw.length] = byte
          if (how === 1) raw.length = at % raw.length
          if (how === 2) raw.push(byte)
          return bytesToHex(Uint8Array.from(raw))
        }),
      },
      { weight: 1, arbitrary: fc.uint8Array({ maxLength: 40 }).map((b) => bytesToHex(b)) },
    )
    const list = fc.array(attribute, { maxLength: 4 })
    const normalize = (value: unknown) => JSON.stringify(value, (_, v) => (typeof v === 'bigint' ? `${v}n` : typeof v === 'string' && /^0x[0-9a-fA-F]{40}$/.test(v) ? getAddress(v) : v))
    await fc.assert(
      fc.asyncProperty(list, destination, async (attributes, dest) => {
        const solCall = await detailedOutcome(async () => {
          const [value, indirect, indirectValue] = (await read('parseCallAttributes', [attributes])) as [bigint, boolean, bigint]
          return { value, indirect, indirectValue }
        })
        assert.equal(normalize(await detailedOutcome(() => parseCallAttributes(attributes))), normalize(solCall), `call list ${attributes.join(',')}`)

        const solBundle = await detailedOutcome(async () => {
          const [executionAddress, unbundler, paysFee, gasLimit] = (await read('parseBundleAttributes', [attributes, dest])) as [Address, Address, boolean, bigint]
          return { executionAddress, unbundler, paysFee, gasLimit }
        })
        assert.equal(normalize(await detailedOutcome(() => parseBundleAttributes(attributes, dest))), normalize(solBundle), `bundle list ${attributes.join(',')}`)

        const solMessage = await detailedOutcome(async () => {
          const [value, executionAddress, unbundler, paysFee, gasLimit] = (await read('parseMessageAttributes', [attributes, dest])) as [bigint, Address, Address, boolean, bigint]
          return { value, executionAddress, unbundler, paysFee, gasLimit }
        })
        assert.equal(normalize(await detailedOutcome(() => parseMessageAttributes(attributes, dest))), normalize(solMessage), `message list ${attributes.join(',')}`)
      }),
      { numRuns: RUNS * 3 },
    )
  })

  test('on batch commitment hashes', async () => {
    const commitment = fc.record({
      batchNumber: smallUint,
      previousBatchHash: bytes32,
      firstBlock: smallUint,
      lastBlock: smallUint,
      stateRoot: bytes32,
      messageRoot: bytes32,
      messageCount: smallUint,
      priorityRequestsCount: smallUint,
      priorityRequestsHash: bytes32,
      importedRootsCount: smallUint,
      importedRootsHash: bytes32,
      timestamp: smallUint,
      dataHash: bytes32,
    })
    await fc.assert(
      fc.asyncProperty(commitment, async (b: BatchCommitment) => {
        assert.equal(await read('batchHash', [b]), batchHash(b) as Hex)
      }),
      { numRuns: RUNS },
    )
  })

  test("on a private chain's blinded bundle and withdrawal commitments and its batch data commitment over the value summary", async () => {
    const move = fc.record({ assetId: bytes32, amount: uint256, toChainId: uint256 })
    const failed = fc.record({ index: uint256, requestHash: bytes32 })
    await fc.assert(
      fc.asyncProperty(bytes32, bytes32, fc.array(bytes32, { maxLength: 4 }), fc.array(move, { maxLength: 4 }), fc.array(failed, { maxLength: 3 }), async (bundle, blinding, transactions, moves, failedDeposits) => {
        assert.equal(await read('blindedBundleCommitment', [bundle, blinding]), blindedBundleCommitment(bundle, blinding))
        assert.equal(await read('blindedBridgeMessageCommitment', [bundle, blinding]), blindedBridgeMessageCommitment(bundle, blinding))
        const transactionsHash = batchTransactionsHash(transactions)
        assert.equal(await read('validiumDataHash', [transactionsHash, moves, failedDeposits]), validiumDataHash({ transactionsHash, moves, failedDeposits }))
      }),
      { numRuns: RUNS },
    )
  })

  test('on the shared bridge encodings: priority rolling step, request hash, asset id, withdrawal message and id', async () => {
    const data = fc.uint8Array({ maxLength: 100 }).map((b) => bytesToHex(b))
    await fc.assert(
      fc.asyncProperty(bytes32, bytes32, uint256, uint256, address, address, data, async (previous, requestHash, n, m, a, b, d) => {
        assert.equal(await read('priorityRollingStep', [previous, requestHash]), priorityRollingStep(previous, requestHash))
        assert.equal(await read('priorityRequestHash', [n, m, a, d]), priorityRequestHash({ chainId: n, index: m, l2Target: a, data: d }))
        assert.equal(await read('assetId', [n, a, b]), assetId({ originChainId: n, originVault: a, originToken: b }))
        assert.equal(await read('withdrawalId', [n, m, 7n]), withdrawalId({ chainId: n, batchNumber: m, messageIndex: 7n }))
      }),
      { numRuns: RUNS },
    )
    await fc.assert(
      fc.asyncProperty(bytes32, address, address, uint256, fc.nat(170), fc.nat(255), fc.nat(3), async (id, l2Sender, l1Receiver, amount, at, value, tamper) => {
        const message = encodeWithdrawalMessage({ assetId: id, l2Sender, l1Receiver, amount })
        assert.equal(await read('encodeWithdrawal', [id, l2Sender, l1Receiver, amount]), message)
        // 0: untouched; 1: one byte changed; 2: truncated; 3: extended.
        let candidate: Hex = message
        const raw = [...Buffer.from(message.slice(2), 'hex')]
        if (tamper === 1) raw[at % raw.length] = value
        if (tamper === 2) raw.length = at % raw.length
        if (tamper === 3) raw.push(value)
        candidate = bytesToHex(Uint8Array.from(raw))
        const sol = await outcome(async () => {
          const [a, s, r, v] = (await read('decodeWithdrawal', [candidate])) as [Hex, Hex, Hex, bigint]
          return [a, getAddress(s), getAddress(r), v]
        })
        const ts = await outcome(() => {
          const w = decodeWithdrawalMessage(candidate)
          return [w.assetId, w.l2Sender, w.l1Receiver, w.amount]
        })
        assert.deepEqual(ts, sol, `disagree on ${candidate}`)
        if (tamper === 0) assert.deepEqual(ts, { ok: true, value: [id, l2Sender, l1Receiver, amount] })
      }),
      { numRuns: RUNS * 2 },
    )
  })

  test('on committed-batch keys: which chain ids and batch numbers fit, and how keys decode', async () => {
    const wide = fc.oneof(fc.bigInt({ min: 0n, max: 1n << 130n }), uint256)
    await fc.assert(
      fc.asyncProperty(wide, wide, uint256, async (chain, batch, anyKey) => {
        const sol = await detailedOutcome(() => read('committedBatchKey', [chain, batch]))
        const ts = await detailedOutcome(() => committedBatchKey(chain, batch))
        assert.equal(ts.ok, sol.ok, `disagree on (${chain}, ${batch})`)
        if (ts.ok && sol.ok) {
          assert.equal(ts.value, sol.value)
          assert.deepEqual(decodeCommittedBatchKey(ts.value as bigint), { chainId: chain, batchNumber: batch })
        } else assert.equal(sol.ok ? '' : sol.error, 'CommittedBatchKeyOutOfRange')
        const [committed, chainId, batchNumber] = (await read('decodeCommittedBatchKey', [anyKey])) as [boolean, bigint, bigint]
        assert.equal(isCommittedBatchKey(anyKey), committed)
        assert.deepEqual(decodeCommittedBatchKey(anyKey), { chainId, batchNumber })
      }),
      { numRuns: RUNS },
    )
    assert.equal(isCommittedBatchKey(2n ** 64n), false, 'a block number is never a committed-batch key')
  })

  test('on the transfer message: encoding, and which byte strings decode to what', async () => {
    await fc.assert(
      fc.asyncProperty(uint256, bytes32, address, address, uint256, fc.nat(200), fc.nat(255), fc.nat(4), async (dest, id, sender, receiver, amount, at, value, tamper) => {
        const message = encodeTransferMessage({ destinationChainId: dest, assetId: id, sender, receiver, amount })
        assert.equal(await read('encodeTransfer', [dest, id, sender, receiver, amount]), message)
        // 0: untouched; 1: one byte changed; 2: truncated; 3: extended; 4: a withdrawal message.
        const raw = [...Buffer.from(message.slice(2), 'hex')]
        if (tamper === 1) raw[at % raw.length] = value
        if (tamper === 2) raw.length = at % raw.length
        if (tamper === 3) raw.push(value)
        let candidate = bytesToHex(Uint8Array.from(raw))
        if (tamper === 4) candidate = encodeWithdrawalMessage({ assetId: id, l2Sender: sender, l1Receiver: receiver, amount })
        const sol = await outcome(async () => {
          const [d, a, s, r, v] = (await read('decodeTransfer', [candidate])) as [bigint, Hex, Hex, Hex, bigint]
          return [d, a, getAddress(s), getAddress(r), v]
        })
        const ts = await outcome(() => {
          const t = decodeTransferMessage(candidate)
          return [t.destinationChainId, t.assetId, t.sender, t.receiver, t.amount]
        })
        assert.deepEqual(ts, sol, `disagree on ${candidate}`)
        if (tamper === 0) assert.deepEqual(ts, { ok: true, value: [dest, id, sender, receiver, amount] })
        if (tamper === 4) assert.equal(ts.ok, false)
      }),
      { numRuns: RUNS * 2 },
    )
  })

  test('on the settlement-layer transfer message: encoding, and which byte strings decode to what', async () => {
    await fc.assert(
      fc.asyncProperty(uint256, uint256, bytes32, uint256, fc.nat(200), fc.nat(255), fc.nat(4), async (source, dest, id, amount, at, value, tamper) => {
        const message = encodeSettlementLayerTransferMessage({ sourceChainId: source, destinationChainId: dest, assetId: id, amount })
        assert.equal(await read('encodeSettlementLayerTransfer', [source, dest, id, amount]), message)
        // 0: untouched; 1: one byte changed; 2: truncated; 3: extended; 4: a withdrawal message (the same length).
        const raw = [...Buffer.from(message.slice(2), 'hex')]
        if (tamper === 1) raw[at % raw.length] = value
        if (tamper === 2) raw.length = at % raw.length
        if (tamper === 3) raw.push(value)
        let candidate = bytesToHex(Uint8Array.from(raw))
        if (tamper === 4) candidate = encodeWithdrawalMessage({ assetId: id, l2Sender: zeroAddress, l1Receiver: zeroAddress, amount })
        const sol = await outcome(async () => [...((await read('decodeSettlementLayerTransfer', [candidate])) as [bigint, bigint, Hex, bigint])])
        const ts = await outcome(() => {
          const t = decodeSettlementLayerTransferMessage(candidate)
          return [t.sourceChainId, t.destinationChainId, t.assetId, t.amount]
        })
        assert.deepEqual(ts, sol, `disagree on ${candidate}`)
        if (tamper === 0) assert.deepEqual(ts, { ok: true, value: [source, dest, id, amount] })
        if (tamper === 4) assert.equal(ts.ok, false)
      }),
      { numRuns: RUNS },
    )
  })

  test("on L1's ledger accounts: a chain's and a Gateway's never meet, and an account says whose it is", async () => {
    const chainIds = fc.bigInt({ min: 1n, max: (1n << 255n) - 1n })
    await fc.assert(
      fc.asyncProperty(chainIds, uint256, async (chainId, account) => {
        const [ofChain, ofSettlementLayer, isSettlementLayer, decoded] = (await read('ledgerAccounts', [chainId, account])) as [bigint, bigint, boolean, bigint]
        assert.equal(ledgerAccount(chainId), ofChain)
        assert.equal(ledgerAccount(chainId, { settlementLayer: true }), ofSettlementLayer)
        assert.notEqual(ofChain, ofSettlementLayer)
        assert.deepEqual(decodeLedgerAccount(account), { settlementLayer: isSettlementLayer, chainId: decoded })
        assert.deepEqual(decodeLedgerAccount(ofSettlementLayer), { settlementLayer: true, chainId })
      }),
      { numRuns: RUNS },
    )
  })

  test("on the name and symbol a deposit carries: a token's string up to the limit, none for a longer one or anything that is not a string", async () => {
    const encoded = (text: Uint8Array) => encodeAbiParameters([{ type: 'bytes' }], [bytesToHex(text)])
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: MAX_TOKEN_STRING_LENGTH + 40 }), fc.nat(200), fc.nat(255), fc.nat(4), async (text, at, value, tamper) => {
        // 0: a string as a token returns it; 1: one byte changed; 2: truncated; 3: extended; 4: random bytes.
        const raw = tamper === 4 ? [...text] : [...hexToBytes(encoded(text))]
        if (tamper === 1) raw[at % raw.length] = value
        if (tamper === 2) raw.length = at % raw.length
        if (tamper === 3) raw.push(value)
        const returned = bytesToHex(Uint8Array.from(raw))
        assert.equal(depositTokenString(returned), await read('tokenString', [returned]), `disagree on ${returned}`)
        if (tamper === 0) assert.equal(depositTokenString(returned), text.length <= MAX_TOKEN_STRING_LENGTH ? bytesToHex(text) : '0x')
      }),
      { numRuns: RUNS },
    )
  })

  test('on the failed-deposit message: encoding, and which byte strings decode to what', async () => {
    await fc.assert(
      fc.asyncProperty(uint256, bytes32, fc.nat(200), fc.nat(255), fc.nat(3), async (index, requestHash, at, value, tamper) => {
        const message = encodeFailedDepositMessage({ index, requestHash })
        assert.equal(await read('encodeFailedDeposit', [index, requestHash]), message)
        // 0: untouched; 1: one byte changed; 2: truncated; 3: extended.
        const raw = [...Buffer.from(message.slice(2), 'hex')]
        if (tamper === 1) raw[at % raw.length] = value
        if (tamper === 2) raw.length = at % raw.length
        if (tamper === 3) raw.push(value)
        const candidate = bytesToHex(Uint8Array.from(raw))
        const sol = await outcome(async () => [...((await read('decodeFailedDeposit', [candidate])) as [bigint, Hex])])
        const ts = await outcome(() => {
          const f = decodeFailedDepositMessage(candidate)
          return [f.index, f.requestHash]
        })
        assert.deepEqual(ts, sol, `disagree on ${candidate}`)
        if (tamper === 0) assert.deepEqual(ts, { ok: true, value: [index, requestHash] })
      }),
      { numRuns: RUNS },
    )
  })

  test('on the digest a depositor signs to have a failed deposit paid elsewhere (EIP-712, §9.8)', async () => {
    await fc.assert(
      fc.asyncProperty(smallUint, address, uint256, bytes32, address, async (l1ChainId, l1AssetRouter, chainId, requestHash, to) => {
        const digest = failedDepositClaimDigest({ l1ChainId, l1AssetRouter, chainId, requestHash, to })
        assert.equal(await read('failedDepositClaimDigest', [l1ChainId, l1AssetRouter, chainId, requestHash, to]), digest)
      }),
      { numRuns: RUNS },
    )
  })

  test('on the development chain ids: the chain ids a settlement layer must have for the development verifier to run', async () => {
    const verifier = (await chain.deploy(key, { abi: c.developmentVerifierAbi, bytecode: c.developmentVerifierBytecode, action: 'deploy DevelopmentVerifier' })).address
    const isDevelopment = (id: bigint) => chain.client.readContract({ address: verifier, abi: c.developmentVerifierAbi, functionName: 'isDevelopmentChain', args: [id] })
    for (const id of [0n, 1n, 1336n, 1337n, 1338n, 31336n, 31337n, 31338n, 31346n, 31347n, 11155111n]) assert.equal(await isDevelopment(id), isDevelopmentChainId(id), `chain id ${id}`)
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.bigInt({ min: 31000n, max: 31400n }), chainId), async (id) => {
        assert.equal(await isDevelopment(id), isDevelopmentChainId(id))
      }),
      { numRuns: RUNS },
    )
  })
})
