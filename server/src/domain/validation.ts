/** Input validation with zod, failing as BAD_USER_INPUT on the named field with a plain message. */
import type { z } from "zod";
import { badInput } from "./errors.js";

export function parseInput<T>(schema: z.ZodType<T>, value: unknown, field: string, message: string): T {
  const result = schema.safeParse(value);
  if (!result.success) throw badInput(field, message);
  return result.data;
}
