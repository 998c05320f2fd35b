// Hyperlane's compiled contracts, read from the npm package @hyperlane-xyz/core (a devDependency):
// its typechain factories carry each contract's ABI and creation bytecode as literals. They are read
// as text (importing them would need ethers v5), so nothing of Hyperlane runs in the bench but its
// contracts, on the bench's own anvil chains.
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { runInNewContext } from 'node:vm'
import type { Abi, Hex } from 'viem'

/** @hyperlane-xyz/core is not installed, or a factory no longer has the expected shape. */
export class HyperlaneArtifactError extends Error {
  override name = 'HyperlaneArtifactError'
}

export type HyperlaneArtifact = { abi: Abi; bytecode: Hex }

/** Where the package is, and its version; undefined when it is not installed. */
export function hyperlanePackage(): { root: string; version: string } | undefined {
  const require = createRequire(import.meta.url)
  let packageJson: string
  try {
    packageJson = require.resolve('@hyperlane-xyz/core/package.json')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND' || (error as NodeJS.ErrnoException).code === 'ERR_PACKAGE_PATH_NOT_EXPORTED') return fallbackPackage()
    throw error
  }
  return { root: dirname(packageJson), version: (JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string }).version }
}

function fallbackPackage(): { root: string; version: string } | undefined {
  const root = join(process.cwd(), 'node_modules', '@hyperlane-xyz', 'core')
  if (!existsSync(join(root, 'package.json'))) return undefined
  return { root, version: (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version }
}

/** ABI and bytecode of a contract, from `dist/typechain/factories/<path>__factory.js`. */
export function hyperlaneArtifact(path: string): HyperlaneArtifact {
  const pkg = hyperlanePackage()
  if (!pkg) throw new HyperlaneArtifactError('@hyperlane-xyz/core is not installed (npm install)')
  const file = join(pkg.root, 'dist', 'typechain', 'factories', `${path}__factory.js`)
  const text = readFileSync(file, 'utf8')
  const abiStart = text.indexOf('const _abi = ')
  const abiEnd = text.indexOf('\n];', abiStart)
  const bytecode = /const _bytecode = "(0x[0-9a-fA-F]+)";/.exec(text)?.[1]
  if (abiStart < 0 || abiEnd < 0 || !bytecode) throw new HyperlaneArtifactError(`${file}: no _abi / _bytecode literal found`)
  // The ABI is a plain JavaScript literal (unquoted keys): evaluate it alone, in an empty context.
  const abi = runInNewContext(`(${text.slice(abiStart + 'const _abi = '.length, abiEnd + 2)})`, {}) as Abi
  return { abi, bytecode: bytecode as Hex }
}
