// Types of what crosses the page's boundaries, for `tsc -p .` (tsconfig.json):
// the facade's snapshot and trace (JSON from pynet, where a number that is not
// finite arrives as null), the worker's messages (web/js/runtime.js's protocol)
// and build-info.js, which build.py writes. Used from JSDoc only: nothing here runs.

/** A number as the facade sends it: null stands for a value that is not finite. */
export type Num = number | null;
/** weights[l][k][j]: layer l's weight from node j into node k (destination first, as in pynet). */
export type Nested = Num[][][];

/** Python's settings (pynet's table of settings: dataset, hidden, learning_rate, ...). */
export type Settings = Record<string, any>;

/** The facade's state of the network (init, state, set_state, preset, step, ...). */
export interface Snapshot {
  ok: true;
  epoch: number;
  train_loss?: Num;
  test_loss?: Num;
  train_accuracy?: Num;
  test_accuracy?: Num;
  settings: Settings;
  layers: number[];
  activations: string[];
  weights: Nested;
  biases: Num[][];
  train_size: number;
  test_size: number;
  loss: string;
  kind: "classes" | "regression";
  classes: string[] | null;
  features: string[];
  scaling: string;
  outputs: number;
  hidden_nodes: [number, number];
  cursor?: number;
  epoch_size?: number;
  preset?: string | null;
  losses_measured?: boolean;
  losses_stale?: boolean;
  /** The chapter preset's sigmoid reading (preset "chapter" only). */
  sigmoid_case?: unknown;
  [more: string]: unknown;
}

/** One training step's numbers (the facade's step_sample/step_batch/step_epoch `trace`). */
export interface Trace {
  layers: number[];
  layer_activations: string[];
  loss_name: string;
  learning_rate: number;
  samples: number;
  inputs: Num[];
  net_inputs: (Num[] | null)[];
  activations: Num[][];
  targets: Num[];
  errors: Num[];
  loss: Num;
  loss_after: Num;
  deltas: Num[][];
  grad_weights: Nested;
  grad_biases: Num[][];
  updates: Nested;
  bias_updates: Num[][];
  /** Each share kind's error shares per weight (proportional, transposed, gradient). */
  shares: Record<string, Nested>;
  node_errors: Record<string, Num[][]>;
  share_rules: string[][];
  denominators: Num[][];
  rule: string;
  l1: number;
  l2: number;
}

/** An answer of the facade: a snapshot, another op's fields, or a refusal. */
export type Answer = ({ ok: true } & Record<string, any>) | { ok: false; error: string; type?: string };

/** A request to the facade ({op: "step", n: 1}, ...). */
export type Request = { op: string } & Record<string, unknown>;

/** Where the play loop's time went since Play (ms), sent with every snapshot. */
export interface Busy {
  train: number;
  losses: number;
  glow: number;
  grid: number;
  snapshots: number;
  post: number;
  since: number;
}

/** A play-loop snapshot (worker -> page). */
export interface SnapshotMessage {
  type: "snapshot";
  seq: number;
  epoch: number;
  cursor: number;
  epoch_size: number;
  steps: number;
  workerMs: number;
  /** Flat weights (js/protocol.js's order), transferred. */
  weights: Float64Array;
  /** The latest step's batch-mean |share| per weight (flat), at most every ~300 ms. */
  glow: Float64Array | null;
  busy: Busy;
  train_loss?: Num;
  test_loss?: Num;
  train_accuracy?: Num;
  test_accuracy?: Num;
  /** The page's grid request answered (heatmaps while playing). */
  grid?: Record<string, any>;
}

/** A load or start-up failure, as the page shows it. */
export interface LoadError {
  message: string;
  file?: string | null;
  status?: number | null;
  detail?: string | null;
}

/** Messages from the worker to the page. */
export type WorkerMessage =
  | { type: "progress"; file: string; loaded: number; total: number }
  | { type: "ready"; ms: number; marks: Record<string, number> }
  | { type: "failed"; error: LoadError }
  | { type: "result"; id: number; result: Answer }
  | SnapshotMessage
  | { type: "paused"; seq: number }
  | { type: "stopped"; seq: number; error: string | null; errorType?: string | null; reason?: "max_epoch" | "target_loss" }
  | { type: "memory"; wasmBytes: number | null };

/** Messages from the page to the worker. */
export type PageMessage =
  | { type: "call"; id: number; request: Request }
  | { type: "play"; ms: number; glow: string | null }
  | { type: "pause" }
  | { type: "grid"; request: Request | null }
  | { type: "memory" }
  | { type: "crash" };

/** What the worker's code uses of its global scope (a module worker's `self`). */
export interface WorkerScope {
  postMessage(message: WorkerMessage, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent<PageMessage>) => void) | null;
  fetch: typeof fetch;
  /** Cache Storage (absent where the page is not a secure context). */
  caches?: CacheStorage;
}

/** js/build-info.js (written by build.py). */
export interface BuildInfo {
  pyodide: string;
  wheel: string;
  /** Bytes of each runtime file, by site-relative path. */
  sizes: Record<string, number>;
  total: number;
  snapshot: { file: string; key: string; bytes: number } | null;
  /** The stdlib modules outside the first download (web/js/worker/stdlib-rest.js). */
  stdlibRest: { file: string; bytes: number; names: string[] } | null;
  /** The settings' table from pynet (defaults, limits, live, ...): pynet/settings.py. */
  settings: Record<string, any>;
}
