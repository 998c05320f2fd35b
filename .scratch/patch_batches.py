p='/work/main/src/store/openStore.ts'
s=open(p).read()
old="""CREATE TABLE IF NOT EXISTS sl_roots ("""
new="""-- the batch holding a block: the first batch whose last block is at or after it (an index seek, not a scan)
CREATE INDEX IF NOT EXISTS sl_batches_by_last_block ON sl_batches (sl_chain_id, chain_id, last_block);
CREATE TABLE IF NOT EXISTS sl_roots ("""
assert old in s; s=s.replace(old,new,1)
open(p,'w').write(s)

p='/work/main/src/indexer/bundleReadiness.ts'
s=open(p).read()
old="""  const sourceBatch = 'JOIN sl_batches s ON s.sl_chain_id = ? AND s.chain_id = b.source_chain_id AND b.block_number BETWEEN s.first_block AND s.last_block'
  if (route.kind === 'direct') return { slChainId: route.slChainId, join: sourceBatch, needed: 's.executed_block', params: [route.slChainId] }
  return {
    slChainId: route.l1ChainId,
    join: `${sourceBatch} JOIN sl_batches g ON g.sl_chain_id = ? AND g.chain_id = ? AND s.executed_block BETWEEN g.first_block AND g.last_block`,
    needed: 'g.executed_block',
    params: [route.gatewayChainId, route.l1ChainId, route.gatewayChainId],
  }"""
new="""  // The batch holding a block is found with an index seek (the first batch ending at or after it),
  // not a scan of every batch: these queries run every few milliseconds over every pending bundle.
  const sourceBatch = `JOIN sl_batches s ON s.sl_chain_id = ? AND s.chain_id = b.source_chain_id AND s.first_block <= b.block_number
    AND s.last_block = (SELECT MIN(x.last_block) FROM sl_batches x WHERE x.sl_chain_id = s.sl_chain_id AND x.chain_id = b.source_chain_id AND x.last_block >= b.block_number)`
  if (route.kind === 'direct') return { slChainId: route.slChainId, join: sourceBatch, needed: 's.executed_block', params: [route.slChainId] }
  return {
    slChainId: route.l1ChainId,
    join: `${sourceBatch} JOIN sl_batches g ON g.sl_chain_id = ? AND g.chain_id = ? AND g.first_block <= s.executed_block
      AND g.last_block = (SELECT MIN(y.last_block) FROM sl_batches y WHERE y.sl_chain_id = g.sl_chain_id AND y.chain_id = g.chain_id AND y.last_block >= s.executed_block)`,
    needed: 'g.executed_block',
    params: [route.gatewayChainId, route.l1ChainId, route.gatewayChainId],
  }"""
assert old in s; s=s.replace(old,new)
open(p,'w').write(s)
print('patched')
