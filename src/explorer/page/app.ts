// The explorer's page: a hash router over the JSON API (docs/explorer.md), live updates by server-sent
// events. Bundled for the browser by the server at start (esbuild); only types come from the server's code.
import type { BatchView } from '../batchView.js'
import { askWallet, explainSignIn, injectedWallet, walletAccount, WalletSignInProblem } from './browserWallet.js'
import type { ChainView } from '../chainView.js'
import type { InstructionView } from '../instructionView.js'
import type { MessageView, ProofView } from '../messageView.js'
import type { BundleSummary, NetworkView } from '../networkView.js'
import type { PaymentView } from '../paymentView.js'
import type { SessionView } from '../routes.js'
import type { AddressView, SearchResult } from '../searchView.js'
import type { AuditView, TokensView } from '../tokensView.js'

type ApiError = { code: string; message: string; details?: string }

/** A failed API call: its status and the API's error body. */
class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly error: ApiError,
  ) {
    super(error.message)
  }
}

const view = document.getElementById('view')!
const apiErrorBox = document.getElementById('api-error')!
const signinPanel = document.getElementById('signin-panel')!
const accountBox = document.getElementById('account')!

async function api<T>(path: string, init?: { method: 'POST'; body: unknown }): Promise<T> {
  let response: Response
  try {
    response = await fetch(path, init ? { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(init.body) } : undefined)
  } catch (error) {
    throw new ApiFailure(0, { code: 'NETWORK', message: `the explorer's server cannot be reached (${String(error)})` })
  }
  const text = await response.text()
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    throw new ApiFailure(response.status, { code: 'NOT_JSON', message: `${path} answered ${response.status} with something other than JSON`, details: text.slice(0, 200) })
  }
  if (!response.ok) throw new ApiFailure(response.status, (body as { error: ApiError }).error)
  return body as T
}

