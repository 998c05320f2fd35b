// The bench's own contract (bench/contracts/BenchRecipient.sol), compiled with solc-js when the bench starts.
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import solc from 'solc'
import { parseAbi, type Hex } from 'viem'

/** solc refused the bench's contract. */
export class BenchContractCompileError extends Error {
  override name = 'BenchContractCompileError'
}

export const benchRecipientAbi = parseAbi([
  'constructor(address gateway, address ism)',
  'event Received(bytes32 indexed payloadHash)',
  'function receiveMessage(bytes32, bytes, bytes payload) payable returns (bytes4)',
  'function handle(uint32, bytes32, bytes body) payable',
])

export const noopPostDispatchHookAbi = parseAbi(['function hookType() pure returns (uint8)', 'function postDispatch(bytes, bytes) payable', 'function quoteDispatch(bytes, bytes) pure returns (uint256)'])

/** Compiles bench/contracts (same settings as the project's contracts): creation bytecode of BenchRecipient and NoopPostDispatchHook. */
export function compileBenchContracts(): { benchRecipient: Hex; noopPostDispatchHook: Hex } {
  const source = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '..', 'contracts', 'BenchRecipient.sol'), 'utf8')
  const input = {
    language: 'Solidity',
    sources: { 'BenchRecipient.sol': { content: source } },
    settings: { evmVersion: 'cancun', optimizer: { enabled: true, runs: 200 }, outputSelection: { '*': { '*': ['evm.bytecode.object'] } } },
  }
  const output = JSON.parse(solc.compile(JSON.stringify(input))) as {
    errors?: { severity: string; formattedMessage: string }[]
    contracts?: Record<string, Record<string, { evm: { bytecode: { object: string } } }>>
  }
  const errors = (output.errors ?? []).filter((e) => e.severity === 'error')
  if (errors.length) throw new BenchContractCompileError(errors.map((e) => e.formattedMessage).join('\n'))
  const bytecode = (name: string): Hex => {
    const object = output.contracts?.['BenchRecipient.sol']?.[name]?.evm.bytecode.object
    if (!object) throw new BenchContractCompileError(`solc returned no bytecode for ${name}`)
    return `0x${object}`
  }
  return { benchRecipient: bytecode('BenchRecipient'), noopPostDispatchHook: bytecode('NoopPostDispatchHook') }
}
