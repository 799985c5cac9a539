/**
 * How guessable a new password is, by zxcvbn (Wheeler, "zxcvbn: Low-Budget Password Strength
 * Estimation", USENIX Security 2016) in its TypeScript port: common passwords, dictionary words,
 * names, keyboard walks, dates, repeats and the account's own email and name all count against it.
 * A password is accepted from score MIN_PASSWORD_SCORE, about 10^8 guesses: safe against an
 * online attacker, and slow enough offline behind argon2id. Only new passwords are checked;
 * existing accounts keep signing in with theirs.
 */
import { ZxcvbnFactory } from "@zxcvbn-ts/core";
import * as common from "@zxcvbn-ts/language-common";
import * as english from "@zxcvbn-ts/language-en";

/** Lowest accepted zxcvbn score (0 to 4): 3 means "safely unguessable", about 10^8 guesses or more. */
export const MIN_PASSWORD_SCORE = 3;
/** Password length in characters, inclusive. */
export const PASSWORD_LENGTH = { min: 8, max: 200 } as const;

// The dictionaries take a moment to load; build them on the first sign-up, not at start.
let factory: ZxcvbnFactory | undefined;
const estimator = () =>
  (factory ??= new ZxcvbnFactory({
    translations: english.translations,
    graphs: common.adjacencyGraphs,
    dictionary: { ...common.dictionary, ...english.dictionary },
  }));

/**
 * Why `password` is too weak for an account with these details, in words for its owner, or
 * undefined when it is strong enough. `userInputs` (email, name) count as known words.
 */
export function passwordWeakness(password: string, userInputs: string[] = []): string | undefined {
  // zxcvbn's cost grows with length; beyond 100 characters only the first 100 are judged.
  // The email whole, its local part and every piece of either, so "ada-lovelace-1" is known for ada-lovelace@...
  const known = userInputs.flatMap((input) => [input, input.split("@")[0]!, ...input.split(/[@.\s_-]+/)]).filter((word) => word.length > 2);
  const result = estimator().check(password.slice(0, 100), [...new Set(known)]);
  if (result.score >= MIN_PASSWORD_SCORE) return undefined;
  const advice = [result.feedback.warning, ...result.feedback.suggestions].filter((line): line is string => Boolean(line));
  if (advice.length === 0) advice.push("Add another word or two; uncommon words are better.");
  return `This password is too easy to guess. ${advice.join(" ")}`;
}
