/**
 * The explorer's view model of a trace (src/trace/view-model.ts) with what only the machine model
 * knows (the chip's rows and columns) and the run's details from the trace's header and footer:
 * for `epython view` and the tests that check the page against a trace.
 */
import { LIBRARY_MODULE_FILES } from "../lang/library.js";
import { chipSpec } from "../machine/chip.js";
import { playInto } from "../trace/events.js";
import { procLabels } from "../trace/header.js";
import type { Trace } from "../trace/reader.js";
import { type ViewModel, ViewModelSink } from "../trace/view-model.js";

export function viewModelOf(trace: Trace): ViewModel {
  const { header, footer } = trace;
  const spec = chipSpec(header.config.chip)!;
  const labels = procLabels(header.config);
  const sink = new ViewModelSink(labels.length);
  playInto(trace, sink);
  return sink.finish({
    program: header.sources[0]?.name ?? "(byte code)",
    chip: header.config.chip,
    rows: spec.rows,
    cols: spec.cols,
    clockHz: header.clockHz,
    procs: labels.map((label, i) => ({ label, core: i < header.config.cores.length ? header.config.cores[i]! : -1 })),
    ok: footer.ok,
    error: footer.error?.message ?? null,
    linkWindowCycles: footer.linkWindowCycles,
    sources: header.sources.map((s) => ({ name: s.name, text: s.text })),
    runError: footer.error === null ? null : { ...footer.error },
    runCycles: footer.totalCycles,
    libraryFiles: [...LIBRARY_MODULE_FILES],
  });
}