const esc = (value: unknown) => String(value ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
const short = (hash: string) => (hash.length > 20 ? `${hash.slice(0, 10)}…${hash.slice(-8)}` : hash)
const time = (at: number | null | undefined) => (at == null ? '' : new Date(at).toISOString().replace('T', ' ').replace('Z', ' UTC'))
const messageLink = (hash: string) => `<a class="mono" href="#/message/${esc(hash)}">${esc(short(hash))}</a>`
const chainLink = (chain: { chainId: number; name: string; private?: boolean }, l1ChainId?: number) =>
  chain.chainId === l1ChainId || chain.name === 'a private chain' ? esc(chain.name) : `<a href="#/chain/${chain.chainId}">${esc(chain.name)}</a>`
const badge = (text: string, kind = text) => `<span class="badge ${esc(kind)}">${esc(text)}</span>`

function showApiError(error: ApiError | undefined): void {
  if (!error) {
    apiErrorBox.hidden = true
    apiErrorBox.innerHTML = ''
    return
  }
  apiErrorBox.hidden = false
  apiErrorBox.innerHTML = `<strong>API error ${esc(error.code)}:</strong> ${esc(error.message)}${error.details ? `<div class="muted">${esc(error.details)}</div>` : ''}`
}

function renderNotFound(error: ApiError): void {
  view.innerHTML = `<div class="notfound" data-page="not-found"><h1>Not found</h1><p>${esc(error.message)}</p>${error.details ? `<p class="muted">${esc(error.details)}</p>` : ''}<p><a href="#/">Back to the network</a></p></div>`
}

/** Runs a page's load; a 404 renders the not-found page, any other failure the API error banner. */
/** Thrown by a page load that a newer one replaced (the visitor moved on while it waited for the API). */
class Superseded extends Error {}

async function load(run: () => Promise<void>): Promise<void> {
  try {
    await run()
    showApiError(undefined)
  } catch (error) {
    if (error instanceof Superseded) return // the newer load draws the page and its errors
    if (error instanceof ApiFailure && error.status === 404) {
      showApiError(undefined)
      renderNotFound(error.error)
    } else if (error instanceof ApiFailure) showApiError(error.error)
    else showApiError({ code: 'PAGE', message: error instanceof Error ? error.message : String(error) })
  }
}

function bundleTable(rows: BundleSummary[], empty: string): string {
  if (rows.length === 0) return `<p class="muted">${esc(empty)}</p>`
  return `<table class="bundles"><thead><tr><th>bundle</th><th>from</th><th>to</th><th>sender</th><th>sent</th><th>state</th></tr></thead><tbody>${rows
    .map(
      (row) =>
        `<tr data-bundle="${esc(row.bundleHash)}"><td>${messageLink(row.bundleHash)}</td><td>${chainLink(row.source)}</td><td>${chainLink(row.destination)}</td><td class="mono"><a href="#/address/${esc(row.sender)}">${esc(short(row.sender))}</a></td><td>${esc(time(row.sentAt))}</td><td class="state">${badge(row.state)}${row.failure ? ` <span class="muted">${esc(row.failure)}</span>` : ''}${row.executedAt ? ` <span class="muted">+${row.executedAt - row.sentAt} ms</span>` : ''}</td></tr>`,
    )
    .join('')}</tbody></table>`
}

function latencyPlot(latency: NetworkView['latency']): string {
  const points = latency.flatMap((path) => path.points)
  if (points.length === 0) return '<p class="muted">No bundle executed yet.</p>'
  const width = 560
  const height = 140
  const minAt = Math.min(...points.map((p) => p.at))
  const maxAt = Math.max(...points.map((p) => p.at), minAt + 1)
  const maxMs = Math.max(...points.map((p) => p.ms), 1)
  const colors = ['#3451d1', '#17834a', '#b7791f', '#c53030', '#6b2fa8', '#0e7490']
  const x = (at: number) => 40 + ((at - minAt) / (maxAt - minAt)) * (width - 50)
  const y = (ms: number) => height - 20 - (ms / maxMs) * (height - 30)
  const lines = latency
    .map((path, i) => `<polyline fill="none" stroke="${colors[i % colors.length]}" stroke-width="1.5" points="${path.points.map((p) => `${x(p.at).toFixed(1)},${y(p.ms).toFixed(1)}`).join(' ')}"/>${path.points.map((p) => `<circle r="2" fill="${colors[i % colors.length]}" cx="${x(p.at).toFixed(1)}" cy="${y(p.ms).toFixed(1)}"/>`).join('')}`)
    .join('')
  return `<svg class="plot" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="latency per path"><text x="4" y="14" font-size="10" fill="#6b7688">${maxMs} ms</text><text x="4" y="${height - 22}" font-size="10" fill="#6b7688">0</text><line x1="40" x2="${width - 10}" y1="${height - 20}" y2="${height - 20}" stroke="#e3e7ee"/>${lines}</svg>
    <div class="legend">${latency.map((path, i) => `<span style="color:${colors[i % colors.length]}">■ ${esc(path.path)} (${path.points.length}, last ${path.points.at(-1)!.ms} ms)</span>`).join('')}</div>`
}

function renderNetwork(network: NetworkView): void {
  const all = [network.l1, ...network.chains]
  view.innerHTML = `<div data-page="network"><h1>${esc(network.name)}</h1>
  <section class="card"><table class="chains"><thead><tr><th>chain</th><th>id</th><th>role</th><th>settles on</th><th>head</th><th>indexed</th><th>batches committed / proven / executed</th></tr></thead><tbody>${all
    .map(
      (chain) =>
        `<tr data-chain="${chain.chainId}"><td>${chain.role === 'L1' ? esc(chain.name) : `<a href="#/chain/${chain.chainId}">${esc(chain.name)}</a>`} ${chain.private ? badge('private') : ''}${chain.signedInAs ? ` <span class="muted">as ${esc(short(chain.signedInAs))}</span>` : ''}</td><td>${chain.chainId}</td><td>${esc(chain.role)}</td><td>${chain.settlesOn ? esc(chain.settlesOn.name) : '-'}</td><td>${chain.head ?? `<span class="badge bad" title="${esc(chain.headError)}">unreachable</span>`}</td><td>${chain.indexedBlock ?? '-'}</td><td>${chain.role === 'L1' ? '-' : `${chain.batches.committed} / ${chain.batches.proven} / ${chain.batches.executed}`}</td></tr>`,
    )
    .join('')}</tbody></table>
  ${network.hiddenPrivateChains > 0 ? `<p class="muted" id="hidden-private">${network.hiddenPrivateChains} private chain(s) not shown: sign in to see what your account may see.</p>` : ''}</section>
  <div class="grid2"><section class="card"><h2>Services</h2><dl class="facts">
    <dt>bundles waiting</dt><dd id="pending">${network.services.pendingBundles}${network.services.oldestPendingMs !== null ? ` (oldest ${Math.round(network.services.oldestPendingMs / 1000)} s)` : ''}</dd>
    <dt>deliveries failing</dt><dd>${network.services.failedDeliveries ? badge(String(network.services.failedDeliveries), 'bad') : '0'}</dd>
    <dt>batches waiting for a credit</dt><dd>${network.services.approvalWaits}</dd>
    <dt>indexers behind head</dt><dd>${all.filter((c) => c.head !== null && c.indexedBlock !== null && c.head - c.indexedBlock > 5).map((c) => esc(c.name)).join(', ') || 'none'}</dd></dl></section>
  <section class="card"><h2>Latency sent → executed, per path</h2>${latencyPlot(network.latency)}</section></div>
  <h2>Recent bundles</h2><section class="card" id="recent">${bundleTable(network.messages, 'No bundle sent yet.')}</section></div>`
}

function renderChain(chain: ChainView): void {
  const c = chain.chain
  view.innerHTML = `<div data-page="chain"><h1>${esc(c.name)} ${c.private ? badge('private') : ''} <span class="muted">chain ${c.chainId}</span></h1>
  <section class="card"><dl class="facts"><dt>settles on</dt><dd>${esc(c.settlesOn?.name ?? '-')}</dd><dt>head</dt><dd>${c.head ?? esc(c.headError)}</dd><dt>indexed to</dt><dd>${c.indexedBlock ?? '-'}</dd>
  <dt>batches</dt><dd>${c.batches.sealed} sealed, ${c.batches.committed} committed, ${c.batches.proven} proven, ${c.batches.executed} executed</dd>${c.signedInAs ? `<dt>shown as</dt><dd class="mono">${esc(c.signedInAs)} (what its permissioned RPC shows this account)</dd>` : ''}</dl></section>
  <div class="grid2"><section class="card"><h2>Recent blocks</h2>${chain.blocksError ? `<p class="badge bad">${esc(chain.blocksError)}</p>` : ''}<table><thead><tr><th>block</th><th>time</th><th>transactions</th></tr></thead><tbody>${chain.blocks
    .map((b) => `<tr><td>${b.number}</td><td>${esc(time(b.timestamp * 1000))}</td><td class="mono">${b.transactions.map((t) => esc(short(t))).join('<br>') || '<span class="muted">none</span>'}</td></tr>`)
    .join('')}</tbody></table></section>
  <section class="card"><h2>Batches</h2><table><thead><tr><th>batch</th><th>blocks</th><th>status</th><th>on</th></tr></thead><tbody>${chain.batches
    .map((b) => `<tr><td><a href="#/batch/${c.chainId}/${b.batchNumber}">${b.batchNumber}</a></td><td>${b.firstBlock}–${b.lastBlock}</td><td>${badge(b.status, b.status === 'executed' ? 'ok' : 'pending')}</td><td>${esc(b.settlementLayer?.name ?? '')}</td></tr>`)
    .join('')}</tbody></table></section></div>
  <h2>Sent</h2><section class="card">${bundleTable(chain.sent, 'No bundle sent from this chain yet.')}</section>
  <h2>Received</h2><section class="card">${bundleTable(chain.received, 'No bundle sent to this chain yet.')}</section></div>`
}

function renderBatch(batch: BatchView): void {
  const step = (name: string, s: BatchView['committed']) =>
    `<dt>${name}</dt><dd>${s ? `${esc(time(s.at))}${s.block !== null ? `, ${esc(batch.settlementLayer?.name ?? '')} block ${s.block}` : ''}${s.txHash ? `<br><span class="mono">tx ${esc(s.txHash)}</span>` : ''}` : '<span class="muted">not yet</span>'}</dd>`
  view.innerHTML = `<div data-page="batch"><h1>Batch ${batch.batchNumber} of <a href="#/chain/${batch.chain.chainId}">${esc(batch.chain.name)}</a> ${badge(batch.status, batch.status === 'executed' ? 'ok' : 'pending')}</h1>
  <section class="card"><dl class="facts"><dt>blocks</dt><dd>${batch.firstBlock}–${batch.lastBlock}</dd><dt>message root</dt><dd class="mono">${esc(batch.messageRoot ?? 'not committed yet')}</dd><dt>batch hash</dt><dd class="mono">${esc(batch.batchHash ?? '-')}</dd>
  <dt>settles on</dt><dd>${esc(batch.settlementLayer?.name ?? '-')}</dd><dt>sealed</dt><dd>${esc(time(batch.sealedAt))}</dd>${step('committed', batch.committed)}${step('proven', batch.proven)}${step('executed', batch.executed)}</dl></section>
  <h2>Imported roots</h2><section class="card">${batch.importedRoots.length ? `<table><thead><tr><th>block</th><th>root of</th><th>root</th></tr></thead><tbody>${batch.importedRoots.map((r) => `<tr><td>${r.block}</td><td>${esc(r.settlementLayer.name)} block ${r.settlementLayerBlock}</td><td class="mono">${esc(r.root)}</td></tr>`).join('')}</tbody></table>` : '<p class="muted">No root imported in these blocks.</p>'}</section>
  <h2>Messages</h2><section class="card">${bundleTable(batch.messages, 'No bundle sent in these blocks.')}</section></div>`
}

const JOURNEY = ['sent', 'batched', 'committed', 'proven', 'executed-on-settlement-layer', 'root-on-destination', 'executed']
const STEP_NAMES: Record<string, string> = {
  sent: 'sent',
  batched: 'batched',
  committed: 'committed on the settlement layer',
  proven: 'proven',
  'executed-on-settlement-layer': 'executed on the settlement layer',
  'settled-on-l1': 'Gateway batch settled on L1',
  'root-on-destination': 'root on the destination',
  executed: 'executed',
  failed: 'failed',
}

function renderMessage(message: MessageView): void {
  const origin = message.timeline[0]?.at ?? null
  const done = new Set(message.timeline.map((s) => s.status))
  const waiting = message.destinationHidden ? [] : JOURNEY.filter((s) => !done.has(s) && !(message.status === 'failed' && s === 'executed'))
  const steps = [
    ...message.timeline.map(
      (s) =>
        `<li class="${s.status === 'failed' ? 'failed' : 'done'}" data-status="${esc(s.status)}"><span class="step">${esc(STEP_NAMES[s.status] ?? s.status)}</span> <span class="muted">${esc(time(s.at))}${origin !== null && s.at !== null ? ` (+${s.at - origin} ms)` : ''}</span>${s.detail ? `<div>${esc(s.detail)}</div>` : ''}${s.txHash ? `<div class="mono">tx ${esc(s.txHash)}</div>` : ''}</li>`,
    ),
    ...waiting.map((s) => `<li class="waiting" data-status="${esc(s)}"><span class="step">${esc(STEP_NAMES[s])}</span> <span class="muted">waiting</span></li>`),
  ]
  const address = (a: MessageView['sender']) => `<a class="mono" href="#/address/${esc(a.address)}">${esc(a.address)}</a> <span class="muted">on ${esc(a.chainName)}</span><div class="mono muted" title="ERC-7930">${esc(a.erc7930)}</div>`
  view.innerHTML = `<div data-page="message"><h1>Bundle <span class="mono">${esc(short(message.bundleHash))}</span> <span id="message-status">${badge(message.status, message.status === 'executed' ? 'executed' : message.status === 'failed' ? 'failed' : 'pending')}</span></h1>
  <section class="card"><dl class="facts"><dt>bundle hash</dt><dd class="mono">${esc(message.bundleHash)}</dd><dt>route</dt><dd>${chainLink(message.source)} → ${chainLink(message.destination)}</dd><dt>sender</dt><dd>${address(message.sender)}</dd>
  <dt>sent in</dt><dd class="mono">${esc(message.sentIn)}</dd>${message.blindedLeaf ? `<dt>message leaf</dt><dd id="blinded-leaf">${badge('blinded', 'private')} the source's message root holds the commitment H(0x08 ‖ bundle hash ‖ blinding), not the bundle hash: <span class="mono">${esc(message.blindedLeaf.commitment)}</span></dd>` : ''}${message.batchNumber !== undefined ? `<dt>source batch</dt><dd><a href="#/batch/${message.source.chainId}/${message.batchNumber}">${message.batchNumber}</a></dd>` : ''}
  ${message.executedIn ? `<dt>executed in</dt><dd class="mono">${esc(message.executedIn)}</dd>` : ''}${message.finality ? `<dt>finality</dt><dd>${esc(message.finality)}</dd>` : ''}${message.destinationStatus ? `<dt>on the destination</dt><dd>${esc(message.destinationStatus)}</dd>` : ''}
  ${message.waiting ? `<dt>waiting</dt><dd>${esc(message.waiting)}</dd>` : ''}</dl>${message.destinationHidden ? `<p class="muted" id="destination-hidden">${esc(message.destinationHidden)}</p>` : ''}</section>
  ${message.failure ? `<div class="failure" id="failure"><div>The bundle's execution reverts: <span class="reason">${esc(message.failure)}</span></div>${message.delivery ? `<div class="muted">relayer: ${message.delivery.attempts} attempt(s), last ${esc(time(message.delivery.updatedAt))}</div>` : ''}<h2>What you can do</h2><ul>${message.remedies.map((r) => `<li>${esc(r)}</li>`).join('')}</ul></div>` : ''}
  <div class="grid2"><section class="card"><h2>Timeline</h2><ol class="timeline">${steps.join('')}</ol></section>
  <section class="card"><h2>Calls</h2><table><thead><tr><th>#</th><th>to</th><th>value</th><th>status</th></tr></thead><tbody>${message.calls.map((c) => `<tr><td>${c.index}</td><td>${address(c.to)}<div class="mono muted">data ${esc(c.data.length > 66 ? `${c.data.slice(0, 66)}…` : c.data)}</div></td><td>${esc(c.value)}</td><td>${c.status ? badge(c.status, c.status === 'executed' ? 'ok' : 'pending') : '<span class="muted">-</span>'}</td></tr>`).join('')}</tbody></table>
  <dl class="facts"><dt>execution address</dt><dd class="mono">${esc(/^0x0{40}$/i.test(message.executionAddress) ? 'anyone' : message.executionAddress)}</dd><dt>unbundler</dt><dd class="mono">${esc(/^0x0{40}$/i.test(message.unbundler) ? 'none' : message.unbundler)}</dd></dl></section></div>
  <section class="card"><h2>Proof</h2><button id="proof-button" class="secondary">Build the inclusion proof</button><div id="proof"></div></section></div>`
  document.getElementById('proof-button')!.addEventListener('click', () =>
    load(async () => {
      const proof = await api<ProofView>(`/api/messages/${message.bundleHash}/proof`)
      document.getElementById('proof')!.innerHTML = proof.ready ? `<pre>${esc(JSON.stringify(proof.proof, null, 2))}</pre>` : `<p>Not ready yet: ${esc(proof.reason)}. <span class="muted">${esc(proof.details)}</span></p>`
    }),
  )
}

/** An amount in the asset's units when they are known (ETH: 18 decimals), else as the chain keeps it. */
function amount(value: string, asset: string): string {
  if (asset !== 'ETH') return value
  const padded = value.padStart(19, '0')
  const fraction = padded.slice(-18).replace(/0+$/, '')
  return `${padded.slice(0, -18)}${fraction ? `.${fraction}` : ''} ETH`
}

function renderTokens(tokens: TokensView, audit: AuditView | ApiError): void {
  const a = (value: string) => esc(amount(value, tokens.asset))
  const listed = BigInt(tokens.ledgerAccountsListed)
  const vault = BigInt(tokens.vault)
  const ledgerLine = tokens.privateChainsLeftOut
    ? `the accounts listed below hold ${a(tokens.ledgerAccountsListed)}; the other ${a(String(vault - listed))} are the private chains' accounts`
    : `its accounts listed below add up to it: ${listed === vault ? badge('reconciles', 'ok') : badge(`they hold ${amount(tokens.ledgerAccountsListed, tokens.asset)}`, 'bad')}`
  const auditHtml =
    'code' in audit
      ? `<p class="badge bad">the audit failed: ${esc(audit.message)}</p>`
      : `<ul id="audit"><li>forged bundles: ${audit.forgedBundles.length === 0 ? 'none executed' : audit.forgedBundles.map((b) => `${esc(b.chain)} executed ${esc(short(b.bundleHash))} (tx ${esc(short(b.txHash))}) that no chain sent`).join('; ')}</li>
         <li>forged withdrawals: ${audit.forgedWithdrawals.length === 0 ? 'none finalized' : audit.forgedWithdrawals.map((w) => `${esc(w.amount)} from ${esc(w.chain)} to ${esc(w.l1Receiver)}`).join('; ')}</li>
         <li>transfers the L1 ledger refused: ${audit.refusedTransfers.length === 0 ? 'none' : audit.refusedTransfers.map((t) => `${esc(t.amount)} ${esc(t.source)} → ${esc(t.destination)}: ${esc(t.reason)}`).join('; ')}</li>${audit.unchecked ? `<li>${audit.unchecked} not judged yet</li>` : ''}</ul>`
  view.innerHTML = `<div data-page="tokens"><h1>Tokens</h1>
  <form id="token-form" class="card" style="display:flex;gap:8px"><input id="token-input" class="mono" style="flex:1;padding:6px" placeholder="an L1 token address, or ETH" value="${esc(tokens.asset)}"><button type="submit">Show</button></form>
  <section class="card"><dl class="facts"><dt>asset</dt><dd class="mono">${esc(tokens.asset)} <span class="muted">asset id ${esc(tokens.assetId)}</span></dd><dt>L1 vault holds</dt><dd id="vault">${a(tokens.vault)}</dd><dt>L1's ledger</dt><dd>${ledgerLine}</dd></dl></section>
  <section class="card"><h2>Every chain: supply, ledger where it settles, own account in L1's ledger</h2><table id="balances"><thead><tr><th>chain</th><th>settles on</th><th>supply on the chain</th><th>ledger where it settles</th><th>own L1 ledger account</th><th>reconciles</th></tr></thead><tbody>${tokens.chains
    .map(
      (c) =>
        `<tr data-chain="${c.chainId}"><td><a href="#/chain/${c.chainId}">${esc(c.name)}</a> ${c.private ? badge('private') : ''}</td><td>${esc(c.settlesOn.name)}</td><td class="supply">${c.supply === null ? `<span class="muted">${esc(c.note ?? 'unknown')}</span>` : a(c.supply)}</td><td>${a(c.ledger)}</td><td>${a(c.l1Ledger)}</td><td>${c.reconciles === null ? badge('unknown', 'pending') : c.reconciles ? badge('yes', 'ok') : badge('in flight or off', 'warn')}</td></tr>`,
    )
    .join('')}</tbody></table>
  ${tokens.gateways.length ? `<h2>Gateways: L1 ledger account against the tracker's chains</h2><table><thead><tr><th>gateway</th><th>L1 ledger</th><th>tracker total</th><th>reconciles</th></tr></thead><tbody>${tokens.gateways.map((g) => `<tr><td>${esc(g.name)}</td><td>${a(g.l1Ledger)}</td><td>${a(g.trackerTotal)}</td><td>${g.reconciles ? badge('yes', 'ok') : badge('in flight or off', 'warn')}</td></tr>`).join('')}</tbody></table>` : ''}
  ${tokens.privateChainsLeftOut ? `<p class="muted" id="private-left-out">${tokens.privateChainsLeftOut} private chain(s) left out: sign in to see those your account may read (their supply is read only through their permissioned RPC).</p>` : ''}</section>
  <section class="card"><h2>junction audit</h2>${auditHtml}</section></div>`
  document.getElementById('token-form')!.addEventListener('submit', (event) => {
    event.preventDefault()
    const value = (document.getElementById('token-input') as HTMLInputElement).value.trim()
    location.hash = `#/tokens/${value === '' ? 'ETH' : value}`
  })
}

