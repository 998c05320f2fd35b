/**
 * Compiles every `.sol` file under `contracts/` with solc-js (offline) and writes:
 * - `artifacts/<ContractName>.json`: `{ abi, bytecode, deployedBytecode }`;
 * - `src/contracts/generated/index.ts`: `<camelName>Abi` for every contract and interface, and
 *   `<camelName>Bytecode` for every deployable contract.
 *
 * Skips the work when the sources, the compiler settings and this script are unchanged
 * (their hash is kept in `artifacts/.hash`). Exits non-zero with solc's messages on any error.
 *
 * @example
 * ```sh
 * npm run build
 * ```
 */
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, relative, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import solc from 'solc'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const contractsDir = join(root, 'contracts')
const artifactsDir = join(root, 'artifacts')
const generatedDir = join(root, 'src', 'contracts', 'generated')
const generatedFile = join(generatedDir, 'index.ts')
const hashFile = join(artifactsDir, '.hash')

const settings = {
  evmVersion: 'cancun',
  optimizer: { enabled: true, runs: 200 },
  viaIR: false,
  outputSelection: {
    '*': {
      '*': ['abi', 'evm.bytecode.object', 'evm.deployedBytecode.object'],
      '': ['ast'],
    },
  },
} as const

type AbiItem = Record<string, unknown>
type ContractOutput = {
  abi: AbiItem[]
  evm: { bytecode: { object: string }; deployedBytecode: { object: string } }
}
type SolcError = { severity: 'error' | 'warning' | 'info'; formattedMessage: string; message: string }
type AstNode = { nodeType: string; name?: string; contractKind?: string; abstract?: boolean; nodes?: AstNode[] }
type SolcOutput = {
  errors?: SolcError[]
  sources?: Record<string, { ast: AstNode }>
  contracts?: Record<string, Record<string, ContractOutput>>
}

/** Every `.sol` file under `dir`, as paths relative to the project root with `/` separators. */
function findSources(dir: string): string[] {
  const found: string[] = []
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) found.push(...findSources(path))
    else if (entry.isFile() && entry.name.endsWith('.sol')) found.push(relative(root, path).split(sep).join('/'))
  }
  return found.sort()
}

/** `InteropCenter` → `interopCenter`, `IERC7786Recipient` → `ierc7786Recipient`, `IBatchVerifier` → `iBatchVerifier`. */
function camelName(name: string): string {
  const upper = /^[A-Z]+/.exec(name)?.[0] ?? ''
  if (upper.length <= 1) return name.charAt(0).toLowerCase() + name.slice(1)
  const next = name.charAt(upper.length)
  const lowered = /[a-z]/.test(next) ? upper.length - 1 : upper.length
  return name.slice(0, lowered).toLowerCase() + name.slice(lowered)
}

function fail(message: string): never {
  console.error(`build-contracts: ${message}`)
  process.exit(1)
}

