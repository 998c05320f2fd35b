// Maps a contract's program counter to the Solidity function it runs, from solc's source maps: the
// contracts are compiled again (solc-js, the settings of scripts/build-contracts.ts, so the code is the
// same) with `evm.deployedBytecode.sourceMap` and the AST. Used by `npm run gas -- --profile` to say which
// function spends the gas. Code the compiler generated (ABI decoding and encoding, checks) is
// `(compiler)`; code of a library is its function's name (`MerkleTree.verify`).
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { dirname, join, relative, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import solc from 'solc'
import { hexToBytes, type Hex } from 'viem'

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')

type AstNode = { nodeType: string; name?: string; src?: string; kind?: string; nodes?: AstNode[]; body?: AstNode }
type Compiled = { sourceMap: string; fileIndex: Map<number, string> }

/** Function ranges of one source file: `[start, end, name]`, innermost last. */
type Ranges = [number, number, string][]

function findSources(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry)
    if (statSync(path).isDirectory()) findSources(path, out)
    else if (entry.endsWith('.sol')) out.push(relative(root, path).split(sep).join('/'))
  }
  return out.sort()
}

/** Every contract's source map and every file's function ranges, compiled once. */
export class SourceMaps {
  readonly #contracts = new Map<string, string>()
  readonly #files: string[] = []
  readonly #ranges = new Map<string, Ranges>()
  readonly #instructionIndex = new Map<string, Map<number, number>>()
  readonly #entries = new Map<string, { s: number; l: number; f: number }[]>()

  constructor() {
    const sources: Record<string, { content: string }> = {}
    for (const file of findSources(join(root, 'contracts'))) sources[file] = { content: readFileSync(join(root, file), 'utf8') }
    const settings = {
      evmVersion: 'cancun',
      optimizer: { enabled: true, runs: 200 },
      viaIR: false,
      outputSelection: { '*': { '*': ['evm.deployedBytecode.sourceMap'], '': ['ast'] } },
    }
    const output = JSON.parse(solc.compile(JSON.stringify({ language: 'Solidity', sources, settings }))) as {
      sources: Record<string, { id: number; ast: AstNode }>
      contracts: Record<string, Record<string, { evm: { deployedBytecode: { sourceMap: string } } }>>
    }
    for (const [file, { id, ast }] of Object.entries(output.sources)) {
      this.#files[id] = file
      const ranges: Ranges = []
      const walk = (node: AstNode, owner: string) => {
        const name = node.nodeType === 'ContractDefinition' ? node.name! : owner
        if ((node.nodeType === 'FunctionDefinition' || node.nodeType === 'ModifierDefinition') && node.src) {
          const [start, length] = node.src.split(':').map(Number) as [number, number]
          const label = node.name ? node.name : node.kind === 'receive' ? 'receive' : node.kind === 'fallback' ? 'fallback' : 'constructor'
          ranges.push([start, start + length, `${name}.${label}`])
        }
        for (const child of node.nodes ?? []) walk(child, name)
      }
      walk(ast, '')
      this.#ranges.set(file, ranges)
    }
    for (const contracts of Object.values(output.contracts)) for (const [name, c] of Object.entries(contracts)) if (c.evm.deployedBytecode.sourceMap) this.#contracts.set(name, c.evm.deployedBytecode.sourceMap)
  }

  /** The source line of `contract` that runs at `pc` (`file:line`), or `(compiler)`. */
  lineAt(contract: string, code: Hex, pc: number): string {
    const entry = this.#entryAt(contract, code, pc)
    const file = entry && entry.f >= 0 ? this.#files[entry.f] : undefined
    if (!entry || !file) return '(compiler)'
    let lines = this.#lineStarts.get(file)
    if (!lines) {
      const text = readFileSync(join(root, file), 'utf8')
      lines = [0]
      for (let i = 0; i < text.length; i++) if (text[i] === '\n') lines.push(i + 1)
      this.#lineStarts.set(file, lines)
    }
    let line = 0
    while (line + 1 < lines.length && lines[line + 1]! <= entry.s) line++
    return `${file.replace(/^contracts\//, '')}:${line + 1}`
  }

  readonly #lineStarts = new Map<string, number[]>()

  /** The function of `contract` (an artifact name, e.g. `InteropHandler`) that runs at `pc`, given its deployed `code`. */
  functionAt(contract: string, code: Hex, pc: number): string {
    const map = this.#contracts.get(contract)
    if (!map) return `${contract} (no source map)`
    const entry = this.#entryAt(contract, code, pc)
    const file = entry && entry.f >= 0 ? this.#files[entry.f] : undefined
    if (!entry || !file) return '(compiler)'
    const ranges = this.#ranges.get(file) ?? []
    let best: [number, number, string] | undefined
    for (const r of ranges) if (r[0] <= entry.s && entry.s + entry.l <= r[1] && (!best || r[1] - r[0] < best[1] - best[0])) best = r
    return best ? best[2] : `${contract} (outside functions)`
  }

  #entryAt(contract: string, code: Hex, pc: number): { s: number; l: number; f: number } | undefined {
    const map = this.#contracts.get(contract)
    if (!map) return undefined
    let index = this.#instructionIndex.get(contract)
    if (!index) {
      index = new Map()
      const bytes = hexToBytes(code)
      for (let p = 0, i = 0; p < bytes.length; i++) {
        index.set(p, i)
        const op = bytes[p]!
        p += op >= 0x60 && op <= 0x7f ? op - 0x5e : 1
      }
      this.#instructionIndex.set(contract, index)
    }
    let entries = this.#entries.get(contract)
    if (!entries) {
      entries = []
      let previous = { s: 0, l: 0, f: 0 }
      for (const item of map.split(';')) {
        const [s, l, f] = item.split(':')
        previous = { s: s ? Number(s) : previous.s, l: l ? Number(l) : previous.l, f: f ? Number(f) : previous.f }
        entries.push(previous)
      }
      this.#entries.set(contract, entries)
    }
    const i = index.get(pc)
    return i === undefined ? undefined : entries[i]
  }
}