function renderAddress(address: AddressView): void {
  view.innerHTML = `<div data-page="address"><h1>Address <span class="mono">${esc(address.address)}</span></h1>
  <section class="card"><h2>ETH</h2><table><tbody>${address.balances.map((b) => `<tr><td>${esc(b.name)}</td><td>${esc(b.balance ?? '-')} ${b.note ? `<span class="muted">${esc(b.note)}</span>` : ''}</td></tr>`).join('')}</tbody></table></section>
  <h2>Bundles it sent</h2><section class="card">${bundleTable(address.sent, 'None.')}</section>
  <h2>Bundles calling it</h2><section class="card">${bundleTable(address.received, 'None.')}</section></div>`
}

/** Whether the payment shown is decided and every record shown has the answer (then live updates leave it as it is). */
let paymentSettled = false

const PAYMENT_STATUS: Record<PaymentView['status'], [string, string]> = { PDNG: ['Pending', 'pending'], ACSC: ['ACSC accepted', 'executed'], RJCT: ['RJCT rejected', 'failed'] }

function renderPayment(payment: PaymentView): void {
  paymentSettled = payment.status !== 'PDNG' && payment.records.every((r) => r.status !== 'PDNG')
  const status = (s: PaymentView['status'], reason?: string, text?: string) => `${badge(PAYMENT_STATUS[s][0], PAYMENT_STATUS[s][1])}${reason ? ` <span class="reason">${esc(reason)}</span>${text ? ` <span class="muted">${esc(text)}</span>` : ''}` : ''}`
  view.innerHTML = `<div data-page="payment"><h1>Payment <span class="mono">${esc(payment.uetr)}</span> <span id="payment-status">${status(payment.status, payment.reason, payment.reasonText)}</span></h1>
  <section class="card"><dl class="facts"><dt>UETR</dt><dd class="mono">${esc(payment.uetr)}</dd><dt>amount</dt><dd id="payment-amount">${esc(payment.formatted ?? `${payment.amount} units`)}</dd></dl></section>
  <h2>Each bank's record</h2><section class="card"><table id="payment-records"><thead><tr><th>bank</th><th>chain</th><th>status</th><th>customer</th><th>amount</th><th>decided</th><th>message hash</th></tr></thead><tbody>${payment.records
    .map(
      (r) =>
        `<tr data-bank="${esc(r.bank)}"><td>${r.bank === 'debtor' ? 'debtor bank (sent)' : 'creditor bank (received)'}<div class="mono muted">${esc(short(r.paymentBank))}</div></td><td>${chainLink(r.chain)}</td><td>${status(r.status, r.reason)}</td><td class="mono"><a href="#/address/${esc(r.customer)}">${esc(short(r.customer))}</a></td><td>${esc(r.formatted ?? r.amount)}</td><td>${esc(time(r.decidedAt))}</td><td class="mono">${esc(short(r.messageHash))}</td></tr>`,
    )
    .join('')}${payment.notShown.map((n) => `<tr class="not-shown" data-bank="${esc(n.bank)}"><td>${n.bank === 'debtor' ? 'debtor bank' : 'creditor bank'}</td><td>${chainLink(n.chain)}</td><td colspan="5" class="muted">not shown: ${esc(n.reason)}</td></tr>`).join('')}</tbody></table></section>
  <h2>Bundles</h2><section class="card"><table id="payment-bundles"><thead><tr><th>what</th><th>bundle</th><th>from</th><th>to</th></tr></thead><tbody>${payment.bundles
    .map((b) => `<tr data-role="${esc(b.role)}"><td>${b.role === 'payment' ? 'the payment (cash and credit)' : b.role === 'answer' ? "the creditor bank's answer" : ''}</td><td>${messageLink(b.bundleHash)}</td><td>${chainLink(b.source)}</td><td>${chainLink(b.destination)}</td></tr>`)
    .join('')}</tbody></table></section></div>`
}

