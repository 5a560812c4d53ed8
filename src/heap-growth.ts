/**
 * Imported by the entry points (cli.ts, the bench), after production-env.ts: V8 lets the old
 * generation grow to up to four times what survived the last full GC before it collects again.
 * drbook's live heap is small (about 60 MB in a 2,000-VM failover: the decisions' events, the SSH
 * sessions), but each of its ~70,000 commands leaves output, parses and events that live long
 * enough to reach the old generation, so the process sat at ~280 MB of heap that was mostly garbage
 * waiting for a full GC. Growth by 100% of the live heap halved that peak (393–528 → 298–363 MB RSS
 * in bench failoverLarge); by 50% it is 284–288 MB in three runs against 314–326 MB at 100% in three
 * runs of the same day, with the same CPU (38–44 s against 38–46 s) and wall time: the full GCs it
 * adds are incremental and concurrent. Only the growth factor is set, never a limit: a larger site
 * still gets the heap it needs.
 */
import { setFlagsFromString } from 'node:v8';

/** The old generation grows by this percentage of the live heap between full GCs. */
const HEAP_GROWING_PERCENT = 50;

// An operator's own --heap-growing-percent (NODE_OPTIONS, node's flags) wins.
if (
  !process.execArgv.some((a) => a.startsWith('--heap-growing-percent')) &&
  !/--heap-growing-percent/.test(process.env['NODE_OPTIONS'] ?? '')
)
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
