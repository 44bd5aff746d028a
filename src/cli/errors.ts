/**
 * The CLI's error channel: typed errors, each mapped to an exit code.
 * 1: the user's program failed (syntax error, runtime error, deadlock, limit, failed replay);
 * 2: the command line or an input file was wrong; 70: internal failure (a bug in epython-sim);
 * 130 / 143: the run was stopped by SIGINT (Ctrl-C) / SIGTERM (128 + the signal, as shells say).
 */
import { Data } from "effect";

export class UsageError extends Data.TaggedError("UsageError")<{ readonly message: string }> {}
export class InputFileError extends Data.TaggedError("InputFileError")<{ readonly message: string }> {}
export class ProgramError extends Data.TaggedError("ProgramError")<{ readonly message: string }> {}

/** The run was stopped by a signal; what it did is already reported, only the exit code is left. */
export class Interrupted extends Data.TaggedError("Interrupted")<{ readonly exitCode: number }> {}

export type CliError = UsageError | InputFileError | ProgramError | Interrupted;

export const EXIT_CODE: Record<Exclude<CliError["_tag"], "Interrupted">, number> = {
  ProgramError: 1,
  UsageError: 2,
  InputFileError: 2,
};

export const EXIT_INTERNAL = 70;