/** Whether every copy of the instruction shown has decided (then live updates leave it as it is). */
let instructionSettled = false

function renderInstruction(instruction: InstructionView): void {
  instructionSettled = instruction.members.every((m) => m.copy?.status === 'executed' || m.copy?.status === 'cancelled' || m.copy?.status === 'expired')
  const kind = (status: string) => (status === 'executed' ? 'executed' : status === 'cancelled' || status === 'expired' ? 'failed' : 'pending')
  const votes = (list: { member: number; vote: string; version: number }[]) => (list.length ? list.map((v) => `bank ${v.member + 1}: ${esc(v.vote)} (v${v.version})`).join(', ') : 'none yet')
  view.innerHTML = `<div data-page="instruction"><h1>Instruction <span class="mono">${esc(short(instruction.instructionId))}</span> <span id="instruction-outcome">${badge(instruction.outcome, kind(instruction.outcome))}</span></h1>
  <section class="card"><dl class="facts"><dt>instruction id</dt><dd class="mono">${esc(instruction.instructionId)}</dd><dt>terms hash</dt><dd class="mono">${esc(instruction.termsHash)}</dd><dt>proposed by</dt><dd>bank ${instruction.proposer + 1}</dd></dl></section>
  <h2>Each bank's copy, on its own chain</h2><div class="copies" id="instruction-copies">${instruction.members
    .map(
      (m) =>
        `<section class="card copy" data-member="${m.index}" data-chain="${m.chain.chainId}"><h3>bank ${m.index + 1} on ${chainLink(m.chain)}</h3><dl class="facts"><dt>book</dt><dd class="mono">${esc(short(m.book))}</dd><dt>pays</dt><dd>${esc(m.amount)} units of <span class="mono">${esc(short(m.token))}</span> to <a class="mono" href="#/address/${esc(m.payee)}">${esc(short(m.payee))}</a></dd>${
          m.copy
            ? `<dt>status</dt><dd class="copy-status">${badge(m.copy.status, kind(m.copy.status))}</dd><dt>votes</dt><dd class="copy-votes">${votes(m.copy.votes)}</dd><dt>proposal</dt><dd>${m.copy.proposalSeen ? 'seen' : 'not seen yet'}</dd>`
            : `<dt>status</dt><dd class="muted not-shown">not shown: ${esc(m.notShown)}</dd>`
        }</dl></section>`,
    )
    .join('')}</div></div>`
}

