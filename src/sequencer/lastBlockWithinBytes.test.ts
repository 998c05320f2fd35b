import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { lastBlockWithinBytes } from './lastBlockWithinBytes.js'

const leaf = (block_number: number, bundle_bytes: number) => ({ block_number, bundle_bytes })

test('ends the batch before the block whose bundle crosses the limit, never splitting a block', () => {
  assert.equal(lastBlockWithinBytes([leaf(5, 600), leaf(6, 600)], 1_000, 9), 5)
  assert.equal(lastBlockWithinBytes([leaf(5, 600), leaf(5, 600), leaf(6, 10)], 1_000, 9), 5, 'the first block goes alone, however big')
  assert.equal(lastBlockWithinBytes([leaf(5, 400), leaf(6, 0), leaf(7, 600)], 1_000, 9), 9, 'exactly at the limit: everything')
  assert.equal(lastBlockWithinBytes([], 1_000, 9), 9)
})

test('property: the batch it leaves is within the limit unless it is a single block, and takes at least one block', () => {
  const leaves = fc.array(fc.tuple(fc.nat({ max: 3 }), fc.nat({ max: 2_000 })), { maxLength: 30 }).map((steps) => {
    let block = 1
    return steps.map(([gap, bytes]) => leaf((block += gap), bytes))
  })
  fc.assert(
    fc.property(leaves, fc.integer({ min: 1, max: 5_000 }), (list, max) => {
      const indexedTo = (list.at(-1)?.block_number ?? 0) + 2
      const end = lastBlockWithinBytes(list, max, indexedTo)
      const inside = list.filter((l) => l.block_number <= end)
      const bytes = inside.reduce((sum, l) => sum + l.bundle_bytes, 0)
      if (list.length > 0) assert.ok(end >= list[0]!.block_number, 'at least the first block')
      if (new Set(inside.map((l) => l.block_number)).size > 1) assert.ok(bytes <= max, `within ${max}: ${bytes}`)
      if (bytes <= max && inside.length === list.length) assert.equal(end, indexedTo)
    }),
  )
})
