// How `junction deploy` and `junction up` read the nodes a user names: `--l1 URL[,chain-id=N]`,
// `--chain NAME=URL[,gateway][,chain-id=N]`, `--gateway URL[,chain-id=N]`, `--dev-user-eth ETH`.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { parseEther } from 'viem'
import { UsageError } from '../runCommand.js'
import { devUserEthOption, nodesFromOptions, parseChainOption, parseNodeOption } from './nodeOptions.js'

test('a chain is NAME=URL, settling on L1 unless it says gateway, with an optional chain id to insist on', () => {
  assert.deepEqual(parseChainOption('alpha=http://10.0.0.2:8545'), { name: 'alpha', rpcUrl: 'http://10.0.0.2:8545', settlesOn: 'l1' })
  assert.deepEqual(parseChainOption('beta=https://rpc.example/v1?key=a=b,gateway,chain-id=272'), { name: 'beta', rpcUrl: 'https://rpc.example/v1?key=a=b', settlesOn: 'gateway', chainId: 272 })
  assert.deepEqual(parseChainOption('gamma-2=http://h:1,l1'), { name: 'gamma-2', rpcUrl: 'http://h:1', settlesOn: 'l1' })
})

test('a chain without a name, named like the L1 or the Gateway, with a URL that is not http(s) or an unknown flag is refused', () => {
  for (const value of ['http://10.0.0.2:8545', '=http://h:1', '1x=http://h:1', 'l1=http://h:1', 'Gateway=http://h:1', 'a=ws://h:1', 'a=not a url', 'a=http://h:1,fast', 'a=http://h:1,chain-id=0', 'a=http://h:1,chain-id=x']) {
    assert.throws(() => parseChainOption(value), UsageError, value)
  }
})

test('the L1 and the Gateway are a URL with an optional chain id', () => {
  assert.deepEqual(parseNodeOption('--l1', 'l1', 'http://h:8545'), { name: 'l1', rpcUrl: 'http://h:8545' })
  assert.deepEqual(parseNodeOption('--gateway', 'gateway', 'http://h:9,chain-id=31338'), { name: 'gateway', rpcUrl: 'http://h:9', chainId: 31338 })
  assert.throws(() => parseNodeOption('--l1', 'l1', 'http://h:9,gateway'), UsageError)
})

test('nodes are given together: none at all, or an L1 with at least one chain or a Gateway', () => {
  assert.equal(nodesFromOptions('deploy', {}), undefined)
  assert.throws(() => nodesFromOptions('deploy', { chain: ['a=http://h:1'] }), /need --l1/)
  assert.throws(() => nodesFromOptions('deploy', { l1: 'http://h:1' }), /at least one ZK chain/)
  assert.deepEqual(nodesFromOptions('deploy', { l1: 'http://h:1', chain: ['a=http://h:2,gateway'], gateway: 'http://h:3' }), {
    l1: { name: 'l1', rpcUrl: 'http://h:1' },
    chains: [{ name: 'a', rpcUrl: 'http://h:2', settlesOn: 'gateway' }],
    gateway: { name: 'gateway', rpcUrl: 'http://h:3' },
  })
})

test('--dev-user-eth is an amount of ETH', () => {
  assert.equal(devUserEthOption('up', undefined), undefined)
  assert.equal(devUserEthOption('up', '0'), 0n)
  assert.equal(devUserEthOption('up', '2.5'), parseEther('2.5'))
  for (const value of ['-1', '1e3', 'ten', '0.1234567890123456789']) assert.throws(() => devUserEthOption('up', value), UsageError, value)
})