// --- routing and live updates ---

type Route = { page: 'network' } | { page: 'chain'; chainId: string } | { page: 'batch'; chainId: string; batch: string } | { page: 'message'; hash: string } | { page: 'tokens'; asset: string } | { page: 'address'; address: string } | { page: 'payment'; uetr: string } | { page: 'instruction'; id: string } | { page: 'search'; q: string }

function currentRoute(): Route {
  const parts = location.hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent)
  switch (parts[0]) {
    case 'chain':
      return { page: 'chain', chainId: parts[1] ?? '' }
    case 'batch':
      return { page: 'batch', chainId: parts[1] ?? '', batch: parts[2] ?? '' }
    case 'message':
      return { page: 'message', hash: parts[1] ?? '' }
    case 'tokens':
      return { page: 'tokens', asset: parts[1] || 'ETH' }
    case 'address':
      return { page: 'address', address: parts[1] ?? '' }
    case 'payment':
      return { page: 'payment', uetr: parts[1] ?? '' }
    case 'instruction':
      return { page: 'instruction', id: parts[1] ?? '' }
    case 'search':
      return { page: 'search', q: parts.slice(1).join('/') }
    default:
      return { page: 'network' }
  }
}

let lastMessage: MessageView | undefined

let renderTicket = 0

async function render(): Promise<void> {
  const route = currentRoute()
  // Only the latest render may draw: an older one still waiting for the API (a live update of the page
  // the visitor just left) would otherwise draw that page over the new one.
  const ticket = ++renderTicket
  const get = <T>(path: string): Promise<T> =>
    api<T>(path).then(
      (value) => {
        if (ticket !== renderTicket) throw new Superseded()
        return value
      },
      (error: unknown) => {
        throw ticket !== renderTicket ? new Superseded() : error
      },
    )
  await load(async () => {
    switch (route.page) {
      case 'network':
        return renderNetwork(await get<NetworkView>('/api/network'))
      case 'chain':
        return renderChain(await get<ChainView>(`/api/chains/${encodeURIComponent(route.chainId)}`))
      case 'batch':
        return renderBatch(await get<BatchView>(`/api/chains/${encodeURIComponent(route.chainId)}/batches/${encodeURIComponent(route.batch)}`))
      case 'message': {
        if (!/^0x[0-9a-fA-F]{64}$/.test(route.hash)) return renderNotFound({ code: 'NOT_FOUND', message: `"${route.hash}" is not a bundle hash`, details: 'A bundle hash is 0x and 64 hex digits.' })
        const message = await get<MessageView>(`/api/messages/${route.hash}`)
        lastMessage = message
        return renderMessage(message)
      }
      case 'tokens': {
        const tokens = await get<TokensView>(`/api/tokens/${encodeURIComponent(route.asset)}`)
        const audit = await get<AuditView>('/api/audit').catch((error: unknown) => {
          if (error instanceof Superseded) throw error
          return error instanceof ApiFailure ? error.error : { code: 'PAGE', message: String(error) }
        })
        return renderTokens(tokens, audit)
      }
      case 'address':
        return renderAddress(await get<AddressView>(`/api/addresses/${encodeURIComponent(route.address)}`))
      case 'payment':
        return renderPayment(await get<PaymentView>(`/api/payments/${encodeURIComponent(route.uetr)}`))
      case 'instruction':
        if (!/^0x[0-9a-fA-F]{64}$/.test(route.id)) return renderNotFound({ code: 'NOT_FOUND', message: `"${route.id}" is not an instruction id`, details: 'An instruction id is 0x and 64 hex digits.' })
        return renderInstruction(await get<InstructionView>(`/api/instructions/${route.id}`))
      case 'search': {
        const found = await get<SearchResult>(`/api/search?q=${encodeURIComponent(route.q)}`)
        const target =
          found.kind === 'message'
            ? `#/message/${found.bundleHash}`
            : found.kind === 'batch'
              ? `#/batch/${found.chainId}/${found.batchNumber}`
              : found.kind === 'address'
                ? `#/address/${found.address}`
                : found.kind === 'payment'
                  ? `#/payment/${found.uetr}`
                  : found.kind === 'instruction'
                    ? `#/instruction/${found.instructionId}`
                    : `#/chain/${found.chainId}`
        location.replace(target)
        return
      }
    }
  })
}

