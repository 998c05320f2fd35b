// A ZK chain's node as Junction starts it (zkChainGenesis + zkChainNodeFlags, on a real anvil): the
// supply sits at the holder's address and nowhere else, gas is free and stays free, Junction's clients
// send with zero fees, a user's own default client still works with bridged ETH, and deployNetwork
// refuses a node started otherwise.
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { createPublicClient, createWalletClient, http, parseEther, type PublicClient } from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { ZkChainGenesisError } from '../errors/deployment.js'
import { ChainConnection } from './ChainConnection.js'
import { deployNetwork, predictL2Contracts } from './deployNetwork.js'
import { DEV_ACCOUNT_COUNT, DEV_MNEMONIC, DEV_ROLES, devAccount } from './devAccounts.js'
import { createAnvil, type AnvilProcess } from './process/index.js'
import { stopAll } from './process/processRegistry.js'
import { walletFor } from './walletFor.js'
import { ZK_CHAIN_ETH_SUPPLY, zkChainGenesis, zkChainNodeFlags } from './zkChainNode.js'

const CHAIN_ID = 5_271
// The test holds the key of the address the genesis allocates to (standing in for the holder), so it can move that ETH.
const holderKey = generatePrivateKey()
const holder = privateKeyToAccount(holderKey).address
const operator = privateKeyToAccount(generatePrivateKey()).address
let dir: string
let node: AnvilProcess
let client: PublicClient
const chain = () => ({ chainId: CHAIN_ID, name: 'zk', rpcUrl: node.rpcUrl })

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'junction-zk-node-'))
  const genesisFile = join(dir, 'genesis.json')
  writeFileSync(genesisFile, JSON.stringify(zkChainGenesis({ chainId: CHAIN_ID, baseTokenHolder: holder, feeRecipient: operator })))
  node = createAnvil({ chainId: CHAIN_ID, port: 0, name: 'zk', accounts: 3, mnemonic: DEV_MNEMONIC, extraArgs: zkChainNodeFlags({ genesisFile }) })
  await node.start()
  client = createPublicClient({ transport: http(node.rpcUrl) }) as PublicClient
})
after(async () => {
  await stopAll()
  rmSync(dir, { recursive: true, force: true })
})

test('the genesis puts the whole supply at the holder, nothing in the dev accounts, and the operator as coinbase', async () => {
  assert.equal(await client.getBalance({ address: holder }), ZK_CHAIN_ETH_SUPPLY)
  for (const i of [0, 1, 2]) assert.equal(await client.getBalance({ address: devAccount(i).address }), 0n, `dev account ${i}`)
  const block = await client.getBlock({ blockTag: 'latest' })
  assert.equal(block.baseFeePerGas, 0n)
  assert.equal(block.miner.toLowerCase(), operator.toLowerCase())
  assert.ok(Math.abs(Number(block.timestamp) - Date.now() / 1000) < 60, 'the genesis is dated now, not 1970')
})

test('Junction\'s clients send with zero fees where gas is free: accounts with no ETH send, a block-filling transaction too, and the base fee stays 0', async () => {
  const poor = devAccount(1)
  const connection = new ChainConnection(chain())
  // Init code that loops until it runs out of gas: a block filled to 29M of 30M gas.
  const burn = await connection.sendRaw(poor.privateKey, { to: undefined, data: '0x5b600056', gas: 29_000_000n, action: 'burn gas' }).catch((error: unknown) => error)
  assert.ok(burn instanceof Error, 'the loop runs out of gas (a reverted transaction, gas used all the same)')
  const wallet = walletFor(chain(), devAccount(2).privateKey)
  const hash = await wallet.sendTransaction({ to: operator })
  const [tx, receipt] = [await client.getTransaction({ hash }), await client.waitForTransactionReceipt({ hash })]
  assert.equal(receipt.status, 'success')
  assert.deepEqual([tx.maxFeePerGas, tx.maxPriorityFeePerGas, receipt.effectiveGasPrice], [0n, 0n, 0n])
  assert.equal((await client.getBlock({ blockTag: 'latest' })).baseFeePerGas, 0n, 'anvil keeps a base fee of 0 at 0')
  assert.equal(await client.getBalance({ address: poor.address }), 0n)
})

