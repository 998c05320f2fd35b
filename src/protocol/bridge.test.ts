import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { bytesToHex, concatHex, encodeAbiParameters, getAddress, keccak256, stringToHex, toBytes, type Hex } from 'viem'
import {
  ETH_TOKEN,
  FAILED_DEPOSIT_TAG,
  MAX_TOKEN_STRING_LENGTH,
  SETTLEMENT_LAYER_ACCOUNT_BIT,
  SETTLEMENT_LAYER_TRANSFER_TAG,
  NotAFailedDepositError,
  NotASettlementLayerTransferError,
  NotATransferError,
  NotAWithdrawalError,
  TRANSFER_TAG,
  WITHDRAWAL_TAG,
  ZERO_HASH,
  assetId,
  decodeFailedDepositMessage,
  decodeLedgerAccount,
  decodeSettlementLayerTransferMessage,
  decodeTransferMessage,
  decodeWithdrawalMessage,
  depositTokenString,
  encodeFailedDepositMessage,
  encodeSettlementLayerTransferMessage,
  ledgerAccount,
  encodeTransferData,
  ethAssetId,
  encodeTransferMessage,
  encodeWithdrawalMessage,
  priorityRequestHash,
  priorityRollingHash,
  priorityRollingStep,
  withdrawalId,
} from './index.js'

const bytes32 = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => bytesToHex(b))
const address = fc.uint8Array({ minLength: 20, maxLength: 20 }).map((b) => getAddress(bytesToHex(b)))
const uint256 = fc.bigInt({ min: 0n, max: (1n << 256n) - 1n })

