import { JunctionError } from '../errors/JunctionError.js'
import { auditCommand } from './commands/audit.js'
import { balancesCommand, claimFailedDepositCommand, depositCommand, finalizeWithdrawalCommand, transferCommand, withdrawCommand } from './commands/bridge.js'
import { demoCommand } from './commands/demo.js'
import { explorerCommand } from './commands/explorer.js'
import { payCommand, paymentCommand } from './commands/pay.js'
import { deployCommand } from './commands/deploy.js'
import { genesisCommand } from './commands/genesis.js'
import { messageCommand } from './commands/message.js'
import { migrateCommand } from './commands/migrate.js'
import { privateCommand } from './commands/private.js'
import { sendCommand } from './commands/send.js'
import { servicesCommand } from './commands/services.js'
import { statusCommand } from './commands/status.js'
import { upCommand } from './commands/up.js'

export type Command = { summary: string; usage: string; run(args: string[]): Promise<number | void> }

const commands: Record<string, Command> = {
  up: upCommand,
  deploy: deployCommand,
  genesis: genesisCommand,
  status: statusCommand,
  send: sendCommand,
  message: messageCommand,
  deposit: depositCommand,
  withdraw: withdrawCommand,
  'finalize-withdrawal': finalizeWithdrawalCommand,
  'claim-failed-deposit': claimFailedDepositCommand,
  transfer: transferCommand,
  balances: balancesCommand,
  audit: auditCommand,
  explorer: explorerCommand,
  migrate: migrateCommand,
  services: servicesCommand,
  private: privateCommand,
  demo: demoCommand,
  payment: paymentCommand,
  pay: payCommand,
}

const HELP = `junction: native interoperability for ZK chains

Usage: junction <command> [options]

Commands:
${Object.entries(commands)
  .map(([name, c]) => `  ${name.padEnd(20)} ${c.summary}`)
  .join('\n')}

Run \`junction <command> --help\` for a command's options.
`

/** An unknown command or option, or a bad option value. */
export class UsageError extends JunctionError {
  override name = 'UsageError'
}

/** Runs the CLI with `argv` (without `node` and the script); resolves with the exit code. */
export async function runCommand(argv: string[]): Promise<number | void> {
  const [name, ...rest] = argv
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(HELP)
    return 0
  }
  const command = commands[name]
  if (!command) throw new UsageError(`unknown command "${name}"`, { details: `Commands: ${Object.keys(commands).join(', ')}. Run \`junction --help\`.` })
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${command.summary}\n\n${command.usage}\n`)
    return 0
  }
  return command.run(rest)
}
