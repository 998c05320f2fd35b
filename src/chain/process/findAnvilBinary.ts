import { accessSync, constants } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { AnvilNotFoundError } from '../../errors/process.js'

export type FindAnvilBinaryParameters = {
  /** Environment to read `JUNCTION_ANVIL_BIN` from. Defaults to `process.env`. */
  env?: NodeJS.ProcessEnv | undefined
  /** Defaults to `process.platform`. */
  platform?: NodeJS.Platform | undefined
  /** Defaults to `process.arch`. */
  arch?: string | undefined
}

export type FindAnvilBinaryReturnType = string

export type FindAnvilBinaryErrorType = AnvilNotFoundError

const require = createRequire(import.meta.url)

/** Node's names → the names @foundry-rs uses in its platform packages. */
const archNames: Record<string, string> = { x64: 'amd64', arm64: 'arm64' }

/**
 * Returns the absolute path of the anvil executable.
 *
 * `JUNCTION_ANVIL_BIN` wins when set; otherwise the binary shipped in the platform package
 * `@foundry-rs/anvil-<platform>-<arch>` (installed by `@foundry-rs/anvil`) is used directly.
 * It never goes through `npx` or the `anvil` JS wrapper: that costs ~600 ms per start instead
 * of ~75 ms, and adds a process in between that would get in the way of signals.
 *
 * @throws {AnvilNotFoundError} when neither exists or is executable.
 *
 * @example
 * ```ts
 * const bin = findAnvilBinary() // /…/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil
 * ```
 */
export function findAnvilBinary(parameters: FindAnvilBinaryParameters = {}): FindAnvilBinaryReturnType {
  const { env = process.env, platform = process.platform, arch = process.arch } = parameters

  const fromEnv = env.JUNCTION_ANVIL_BIN
  if (fromEnv) {
    if (isExecutable(fromEnv)) return fromEnv
    throw new AnvilNotFoundError({
      searched: [`JUNCTION_ANVIL_BIN=${fromEnv}`],
      reason: `JUNCTION_ANVIL_BIN is set to "${fromEnv}", which is not an executable file.`,
    })
  }

  const packageName = `@foundry-rs/anvil-${platform}-${archNames[arch] ?? arch}`
  const executable = platform === 'win32' ? 'anvil.exe' : 'anvil'
  let packageJson: string
  try {
    packageJson = require.resolve(`${packageName}/package.json`)
  } catch (error) {
    throw new AnvilNotFoundError({
      searched: ['JUNCTION_ANVIL_BIN (not set)', `${packageName}/bin/${executable} (package not installed)`],
      cause: error,
    })
  }
  const binary = join(dirname(packageJson), 'bin', executable)
  if (isExecutable(binary)) return binary
  throw new AnvilNotFoundError({
    searched: ['JUNCTION_ANVIL_BIN (not set)', `${binary} (missing or not executable)`],
  })
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, process.platform === 'win32' ? constants.F_OK : constants.X_OK)
    return true
  } catch {
    return false
  }
}