test('a user\'s own default viem client works with ETH it holds: it pays a tip to the operator', async () => {
  const user = privateKeyToAccount(generatePrivateKey())
  const funding = await walletFor(chain(), holderKey).sendTransaction({ to: user.address, value: parseEther('1') })
  await client.waitForTransactionReceipt({ hash: funding })
  const plain = createWalletClient({ account: user, chain: { id: CHAIN_ID, name: 'zk', nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 }, rpcUrls: { default: { http: [node.rpcUrl] } } }, transport: http(node.rpcUrl) })
  const operatorBefore = await client.getBalance({ address: operator })
  const hash = await plain.sendTransaction({ to: holder, value: 1n })
  const receipt = await client.waitForTransactionReceipt({ hash })
  assert.equal(receipt.status, 'success')
  const tip = receipt.gasUsed * receipt.effectiveGasPrice
  console.log(`default viem client: effective gas price ${receipt.effectiveGasPrice} wei (all tip), ${tip} wei to the coinbase`)
  assert.ok(tip > 0n)
  assert.equal(await client.getBalance({ address: user.address }), parseEther('1') - 1n - tip)
  assert.equal(await client.getBalance({ address: operator }), operatorBefore + tip, 'the tip went to the chain\'s operator, the coinbase')
})

test('deployNetwork refuses a ZK chain whose node funds dev accounts and allocates nothing to the holder, naming the genesis and the flags, before it sends anything to any chain', async () => {
  const l1 = createAnvil({ chainId: 31_337, port: 0, name: 'l1', accounts: DEV_ACCOUNT_COUNT, mnemonic: DEV_MNEMONIC })
  const plain = createAnvil({ chainId: 5_272, port: 0, name: 'plain', accounts: DEV_ACCOUNT_COUNT, mnemonic: DEV_MNEMONIC })
  await Promise.all([l1.start(), plain.start()])
  const error = await deployNetwork({ l1: { name: 'l1', chainId: 31_337, rpcUrl: l1.rpcUrl }, chains: [{ name: 'plain', chainId: 5_272, rpcUrl: plain.rpcUrl }] }).catch((e: unknown) => e)
  assert.ok(error instanceof ZkChainGenesisError, String(error))
  assert.equal(error.problem.kind, 'holder-not-allocated')
  assert.match(error.message, /--init <data dir>\/genesis\/plain\.json --balance 0 --base-fee 0/)
  // Nothing was sent to L1, not even after the refusal (a deployment left running would go on sending): once
  // the chain's node is fixed, the same L1 can be deployed onto.
  await new Promise((resolve) => setTimeout(resolve, 1_000))
  const l1Deployer = devAccount(DEV_ROLES.l1Deployer).address
  assert.equal(await new ChainConnection({ chainId: 31_337, name: 'l1', rpcUrl: l1.rpcUrl }).client.getTransactionCount({ address: l1Deployer, blockTag: 'pending' }), 0, 'the L1 deployer sent nothing')
})

test('deployNetwork refuses a ZK chain started from the genesis whose node still funds dev accounts', async () => {
  const genesisFile = join(dir, 'funded.json')
  const { baseTokenHolder } = predictL2Contracts(devAccount(DEV_ROLES.l2Deployer).address)
  writeFileSync(genesisFile, JSON.stringify(zkChainGenesis({ chainId: 5_273, baseTokenHolder, feeRecipient: operator })))
  const l1 = createAnvil({ chainId: 31_337, port: 0, name: 'l1', accounts: DEV_ACCOUNT_COUNT, mnemonic: DEV_MNEMONIC })
  const funding = createAnvil({ chainId: 5_273, port: 0, name: 'funding', accounts: DEV_ACCOUNT_COUNT, mnemonic: DEV_MNEMONIC, extraArgs: ['--init', genesisFile] })
  await Promise.all([l1.start(), funding.start()])
  const error = await deployNetwork({ l1: { name: 'l1', chainId: 31_337, rpcUrl: l1.rpcUrl }, chains: [{ name: 'funding', chainId: 5_273, rpcUrl: funding.rpcUrl }] }).catch((e: unknown) => e)
  assert.ok(error instanceof ZkChainGenesisError, String(error))
  assert.equal(error.problem.kind, 'account-funded')
  assert.match(error.message, /holds 10000 ETH that never came over the bridge/)
})
