import { parseArgs, type ParseArgsConfig } from 'node:util'
import { JunctionError } from '../errors/JunctionError.js'

/** Parses a command's options, turning node's errors into a usage error that names the command. */
export function parseOptions<const options extends NonNullable<ParseArgsConfig['options']>>(command: string, args: string[], options: options, allowPositionals = false) {
  try {
    return parseArgs({ args, options, allowPositionals, strict: true })
  } catch (error) {
    throw new JunctionError(`${command}: ${error instanceof Error ? error.message : String(error)}`, { details: `Run \`junction ${command} --help\`.` })
  }
}

/** Reads an integer option, with a clear error when it is not one. */
export function integerOption(command: string, name: string, value: string | undefined, fallback: number, min = 0): number {
  if (value === undefined) return fallback
  const n = Number(value)
  if (!Number.isInteger(n) || n < min) throw new JunctionError(`${command}: --${name} must be a whole number ≥ ${min}, got "${value}"`)
  return n
}
