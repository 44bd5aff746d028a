/**
 * The CLI's error channel: typed errors, each mapped to an exit code.
 * 1: the user's program failed (syntax error, runtime error, deadlock, limit, failed replay);
 * 2: the command line or an input file was wrong; 70: internal failure (a bug in epython-sim).
 */
import { Data } from "effect";

export class UsageError extends Data.TaggedError("UsageError")<{ readonly message: string }> {}
export class InputFileError extends Data.TaggedError("InputFileError")<{ readonly message: string }> {}
export class ProgramError extends Data.TaggedError("ProgramError")<{ readonly message: string }> {}

export type CliError = UsageError | InputFileError | ProgramError;

export const EXIT_CODE: Record<CliError["_tag"], number> = {
  ProgramError: 1,
  UsageError: 2,
  InputFileError: 2,
};

export const EXIT_INTERNAL = 70;
