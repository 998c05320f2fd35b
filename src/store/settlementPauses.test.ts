import assert from 'node:assert/strict'
import { test } from 'node:test'
import { openStore } from './openStore.js'
import { acknowledgePause, endPause, isPauseRequested, pauseAcknowledgedAt, pauseRequested, requestPause } from './settlementPauses.js'

test('a pause is acknowledged for its own request only: a late acknowledgement of an earlier one is not taken for the next', () => {
  const store = openStore(':memory:')
  const first = requestPause(store, 'root-imports', 273)
  assert.equal(pauseRequested(store, 'root-imports', 273), first)
  assert.equal(pauseAcknowledgedAt(store, 'root-imports', 273, first), undefined)
  acknowledgePause(store, 'root-imports', 273, first, 40)
  assert.equal(pauseAcknowledgedAt(store, 'root-imports', 273, first), 40)
  endPause(store, 'root-imports', 273)
  assert.equal(isPauseRequested(store, 'root-imports', 273), false)
  // The service read the first request just before it ended, and acknowledges it after: the next
  // request must wait for an acknowledgement of its own (a service that moved on past block 40).
  acknowledgePause(store, 'root-imports', 273, first, 41)
  const second = requestPause(store, 'root-imports', 273)
  assert.notEqual(second, first)
  assert.equal(pauseAcknowledgedAt(store, 'root-imports', 273, second), undefined)
  acknowledgePause(store, 'root-imports', 273, second, 57)
  assert.equal(pauseAcknowledgedAt(store, 'root-imports', 273, second), 57)
  // Pauses of other kinds and chains are separate.
  assert.equal(isPauseRequested(store, 'commits', 273), false)
  assert.equal(isPauseRequested(store, 'root-imports', 272), false)
  store.close()
})