/** Whether a live update should reload the page shown (a final message stays as it is). */
function followsLiveUpdates(route: Route): boolean {
  if (route.page === 'chain' || route.page === 'batch') return true
  if (route.page === 'payment') return !paymentSettled
  if (route.page === 'instruction') return !instructionSettled
  if (route.page === 'message') return !lastMessage || lastMessage.bundleHash.toLowerCase() !== route.hash.toLowerCase() || !['executed'].includes(lastMessage.status)
  return false
}

let events: EventSource | undefined

/** Opens the live stream (again after a sign-in or out: the stream reads as the visitor it was opened by). */
function connectLive(): void {
  const live = document.getElementById('live')!
  events?.close()
  events = new EventSource('/api/events')
  events.addEventListener('open', () => {
    live.className = 'live on'
    live.textContent = 'live updates: on'
  })
  events.addEventListener('error', () => {
    live.className = 'live off'
    live.textContent = 'live updates: reconnecting'
  })
  events.addEventListener('failure', (event) => showApiError((JSON.parse((event as MessageEvent<string>).data) as { error: ApiError }).error))
  events.addEventListener('network', (event) => {
    const route = currentRoute()
    if (route.page === 'network') {
      renderNetwork(JSON.parse((event as MessageEvent<string>).data) as NetworkView)
      showApiError(undefined)
    } else if (followsLiveUpdates(route)) void render()
  })
}

