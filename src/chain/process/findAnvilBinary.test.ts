import assert from 'node:assert/strict'
import { accessSync, constants } from 'node:fs'
import { test } from 'node:test'
import { AnvilNotFoundError } from '../../errors/process.js'
import { findAnvilBinary } from './findAnvilBinary.js'

test('finds the anvil binary of the platform package, not the npx wrapper', () => {
  const binary = findAnvilBinary({ env: {} })
  assert.match(binary, /@foundry-rs\/anvil-linux-amd64\/bin\/anvil$/)
  accessSync(binary, constants.X_OK)
})

test('prefers JUNCTION_ANVIL_BIN when it is set', () => {
  const real = findAnvilBinary({ env: {} })
  assert.equal(findAnvilBinary({ env: { JUNCTION_ANVIL_BIN: real } }), real)
})

test('says to run npm install when the platform package is missing', () => {
  assert.throws(
    () => findAnvilBinary({ env: {}, platform: 'aix', arch: 'ppc64' }),
    (error: unknown) => {
      assert.ok(error instanceof AnvilNotFoundError)
      assert.match(error.details ?? '', /npm install/)
      assert.match(error.details ?? '', /JUNCTION_ANVIL_BIN/)
      assert.match(error.details ?? '', /@foundry-rs\/anvil-aix-ppc64/)
      return true
    },
  )
})

test('names JUNCTION_ANVIL_BIN when it points at nothing', () => {
  assert.throws(
    () => findAnvilBinary({ env: { JUNCTION_ANVIL_BIN: '/nonexistent/anvil' } }),
    (error: unknown) => error instanceof AnvilNotFoundError && /\/nonexistent\/anvil/.test(error.message),
  )
})