function main(): void {
  if (!existsSync(contractsDir)) fail(`no contracts/ folder at ${contractsDir}`)
  const files = findSources(contractsDir)
  if (files.length === 0) fail('no .sol files under contracts/')

  const sources: Record<string, { content: string }> = {}
  const hash = createHash('sha256')
  hash.update(`solc ${solc.version()}\n${JSON.stringify(settings)}\n`)
  hash.update(readFileSync(fileURLToPath(import.meta.url)))
  for (const file of files) {
    const content = readFileSync(join(root, file), 'utf8')
    sources[file] = { content }
    hash.update(`\0${file}\0${content}`)
  }
  const digest = hash.digest('hex')

  if (existsSync(hashFile) && existsSync(generatedFile) && readFileSync(hashFile, 'utf8').trim() === digest) {
    console.log(`build-contracts: ${files.length} sources unchanged, nothing to do`)
    return
  }

  const started = performance.now()
  const input = { language: 'Solidity', sources, settings }
  // Every source is given up front under its project-relative name, so relative imports between
  // our files resolve without a callback; anything else is refused.
  const findImports = (path: string) => {
    const full = resolve(root, path)
    if (full.startsWith(contractsDir + sep) && existsSync(full)) return { contents: readFileSync(full, 'utf8') }
    return { error: `import not found (only files under contracts/ can be imported): ${path}` }
  }
  const output = JSON.parse(solc.compile(JSON.stringify(input), { import: findImports })) as SolcOutput
  const seconds = ((performance.now() - started) / 1000).toFixed(1)

  const diagnostics = output.errors ?? []
  const errors = diagnostics.filter((e) => e.severity === 'error')
  const warnings = diagnostics.filter((e) => e.severity === 'warning')
  for (const w of warnings) console.warn(w.formattedMessage)
  if (errors.length > 0) {
    for (const e of errors) console.error(e.formattedMessage)
    fail(`compilation failed with ${errors.length} error(s) and ${warnings.length} warning(s)`)
  }

  // Kind of each contract, from the AST: interfaces get an ABI only, libraries and abstract
  // contracts are not exported.
  const kinds = new Map<string, 'contract' | 'interface' | 'skip'>()
  for (const [file, { ast }] of Object.entries(output.sources ?? {})) {
    for (const node of ast.nodes ?? []) {
      if (node.nodeType !== 'ContractDefinition' || !node.name) continue
      const kind =
        node.contractKind === 'interface'
          ? 'interface'
          : node.contractKind === 'contract' && !node.abstract
            ? 'contract'
            : 'skip'
      kinds.set(`${file}:${node.name}`, kind)
    }
  }

  rmSync(artifactsDir, { recursive: true, force: true })
  mkdirSync(artifactsDir, { recursive: true })
  mkdirSync(generatedDir, { recursive: true })

  const seen = new Map<string, string>()
  // solc lists an error once per declaration: a contract that declares one and uses a library declaring
  // the same (same name, same fields) would show it twice.
  const uniqueEntries = (abi: AbiItem[]) => abi.filter((item, i) => abi.findIndex((other) => JSON.stringify(other) === JSON.stringify(item)) === i)
  const lines = [
    '// Generated by scripts/build-contracts.ts from contracts/. Do not edit: run `npm run build`.',
    '',
  ]
  let exported = 0
  for (const [file, contracts] of Object.entries(output.contracts ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
    for (const [name, contract] of Object.entries(contracts).sort(([a], [b]) => a.localeCompare(b))) {
      const kind = kinds.get(`${file}:${name}`) ?? 'skip'
      if (kind === 'skip') continue
      const previous = seen.get(name)
      if (previous) fail(`contract name ${name} is defined in both ${previous} and ${file}`)
      seen.set(name, file)

      const bytecode = `0x${contract.evm.bytecode.object}`
      const deployedBytecode = `0x${contract.evm.deployedBytecode.object}`
      writeFileSync(
        join(artifactsDir, `${name}.json`),
        `${JSON.stringify({ abi: uniqueEntries(contract.abi), bytecode, deployedBytecode }, null, 2)}\n`,
      )
      const camel = camelName(name)
      lines.push(`/** ABI of \`${name}\` (${file}). */`)
      lines.push(`export const ${camel}Abi = ${JSON.stringify(uniqueEntries(contract.abi), null, 2)} as const`, '')
      if (kind === 'contract') {
        lines.push(`/** Creation bytecode of \`${name}\` (${file}). */`)
        lines.push(`export const ${camel}Bytecode = '${bytecode}' as const`, '')
      }
      exported++
    }
  }
  writeFileSync(generatedFile, lines.join('\n'))
  writeFileSync(hashFile, `${digest}\n`)

  console.log(
    `build-contracts: compiled ${files.length} sources in ${seconds}s with solc ${solc.version()}: ` +
      `${exported} contracts and interfaces, ${warnings.length} warning(s)`,
  )
}

main()