// --- sign-in to private chains ---

async function renderAccount(): Promise<void> {
  try {
    const session = await api<SessionView>('/api/session')
    if (session.privateChains === 0) {
      accountBox.innerHTML = ''
      return
    }
    accountBox.innerHTML = session.signedIn.length
      ? `<span id="signed-in">signed in as <span class="mono">${esc(short(session.signedIn[0]!.address))}</span> on ${session.signedIn.map((s) => esc(s.name)).join(', ')}</span><button id="sign-out" class="secondary">Sign out</button>`
      : `<button id="sign-in" class="secondary">Sign in to private chains</button>`
    document.getElementById('sign-out')?.addEventListener('click', () => void signOut())
    document.getElementById('sign-in')?.addEventListener('click', () => showSignIn(session))
  } catch (error) {
    if (error instanceof ApiFailure) showApiError(error.error)
  }
}

function showSignIn(session: SessionView): void {
  const wallet = injectedWallet()
  signinPanel.hidden = false
  signinPanel.innerHTML = `<h2>Sign in to the private chains</h2><p class="muted">Each private chain's permissioned RPC signs you in (SIWE); the explorer then reads it with your session and shows only what it allows your account.</p>
  ${session.devSignIn ? `<label>Development account: <select id="dev-account">${session.devAccounts.map((a) => `<option value="${esc(a.address)}">${esc(a.label)} ${esc(a.address)}</option>`).join('')}</select></label> <button id="dev-sign-in">Sign in</button>` : ''}
  ${wallet ? ' <button id="wallet-sign-in" class="secondary">Sign in with your browser wallet</button>' : session.devSignIn ? '' : '<p>No browser wallet found.</p>'}
  <button id="sign-in-cancel" class="secondary">Cancel</button><p id="sign-in-result" class="muted"></p>`
  document.getElementById('sign-in-cancel')!.addEventListener('click', () => (signinPanel.hidden = true))
  const result = document.getElementById('sign-in-result')!
  const tell = (problem: WalletSignInProblem | undefined) => {
    result.className = problem ? 'sign-in-problem' : 'muted'
    result.dataset.reason = problem?.reason ?? ''
    result.textContent = problem?.message ?? ''
  }
  const done = async (answer: SessionView & { refused: number }, problem?: WalletSignInProblem) => {
    tell(problem ?? (answer.signedIn.length ? undefined : new WalletSignInProblem('not-linked', 'No private chain has a user with this account.')))
    if (answer.signedIn.length && !problem) signinPanel.hidden = true
    connectLive()
    await renderAccount()
    await render()
  }
  document.getElementById('dev-sign-in')?.addEventListener('click', () =>
    load(async () => done(await api<SessionView & { refused: number }>('/api/session/dev-sign-in', { method: 'POST', body: { address: (document.getElementById('dev-account') as HTMLSelectElement).value } }))),
  )
  document.getElementById('wallet-sign-in')?.addEventListener('click', () =>
    load(async () => {
      tell(undefined)
      try {
        const address = await walletAccount(wallet!)
        const { messages } = await api<{ messages: { chainKey: number; message: string; nonceToken: string }[] }>('/api/session/siwe-messages', { method: 'POST', body: { address } })
        const signed = []
        for (const m of messages) signed.push({ ...m, signature: await askWallet(wallet!, 'personal_sign', [m.message, address]) })
        const answer = await api<SessionView & { refused: number; refusals: { code: string; message: string }[] }>('/api/session/sign-in', { method: 'POST', body: { signed } })
        await done(answer, explainSignIn(address, answer))
      } catch (error) {
        if (!(error instanceof WalletSignInProblem)) throw error
        tell(error)
      }
    }),
  )
}

async function signOut(): Promise<void> {
  await load(async () => {
    await api('/api/session/sign-out', { method: 'POST', body: {} })
  })
  connectLive()
  await renderAccount()
  await render()
}

document.getElementById('search')!.addEventListener('submit', (event) => {
  event.preventDefault()
  const q = (document.getElementById('search-input') as HTMLInputElement).value.trim()
  if (q) location.hash = `#/search/${encodeURIComponent(q)}`
})
window.addEventListener('hashchange', () => void render())
void renderAccount()
void render()
connectLive()
