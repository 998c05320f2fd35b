import { decodeEventLog, toEventSelector, type Abi, type AbiEvent, type DecodeEventLogReturnType, type Hex, type Log } from 'viem'

/** Parameters of {@link logDecoder}. */
export type LogDecoderParameters<TAbi extends Abi> = {
  abi: TAbi
  /** The events to decode (by name); every other log is skipped. Default: every event of `abi`. */
  events?: readonly string[]
}

/** A decoder made by {@link logDecoder}. */
export type LogDecoder<TAbi extends Abi> = (log: Pick<Log, 'data' | 'topics'>) => DecodeEventLogReturnType<TAbi> | undefined

/**
 * A decoder of the logs of some events: a log whose topic 0 is one of them is decoded (and throws as viem's
 * `decodeEventLog` does if its data does not fit the event), any other log gives `undefined` after one map
 * lookup. Trying a whole ABI and catching the throw cost ~10–25 µs per log that is not one of them, on
 * indexers that read every log of their contracts. Events that share a topic 0 must be declared alike.
 *
 * @example
 * ```ts
 * const decode = logDecoder({ abi: c.interopHandlerAbi, events: ['BundleExecuted'] })
 * for (const log of logs) if (decode(log)?.eventName === 'BundleExecuted') ...
 * ```
 */
export function logDecoder<const TAbi extends Abi>(parameters: LogDecoderParameters<TAbi>): LogDecoder<TAbi> {
  const wanted = parameters.events === undefined ? undefined : new Set(parameters.events)
  const byTopic = new Map<Hex, { item: AbiEvent; abi: readonly [AbiEvent] }>()
  for (const item of parameters.abi) {
    if (item.type !== 'event' || (wanted && !wanted.has(item.name))) continue
    const topic = toEventSelector(item)
    const seen = byTopic.get(topic)
    if (seen && seen.item.inputs.map((i) => i.indexed === true).join() !== item.inputs.map((i) => i.indexed === true).join()) {
      throw new Error(`events ${seen.item.name} and ${item.name} share topic ${topic} but index different inputs`)
    }
    if (!seen) byTopic.set(topic, { item, abi: [item] })
  }
  if (wanted) for (const name of wanted) if (![...byTopic.values()].some((e) => e.item.name === name)) throw new Error(`no event ${name} in the ABI given to logDecoder`)
  return (log) => {
    const topic = log.topics[0]
    const event = topic === undefined ? undefined : byTopic.get(topic)
    if (!event) return undefined
    return decodeEventLog({ abi: event.abi, data: log.data, topics: log.topics }) as unknown as DecodeEventLogReturnType<TAbi>
  }
}
