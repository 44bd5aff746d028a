/**
 * Trace commands: recording a run (`--trace FILE`), `replay`, `diff`, `export`, `view`.
 * (Being written: see issue 5. These stubs keep the command line in one piece meanwhile.)
 */
import { Effect } from "effect";
import type { SourceFile } from "../lang/errors.js";
import type { ProgramImage } from "../lang/image.js";
import type { SimConfig } from "../runtime/config.js";
import type { SimResult } from "../runtime/simulate.js";
import { NULL_SINK, type TraceSink } from "../trace/sink.js";
import { type CliError, UsageError } from "./errors.js";
import type { Out } from "./out.js";

export interface Recording {
  sink: TraceSink;
  /** the finished trace file's bytes (also for failed runs) */
  finish(result: SimResult): Uint8Array;
}

export function startRecording(_image: ProgramImage, _files: SourceFile[], _config: SimConfig): Recording {
  return { sink: NULL_SINK, finish: () => new Uint8Array(0) };
}

const notYet = (what: string): Effect.Effect<void, CliError> => Effect.fail(new UsageError({ message: `${what} is not available yet` }));

export const replayCommand = (_argv: readonly string[], _out: Out) => notYet("epython replay");
export const diffCommand = (_argv: readonly string[], _out: Out) => notYet("epython diff");
export const exportCommand = (_argv: readonly string[], _out: Out) => notYet("epython export");
export const viewCommand = (_argv: readonly string[], _out: Out) => notYet("epython view");
