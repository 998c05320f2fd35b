import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { formatEther, isAddress, type Address } from 'viem'
import { predictL2Contracts } from '../../chain/deployNetwork.js'
import { DEV_ROLES, devAccount, operatorRole } from '../../chain/devAccounts.js'
import { ZK_CHAIN_ETH_SUPPLY, zkChainGenesis, zkChainNodeFlags } from '../../chain/zkChainNode.js'
import { isDevelopmentChainId } from '../../protocol/index.js'
import { UsageError, type Command } from '../runCommand.js'
import { integerOption, parseOptions } from '../parseOptions.js'

export const genesisCommand: Command = {
  summary: "write a ZK chain's genesis file and print the node flags it must start with (for nodes you run)",
  usage: `Usage: junction genesis --chain-id N [--position I | --fee-recipient ADDR] [--out FILE] [--port P]

A ZK chain's node (the Gateway's too) must start from Junction's genesis: the chain's whole ETH supply
allocated to the BaseTokenHolder's address (where Junction deploys it), no ETH for any other account,
and a base fee of 0 that stays 0 (gas is free; every wei on the chain came over the bridge).
\`junction deploy\` refuses a ZK chain node started otherwise.

Options:
  --chain-id N         the chain's id (the Gateway: a development chain id, 1337 or 31337-31346)
  --position I         the chain's place in \`junction deploy\`: 0 for the first --chain, 1 for the
                       second, ...; the Gateway comes after the last chain. Its operator (dev account
                       ${DEV_ROLES.firstOperator}+I) is the genesis's coinbase, which receives the tips users choose to pay
                       (Junction's own transactions pay none)                           [default: 0]
  --fee-recipient ADDR the coinbase, instead of the operator at --position
  --out FILE           where to write the genesis                 [default: genesis-<chain id>.json]
  --port P             put this port in the printed command line                      [default: 8545]

Prints the anvil command that starts the node. Any other node works the same way if it starts from
this genesis, funds no account, and keeps a base fee of 0.`,
  async run(args) {
    const { values } = parseOptions('genesis', args, {
      'chain-id': { type: 'string' },
      position: { type: 'string' },
      'fee-recipient': { type: 'string' },
      out: { type: 'string' },
      port: { type: 'string' },
    })
    if (values['chain-id'] === undefined) throw new UsageError('genesis: --chain-id N is required', { details: 'Run `junction genesis --help`.' })
    const chainId = integerOption('genesis', 'chain-id', values['chain-id'], 0, 1)
    if (values.position !== undefined && values['fee-recipient'] !== undefined) throw new UsageError('genesis: --position and --fee-recipient exclude each other', { details: 'Run `junction genesis --help`.' })
    const feeRecipient = values['fee-recipient'] ?? devAccount(operatorRole(integerOption('genesis', 'position', values.position, 0))).address
    if (!isAddress(feeRecipient)) throw new UsageError(`genesis: --fee-recipient must be an address, got "${feeRecipient}"`)
    const out = values.out ?? `genesis-${chainId}.json`
    const { baseTokenHolder } = predictL2Contracts(devAccount(DEV_ROLES.l2Deployer).address)
    mkdirSync(dirname(out), { recursive: true })
    writeFileSync(out, JSON.stringify(zkChainGenesis({ chainId, baseTokenHolder, feeRecipient: feeRecipient as Address }), null, 2) + '\n')
    const port = integerOption('genesis', 'port', values.port, 8545, 1)
    console.log(`wrote ${out}: chain ${chainId}, ${formatEther(ZK_CHAIN_ETH_SUPPLY)} ETH to the BaseTokenHolder ${baseTokenHolder}, coinbase ${feeRecipient}`)
    console.log('start the node with:')
    console.log(`  anvil --port ${port} ${zkChainNodeFlags({ genesisFile: out }).join(' ')}`)
    console.log('  (add --block-time S for a block every S seconds, --host 0.0.0.0 to serve other machines)')
    console.log("note: anvil dates this chain's blocks from the genesis's time (now), not from the wall clock: start the node right away, or its clock lags by the wait (deadlines on it are judged by its clock)")
    if (!isDevelopmentChainId(chainId)) console.log(`note: chain ${chainId} cannot be a Gateway (a settlement layer needs a development chain id: 1337, 31337-31346)`)
  },
}