describe('bridge encodings (protocol §9)', () => {
  test('a deposit carries a token name of up to 64 bytes as the token returns it, and none for a longer one, a bytes32 or nothing', () => {
    const returned = (text: string) => encodeAbiParameters([{ type: 'string' }], [text])
    assert.equal(MAX_TOKEN_STRING_LENGTH, 64)
    assert.equal(depositTokenString(returned('USD Coin')), stringToHex('USD Coin'))
    assert.equal(depositTokenString(returned('x'.repeat(64))), stringToHex('x'.repeat(64)))
    assert.equal(depositTokenString(returned('x'.repeat(65))), '0x')
    assert.equal(depositTokenString(returned('')), '0x')
    // A bytes32 name (as some old tokens return), nothing at all, and a length beyond what was returned.
    assert.equal(depositTokenString(stringToHex('MKR', { size: 32 })), '0x')
    assert.equal(depositTokenString('0x'), '0x')
    assert.equal(depositTokenString(returned('USD Coin').slice(0, 2 + 2 * 64 + 4) as Hex), '0x')
  })

  test("ETH's asset id is the asset id of address(0) in the L1 vault", () => {
    const l1Vault = getAddress('0x' + '12'.repeat(20))
    assert.equal(ETH_TOKEN, '0x0000000000000000000000000000000000000000')
    assert.equal(ethAssetId({ l1ChainId: 31337n, l1Vault }), assetId({ originChainId: 31337n, originVault: l1Vault, originToken: ETH_TOKEN }))
    assert.notEqual(ethAssetId({ l1ChainId: 31337n, l1Vault }), ethAssetId({ l1ChainId: 1n, l1Vault }))
  })

  test('a failed-deposit message is tag, index, request hash (96 bytes) and decodes back; anything else is refused', () => {
    assert.equal(FAILED_DEPOSIT_TAG, keccak256(toBytes('failedDeposit(uint256,bytes32)')).slice(0, 10))
    fc.assert(
      fc.property(uint256, bytes32, (index, requestHash) => {
        const message = encodeFailedDepositMessage({ index, requestHash })
        assert.equal((message.length - 2) / 2, 96)
        assert.deepEqual(decodeFailedDepositMessage(message), { index, requestHash })
        assert.throws(() => decodeFailedDepositMessage(`${message}00`), NotAFailedDepositError)
        assert.throws(() => decodeFailedDepositMessage(`0x00${message.slice(4)}`), NotAFailedDepositError)
      }),
    )
  })

  test('the transfer tag is the selector of transfer(uint256,bytes32,address,address,uint256)', () => {
    assert.equal(TRANSFER_TAG, keccak256(toBytes('transfer(uint256,bytes32,address,address,uint256)')).slice(0, 10))
  })

  test('a transfer message is six ABI words and round-trips; withdrawal and transfer messages refuse each other', () => {
    fc.assert(
      fc.property(uint256, bytes32, address, address, uint256, (destinationChainId, id, sender, receiver, amount) => {
        const message = encodeTransferMessage({ destinationChainId, assetId: id, sender, receiver, amount })
        assert.equal(message, encodeAbiParameters(
          [{ type: 'bytes4' }, { type: 'uint256' }, { type: 'bytes32' }, { type: 'address' }, { type: 'address' }, { type: 'uint256' }],
          [TRANSFER_TAG, destinationChainId, id, sender, receiver, amount],
        ))
        assert.equal((message.length - 2) / 2, 192)
        assert.deepEqual(decodeTransferMessage(message), { destinationChainId, assetId: id, sender, receiver, amount })
        assert.throws(() => decodeWithdrawalMessage(message), NotAWithdrawalError)
        assert.throws(() => decodeTransferMessage(encodeWithdrawalMessage({ assetId: id, l2Sender: sender, l1Receiver: receiver, amount })), NotATransferError)
      }),
    )
    const good = encodeTransferMessage({ destinationChainId: 271n, assetId: keccak256('0x01'), sender: getAddress('0x' + '11'.repeat(20)), receiver: getAddress('0x' + '22'.repeat(20)), amount: 5n })
    assert.throws(() => decodeTransferMessage(`${good}00`), /192/)
    assert.throws(() => decodeTransferMessage(`0x${'00'.repeat(192)}`), NotATransferError)
    const dirty = `${good.slice(0, 2 + 3 * 64)}01${good.slice(2 + 3 * 64 + 2)}` as Hex
    assert.throws(() => decodeTransferMessage(dirty), /word 3/)
  })

  test('a settlement-layer transfer message is five ABI words and round-trips; it is neither a withdrawal nor a transfer message', () => {
    assert.equal(SETTLEMENT_LAYER_TRANSFER_TAG, keccak256(toBytes('settlementLayerTransfer(uint256,uint256,bytes32,uint256)')).slice(0, 10))
    fc.assert(
      fc.property(uint256, uint256, bytes32, uint256, (sourceChainId, destinationChainId, id, amount) => {
        const message = encodeSettlementLayerTransferMessage({ sourceChainId, destinationChainId, assetId: id, amount })
        assert.equal(message, encodeAbiParameters(
          [{ type: 'bytes4' }, { type: 'uint256' }, { type: 'uint256' }, { type: 'bytes32' }, { type: 'uint256' }],
          [SETTLEMENT_LAYER_TRANSFER_TAG, sourceChainId, destinationChainId, id, amount],
        ))
        assert.equal((message.length - 2) / 2, 160)
        assert.deepEqual(decodeSettlementLayerTransferMessage(message), { sourceChainId, destinationChainId, assetId: id, amount })
        assert.throws(() => decodeWithdrawalMessage(message), NotAWithdrawalError)
        assert.throws(() => decodeTransferMessage(message), NotATransferError)
        assert.throws(() => decodeSettlementLayerTransferMessage(encodeWithdrawalMessage({ assetId: id, l2Sender: getAddress('0x' + '11'.repeat(20)), l1Receiver: getAddress('0x' + '22'.repeat(20)), amount })), NotASettlementLayerTransferError)
      }),
    )
    const good = encodeSettlementLayerTransferMessage({ sourceChainId: 271n, destinationChainId: 273n, assetId: keccak256('0x01'), amount: 5n })
    assert.throws(() => decodeSettlementLayerTransferMessage(`${good}00`), /160/)
    assert.throws(() => decodeSettlementLayerTransferMessage(`0x${'00'.repeat(160)}`), NotASettlementLayerTransferError)
  })

  test("a ledger account is a chain id, or a Gateway's chain id with the top bit set, and says whose it is", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: (1n << 255n) - 1n }), (chainId) => {
        assert.equal(ledgerAccount(chainId), chainId)
        assert.equal(ledgerAccount(chainId, { settlementLayer: true }), chainId + SETTLEMENT_LAYER_ACCOUNT_BIT)
        assert.deepEqual(decodeLedgerAccount(ledgerAccount(chainId)), { settlementLayer: false, chainId })
        assert.deepEqual(decodeLedgerAccount(ledgerAccount(chainId, { settlementLayer: true })), { settlementLayer: true, chainId })
      }),
    )
  })

  test('the transfer call data is abi.encode(bytes32 assetId, uint256 amount, address receiver)', () => {
    const receiver = getAddress('0x' + '33'.repeat(20))
    assert.equal(encodeTransferData({ assetId: keccak256('0x02'), amount: 7n, receiver }), encodeAbiParameters([{ type: 'bytes32' }, { type: 'uint256' }, { type: 'address' }], [keccak256('0x02'), 7n, receiver]))
  })

  test('the withdrawal tag is the selector of withdraw(bytes32,address,address,uint256)', () => {
    assert.equal(WITHDRAWAL_TAG, keccak256(toBytes('withdraw(bytes32,address,address,uint256)')).slice(0, 10))
  })

  test('a priority rolling step hashes 0x06 ‖ previous ‖ requestHash, and the rolling hash of nothing is zero', () => {
    fc.assert(
      fc.property(bytes32, bytes32, (previous, requestHash) => {
        assert.equal(priorityRollingStep(previous, requestHash), keccak256(concatHex(['0x06', previous, requestHash])))
      }),
    )
    assert.equal(priorityRollingHash([]), ZERO_HASH)
    fc.assert(
      fc.property(fc.array(bytes32, { maxLength: 5 }), (hashes) => {
        assert.equal(priorityRollingHash(hashes), hashes.reduce((h, r) => priorityRollingStep(h, r), ZERO_HASH))
      }),
    )
  })

  test('asset ids, request hashes and withdrawal ids are keccak256 of abi.encode', () => {
    fc.assert(
      fc.property(uint256, address, address, uint256, (n, a, b, m) => {
        assert.equal(assetId({ originChainId: n, originVault: a, originToken: b }), keccak256(encodeAbiParameters([{ type: 'uint256' }, { type: 'address' }, { type: 'address' }], [n, a, b])))
        assert.equal(
          priorityRequestHash({ chainId: n, index: m, l2Target: a, data: '0xabcd' }),
          keccak256(encodeAbiParameters([{ type: 'uint256' }, { type: 'uint256' }, { type: 'address' }, { type: 'bytes' }], [n, m, a, '0xabcd'])),
        )
        assert.equal(withdrawalId({ chainId: n, batchNumber: m, messageIndex: 3n }), keccak256(encodeAbiParameters([{ type: 'uint256' }, { type: 'uint256' }, { type: 'uint256' }], [n, m, 3n])))
      }),
    )
  })

  test('a withdrawal message is 160 bytes and decodes to what was encoded', () => {
    fc.assert(
      fc.property(bytes32, address, address, uint256, (id, l2Sender, l1Receiver, amount) => {
        const message = encodeWithdrawalMessage({ assetId: id, l2Sender, l1Receiver, amount })
        assert.equal((message.length - 2) / 2, 160)
        assert.equal(message.slice(0, 10), WITHDRAWAL_TAG)
        assert.deepEqual(decodeWithdrawalMessage(message), { assetId: id, l2Sender, l1Receiver, amount })
      }),
    )
  })

  test('refuses bytes that are not a withdrawal message', () => {
    const message = encodeWithdrawalMessage({ assetId: ZERO_HASH, l2Sender: getAddress('0x' + '11'.repeat(20)), l1Receiver: getAddress('0x' + '22'.repeat(20)), amount: 5n })
    const mutate = (at: number, value: string): Hex => `0x${message.slice(2, 2 + at * 2)}${value}${message.slice(2 + at * 2 + 2)}`
    for (const bad of [
      '0x' as Hex,
      message.slice(0, -2) as Hex,
      `${message}00` as Hex,
      mutate(0, 'ff'), // tag
      mutate(4, '01'), // tag word padding
      mutate(64, '01'), // dirty l2Sender word
      mutate(96, '01'), // dirty l1Receiver word
    ])
      assert.throws(() => decodeWithdrawalMessage(bad), NotAWithdrawalError, bad)
  })
})
