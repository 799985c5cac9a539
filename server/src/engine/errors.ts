/**
 * Bad input to the engine: a malformed model, data that does not fit it, an unknown option.
 * Its message is one line meant for the person who supplied the input; the CLI prints it alone,
 * and the worker reports it as BAD_USER_INPUT. Anything else thrown by the engine is a bug.
 */
export class EngineInputError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "EngineInputError";
  }
}

/** Thrown by a surface computation whose AbortSignal fired; nothing partial is returned. */
export class SurfaceCancelledError extends Error {
  constructor() {
    super("surface computation cancelled");
    this.name = "SurfaceCancelledError";
  }
}
