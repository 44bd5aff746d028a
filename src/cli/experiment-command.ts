/** `epython experiment NAME`: reproducible performance studies (being written: see issue 8). */
import { Effect } from "effect";
import { type CliError, UsageError } from "./errors.js";
import type { Out } from "./out.js";

export const experimentCommand = (_argv: readonly string[], _out: Out): Effect.Effect<void, CliError> =>
  Effect.fail(new UsageError({ message: "epython experiment is not available yet" }));
